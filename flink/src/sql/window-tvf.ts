/**
 * A .flow window as a Flink window table-valued function call: TUMBLE, HOP or SESSION over the
 * aggregate's input, on its event-time column (or on a processing-time column added by a view).
 */
import type { LogicalNode, WindowSpec } from '../../../protocol/logical-graph.js';
import { identifier, intervalLiteral } from './sql-syntax.js';
import { type Relation, selectList, type TranslationContext, viewHint } from './translation-context.js';

/** The column a processing-time window is computed on (PROCTIME() in a view over the input). */
const PROCTIME_COLUMN = '__proctime';

/**
 * `TABLE(TUMBLE(TABLE input, DESCRIPTOR(ts), size))` and its siblings. Flink's window functions
 * need a time attribute: the input's event-time column when the window is `on` it, else one added
 * by PROCTIME(). `partitionBy` are the session's key columns (a session is per key, as in .flow).
 */
export function windowTvfSql(ctx: TranslationContext, node: LogicalNode, window: WindowSpec, input: Relation, partitionBy: string[]): string {
    let table = input.name;
    let timeColumn: string;
    if (window.timeField === undefined) {
        table = ctx.defineView(`${viewHint(node)}_proctime`, `SELECT ${selectList(input, undefined, false)}, PROCTIME() AS ${identifier(PROCTIME_COLUMN)}\nFROM ${input.name}`);
        timeColumn = PROCTIME_COLUMN;
    } else {
        if (ctx.streaming && input.rowtime !== window.timeField) {
            ctx.report(node, 'flink-window-needs-time-attribute', `window ... on ${window.timeField}`,
                `The window is on ${window.timeField}, which is not an event-time attribute in Flink at this point: ${whyNoTimeAttribute(input, window.timeField)} Flink's window functions need the column a watermark is declared on, carried through unchanged.`);
        }
        timeColumn = window.timeField;
    }
    const descriptor = `DESCRIPTOR(${identifier(timeColumn)})`;
    switch (window.type) {
        case 'tumbling':
            return `TABLE(TUMBLE(TABLE ${table}, ${descriptor}, ${intervalLiteral(window.sizeMs)}))`;
        case 'sliding':
            return `TABLE(HOP(TABLE ${table}, ${descriptor}, ${intervalLiteral(window.slideMs)}, ${intervalLiteral(window.sizeMs)}))`;
        case 'session': {
            if (!ctx.streaming) {
                ctx.report(node, 'flink-session-window-batch', `window session gap ... in batch mode`,
                    'The session window is in a batch pipeline: Flink 2.3 runs session windows in streaming mode only ("Unaligned windows like session are not supported in batch mode yet"). Run the pipeline in streaming mode, or window it by a fixed size.');
            }
            const partition = partitionBy.length > 0 ? ` PARTITION BY ${partitionBy.map(identifier).join(', ')}` : '';
            return `TABLE(SESSION(TABLE ${table}${partition}, ${descriptor}, ${intervalLiteral(window.gapMs)}))`;
        }
    }
}

function whyNoTimeAttribute(input: Relation, field: string): string {
    if (input.rowtime !== undefined) return `the rows' event time is ${input.rowtime}.`;
    if (input.windowColumns) return `it comes out of an earlier window aggregate, whose only time attribute in Flink is window_time (the window's end minus 1 ms), not ${field}.`;
    return 'an operator before it (a regular join, a distinct, a rolling aggregate, or a computed field) does not keep event time in Flink.';
}

/**
 * A .flow window as a Flink window table-valued function call: TUMBLE, HOP, CUMULATE or SESSION over the
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
export function windowTvfSql(ctx: TranslationContext, node: LogicalNode, window: Exclude<WindowSpec, { type: 'count' }>, input: Relation, partitionBy: string[]): string {
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
        case 'cumulate':
            return `TABLE(CUMULATE(TABLE ${table}, ${descriptor}, ${intervalLiteral(window.stepMs)}, ${intervalLiteral(window.sizeMs)}))`;
        case 'session': {
            if (!ctx.streaming) {
                if (window.timeField !== undefined) return batchSessionsSql(ctx, node, window.gapMs, window.timeField, input, partitionBy);
                ctx.report(node, 'flink-session-window-batch', `window session gap ... on processing time in batch mode`,
                    'The session window is on processing time in a batch pipeline: Flink 2.3 runs session windows in streaming mode only ("Unaligned windows like session are not supported in batch mode yet"), and an event-time session is computed another way, which needs a time field. Window it on a field of the rows.');
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

/**
 * Event-time sessions in batch mode, where Flink 2.3 cannot plan SESSION ("Unaligned windows like
 * session are not supported in batch mode yet"): the rows of each key ordered by time, a new
 * session wherever a row comes more than the gap after the one before (the local runtime merges
 * windows [ts, ts + gap) that touch or overlap), and each row given its session's window_start
 * (the first time), window_end (the last time + gap) and window_time (window_end - 1 ms, as
 * Flink's), so the aggregate groups by them as by a window function's columns. Rows without a
 * time are dropped, as the local runtime drops them (late).
 */
function batchSessionsSql(ctx: TranslationContext, node: LogicalNode, gapMs: number, timeField: string, input: Relation, partitionBy: string[]): string {
    const ts = identifier(timeField);
    const keys = partitionBy.map(identifier);
    const byKey = keys.length > 0 ? `PARTITION BY ${keys.join(', ')} ` : '';
    const columns = selectList(input, undefined, false);
    const starts = ctx.defineView(`${viewHint(node)}_session_starts`,
        `SELECT ${columns}, CASE WHEN ${ts} <= LAG(${ts}) OVER (${byKey}ORDER BY ${ts}) + ${intervalLiteral(gapMs)} THEN 0 ELSE 1 END AS __new_session\n`
        + `FROM ${input.name}\nWHERE ${ts} IS NOT NULL`);
    const numbered = ctx.defineView(`${viewHint(node)}_sessions`,
        `SELECT ${columns}, SUM(__new_session) OVER (${byKey}ORDER BY ${ts} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __session\nFROM ${starts}`);
    const session = `OVER (PARTITION BY ${[...keys, '__session'].join(', ')})`;
    const end = `MAX(${ts}) ${session} + ${intervalLiteral(gapMs)}`;
    return `(SELECT ${columns}, MIN(${ts}) ${session} AS window_start, ${end} AS window_end, ${end} - INTERVAL '0.001' SECOND AS window_time\nFROM ${numbered})`;
}

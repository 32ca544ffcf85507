/**
 * Which window a row of a windowed aggregate belongs to, as per-window orderBy and limit need to
 * know it (Flink's window Top-N partitions by window_start, window_end): the columns that hold
 * window.start / window.end, and how to compute the window's end, when it is complete.
 */
import { AstUtils } from 'langium';
import type { RowWindow } from '../../../protocol/logical-graph.js';
import {
    type AggregateOp, type Operator, type Stream, isAggregateOp, isJoinOp, isReduceOp, isSessionWindow, isSlidingWindow, isStream,
    isTumblingWindow, isWindowOp
} from '../generated/ast.js';
import { durationToMs } from './durations.js';
import type { SchemaInference } from './schema-inference.js';
import { type StreamSchema, windowColumnsOf } from './stream-schema.js';

/**
 * The row window of windowed rows, or undefined when the rows cannot tell it: no window column,
 * or only window.start of a session window (sessions have no fixed size, so the end is unknown).
 */
export function rowWindowOf(schema: StreamSchema, inference: SchemaInference): RowWindow | undefined {
    const columns = windowColumnsOf(schema);
    if (columns.length === 0) return undefined;
    const aggregate = AstUtils.getContainerOfType(columns[0].item, isAggregateOp) as AggregateOp | undefined;
    const window = aggregate ? inference.inputSchemaOf(aggregate).window : undefined;
    if (!window) return undefined;
    const eventTime = window.timeField !== undefined;
    const fields = columns.map((c) => c.name);
    const end = columns.find((c) => c.property === 'end');
    if (end) return { fields, endField: end.name, endOffsetMs: 0, eventTime };
    const kind = window.kind;
    if (isSessionWindow(kind)) return undefined;
    const sizeMs = isTumblingWindow(kind) || isSlidingWindow(kind) ? durationToMs(kind.size) : NaN;
    return Number.isFinite(sizeMs) ? { fields, endField: columns[0].name, endOffsetMs: sizeMs, eventTime } : undefined;
}

/**
 * The windowed aggregate whose rows reach `op`, looking back through the operators before it and
 * the streams it reads; undefined when another aggregate or a join comes first.
 */
export function windowAggregateBefore(op: Operator): AggregateOp | undefined {
    let stream: Stream = op.$container;
    let index = stream.operators.indexOf(op) - 1;
    const seen = new Set<Stream>();
    while (!seen.has(stream)) {
        seen.add(stream);
        for (; index >= 0; index--) {
            const previous = stream.operators[index];
            if (isJoinOp(previous) || isReduceOp(previous)) return undefined;
            if (isAggregateOp(previous)) return isWindowOp(stream.operators[index - 1]) ? previous : undefined;
        }
        const input = stream.input?.stream?.ref;
        if (!isStream(input) || stream.input.side) return undefined;
        stream = input;
        index = stream.operators.length - 1;
    }
    return undefined;
}

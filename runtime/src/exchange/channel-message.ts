/**
 * What travels on a channel between two subtasks, in order: data batches, watermarks (with the
 * idle flag of Flink's WatermarkStatus), checkpoint barriers (reserved: checkpointing comes later)
 * and the end of data.
 */
import type { ColumnBatch } from '../operators/column-batch.js';
import type { Row } from '../operators/operator.js';

export type ChannelMessage =
    /**
     * `partial`: the rows are a combiner's partial aggregates (accumulators, see
     * operators/aggregate-combiner.ts), which the receiving aggregate merges instead of adding.
     */
    | { kind: 'data'; rows: Row[]; partial?: true; columns?: undefined }
    /**
     * Records as columns (a keyed edge fed by column batches, or a batch decoded from another
     * thread): the receiver reads the columns, or builds rows only if its head operator needs them.
     */
    | { kind: 'data'; columns: ColumnBatch; rows?: undefined; partial?: undefined }
    | { kind: 'watermark'; timestamp: number; idle?: boolean }
    | { kind: 'barrier'; checkpointId: number }
    | { kind: 'end-of-data' };

/** How many records a data message carries. */
export function recordsOf(message: { rows?: Row[]; columns?: ColumnBatch }): number {
    return message.columns !== undefined ? message.columns.length : message.rows!.length;
}

/** Rows per batch: large enough to amortise per-batch costs, small enough for latency. */
export const BATCH_SIZE = 1024;

/**
 * A credit stands for one buffer of up to this many records, as a Flink credit stands for one
 * network buffer of fixed bytes: a batch of up to BUFFER_RECORDS records takes one credit, a
 * larger one a credit per BUFFER_RECORDS records it holds (docs/runtime.md, Exchange).
 */
export const BUFFER_RECORDS = BATCH_SIZE;

/**
 * Credits per channel: how many buffers a sender may have in flight before the receiver took
 * them. Bounds a channel to CREDITS_PER_CHANNEL messages and CREDIT_RECORDS_PER_CHANNEL records.
 */
export const CREDITS_PER_CHANNEL = 16;

/** The most records a channel has in flight, whatever the size of its batches. */
export const CREDIT_RECORDS_PER_CHANNEL = CREDITS_PER_CHANNEL * BUFFER_RECORDS;

/**
 * The credits a data message takes: one per BUFFER_RECORDS records or part of them, and one for
 * an empty batch (in Flink a part-filled buffer takes a whole credit too).
 */
export function creditOf(message: { rows?: Row[]; columns?: ColumnBatch }): number {
    const n = recordsOf(message);
    return n > BUFFER_RECORDS ? Math.ceil(n / BUFFER_RECORDS) : 1;
}

type DataMessage = Extract<ChannelMessage, { kind: 'data' }>;

/**
 * Cuts a data message after its first `n` records: the head to send now, the tail to send when
 * credit allows. Same records, same order, same kind (rows, partials or columns).
 */
export function splitData(message: DataMessage, n: number): [DataMessage, DataMessage] {
    if (message.columns !== undefined) {
        const { fields, columns, length } = message.columns;
        const head = { fields, columns: columns.map((c) => Array.prototype.slice.call(c, 0, n) as unknown[]), length: n };
        const tail = { fields, columns: columns.map((c) => Array.prototype.slice.call(c, n, length) as unknown[]), length: length - n };
        return [{ kind: 'data', columns: head }, { kind: 'data', columns: tail }];
    }
    const rows = message.rows;
    if (message.partial) return [{ kind: 'data', rows: rows.slice(0, n), partial: true }, { kind: 'data', rows: rows.slice(n), partial: true }];
    return [{ kind: 'data', rows: rows.slice(0, n) }, { kind: 'data', rows: rows.slice(n) }];
}

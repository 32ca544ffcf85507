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
 * Credits per channel: how many data batches a sender may have in flight before the receiver
 * consumed them. Bounds memory per channel to CREDITS_PER_CHANNEL x BATCH_SIZE rows.
 */
export const CREDITS_PER_CHANNEL = 16;

/**
 * A combiner on an outgoing keyBy edge: instead of buffering records per channel, the output gate
 * folds them into partial aggregates, and sends those (as `partial` batches) when the combiner is
 * full or before any control message. The exchange knows nothing of aggregates: the operator side
 * (operators/aggregate-combiner.ts) implements this.
 */
import type { ColumnBatch } from '../operators/column-batch.js';
import type { FusedTerminal } from '../operators/fused-loop.js';
import type { Row } from '../operators/operator.js';

/**
 * How many records a batch of partial aggregates stands for (each carries its count as `$n`):
 * the receiving task counts these as its records in, so metrics read as without the combiner.
 */
export function recordsInPartials(partials: Row[]): number {
    let records = 0;
    for (let i = 0; i < partials.length; i++) records += partials[i].$n as number;
    return records;
}

export interface Combiner {
    /** False once combining stopped paying off: records then go to the channels as they are. */
    readonly active: boolean;
    /** True when the combiner should be drained before taking more records. */
    readonly full: boolean;
    /** Folds records in. */
    add(rows: Row[]): void;
    /** Folds a column batch's records in. */
    addColumns(batch: ColumnBatch): void;
    /** The partial aggregates so far (each with its group's first record as `$r`), emptying the combiner. */
    drain(): Row[];
    /**
     * Set when the chain's last fused loop may fold its records straight into this combiner
     * (operators/window-combiner.ts): the loop's terminal, whose `state` is the combiner.
     */
    readonly terminal?: FusedTerminal;
    /** With `terminal`: the records the loop folded since the last call. */
    takeRecords?(): number;
    /**
     * What must go out before a watermark at `timestamp` (a window combiner: its partials of
     * windows ending at or before it; partials of later windows may wait, since no receiver fires
     * those before a later watermark of this sender, which drains them first). Without it the gate
     * drains the whole combiner.
     */
    drainBefore?(timestamp: number): Row[];
    /** The gate sent a watermark (`idle`: declared the task idle) on the edge, right after draining. */
    watermarkSent?(timestamp: number, idle: boolean): void;
}

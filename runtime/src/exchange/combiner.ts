/**
 * A combiner on an outgoing keyBy edge: instead of buffering records per channel, the output gate
 * folds them into partial aggregates, and sends those (as `partial` batches) when the combiner is
 * full or before any control message. The exchange knows nothing of aggregates: the operator side
 * (operators/aggregate-combiner.ts) implements this.
 */
import type { Row } from '../operators/operator.js';

export interface Combiner {
    /** False once combining stopped paying off: records then go to the channels as they are. */
    readonly active: boolean;
    /** True when the combiner should be drained before taking more records. */
    readonly full: boolean;
    /** Folds records in. */
    add(rows: Row[]): void;
    /** The partial aggregates so far (each with its group's first record as `$r`), emptying the combiner. */
    drain(): Row[];
}

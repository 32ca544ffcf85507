/**
 * The buffer of one outgoing channel for column batches: the records a keyed (HASH) edge routes
 * to that channel, scattered from the sender's column batch straight into columns of their own,
 * so no row object is built on the sending side (plain arrays: cheap to make and fill; the batch
 * codec writes numeric ones straight into its transferred buffer when the buffer crosses
 * threads). A full buffer is handed to the channel whole (its arrays are not reused afterwards),
 * so an in-thread receiver may read it whenever it takes the message.
 */
import type { ColumnBatch } from '../operators/column-batch.js';

export class ColumnBuffer implements ColumnBatch {
    readonly columns: unknown[][];
    length = 0;

    constructor(readonly fields: readonly string[]) {
        this.columns = fields.map(() => []);
    }
}

/**
 * Appends record i of `batch` to `buffers[targets[i]]`, column by column (the plain arrays grow as
 * they are filled). The buffers' fields must be the batch's, in its order.
 */
export function scatterColumns(batch: ColumnBatch, targets: Int32Array, buffers: ColumnBuffer[]): void {
    const n = batch.length;
    const channels = buffers.length;
    const start = new Int32Array(channels);
    for (let f = 0; f < batch.fields.length; f++) {
        const source = batch.columns[f];
        for (let c = 0; c < channels; c++) start[c] = buffers[c].length;
        for (let i = 0; i < n; i++) {
            const c = targets[i];
            buffers[c].columns[f][start[c]++] = source[i];
        }
    }
    if (batch.fields.length === 0) {
        for (let i = 0; i < n; i++) start[targets[i]]++;
    }
    for (let c = 0; c < channels; c++) buffers[c].length = batch.fields.length === 0 ? buffers[c].length + start[c] : start[c];
}

/**
 * The buffer of one outgoing channel for column batches: the records a keyed (HASH) edge routes
 * to that channel, scattered from the sender's column batch straight into columns of their own,
 * so no row object is built on the sending side. A column starts as a Float64Array (what the
 * batch codec transfers as it is) and becomes a plain array at its first value that is not a
 * number. A full buffer is handed to the channel whole (its arrays are not reused afterwards), so
 * an in-thread receiver may read it whenever it takes the message.
 */
import type { ColumnBatch } from '../operators/column-batch.js';

type Column = Float64Array | unknown[];

export class ColumnBuffer implements ColumnBatch {
    readonly columns: Column[];
    length = 0;

    constructor(readonly fields: readonly string[], private capacity: number) {
        this.columns = fields.map(() => new Float64Array(capacity));
    }

    /** Makes room for `more` records beyond those buffered. */
    reserve(more: number): void {
        const needed = this.length + more;
        if (needed <= this.capacity) return;
        let capacity = this.capacity * 2;
        while (capacity < needed) capacity *= 2;
        for (let f = 0; f < this.columns.length; f++) {
            const column = this.columns[f];
            if (column instanceof Float64Array) {
                const grown = new Float64Array(capacity);
                grown.set(column.subarray(0, this.length));
                this.columns[f] = grown;
            }
        }
        this.capacity = capacity;
    }
}

/**
 * Appends record i of `batch` to `buffers[targets[i]]`, column by column. Every buffer must have
 * room (ColumnBuffer.reserve) for the records it gets, and the buffers' fields are the batch's.
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
            const buffer = buffers[c];
            const v = source[i];
            let column = buffer.columns[f];
            if (column instanceof Float64Array) {
                if (typeof v === 'number') {
                    column[start[c]++] = v;
                    continue;
                }
                column = buffer.columns[f] = toPlainColumn(column, start[c]);
            }
            (column as unknown[])[start[c]++] = v;
        }
    }
    if (batch.fields.length === 0) {
        for (let i = 0; i < n; i++) start[targets[i]]++;
    }
    for (let c = 0; c < channels; c++) buffers[c].length = batch.fields.length === 0 ? buffers[c].length + start[c] : start[c];
}

/** The first `length` numbers of a Float64Array column as a plain array that takes any value. */
function toPlainColumn(column: Float64Array, length: number): unknown[] {
    const plain = new Array<unknown>(length);
    for (let i = 0; i < length; i++) plain[i] = column[i];
    return plain;
}

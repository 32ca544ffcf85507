/** HASH (keyBy): records with equal keys go to the same downstream channel, via key groups. */
import type { Expr } from '../../../protocol/logical-graph.js';
import { compileExpression } from '../expressions/compile-expression.js';
import type { ColumnBatch } from '../operators/column-batch.js';
import type { Row } from '../operators/operator.js';
import type { Partitioner } from './partitioner.js';
import { channelForHash, combineHashes, hashKeyValue, MAX_PARALLELISM } from './key-groups.js';

export class HashPartitioner implements Partitioner {
    private readonly keys: ((row: Row) => unknown)[];
    /** The key fields when every key is a plain field (null: some key is computed). */
    private readonly keyFields: string[] | null;

    constructor(keys: Expr[]) {
        this.keys = keys.map((k) => compileExpression(k));
        this.keyFields = keys.every((k) => k.k === 'field') ? keys.map((k) => (k as { name: string }).name) : null;
    }

    private channelOfKeyGroup: Int32Array | undefined;

    /** Key group -> channel for `n` channels, computed once per partitioner. */
    private channelTable(n: number): Int32Array {
        let table = this.channelOfKeyGroup;
        if (!table || table.length !== MAX_PARALLELISM || table[MAX_PARALLELISM - 1] !== n - 1) {
            table = this.channelOfKeyGroup = Int32Array.from({ length: MAX_PARALLELISM }, (_, g) => channelForHash(g, n));
        }
        return table;
    }

    /**
     * The channel of each record of a column batch, read from the key columns (the same key
     * group as `channelOf` gives the record as a row). False when a key is computed rather than a
     * field of the batch: the caller then routes rows.
     */
    channelsOfColumns(batch: ColumnBatch, targets: Int32Array, channels: number): boolean {
        const keyFields = this.keyFields;
        if (keyFields === null) return false;
        const keyColumns: ArrayLike<unknown>[] = [];
        for (const name of keyFields) {
            const at = batch.fields.indexOf(name);
            if (at < 0) return false;
            keyColumns.push(batch.columns[at]);
        }
        const n = batch.length;
        if (keyColumns.length === 1) {
            const table = this.channelTable(channels);
            const column = keyColumns[0];
            for (let i = 0; i < n; i++) targets[i] = table[hashKeyValue(column[i]) % MAX_PARALLELISM];
            return true;
        }
        for (let i = 0; i < n; i++) {
            let h = 17;
            for (let k = 0; k < keyColumns.length; k++) h = combineHashes(h, hashKeyValue(keyColumns[k][i]));
            targets[i] = channelForHash(h, channels);
        }
        return true;
    }

    channelOf(row: Row, channels: number): number {
        const keys = this.keys;
        let h = 17;
        if (keys.length === 1) return channelForHash(hashKeyValue(keys[0](row)), channels);
        for (let k = 0; k < keys.length; k++) h = combineHashes(h, hashKeyValue(keys[k](row)));
        return channelForHash(h, channels);
    }

    partition(rows: Row[], buffers: Row[][]): void {
        const n = buffers.length;
        const keys = this.keys;
        if (keys.length === 1) {
            const table = this.channelTable(n);
            const key = keys[0];
            for (let i = 0; i < rows.length; i++) {
                const row = rows[i];
                buffers[table[hashKeyValue(key(row)) % MAX_PARALLELISM]].push(row);
            }
            return;
        }
        for (let i = 0; i < rows.length; i++) {
            const row = rows[i];
            let h = 17;
            for (let k = 0; k < keys.length; k++) h = combineHashes(h, hashKeyValue(keys[k](row)));
            buffers[channelForHash(h, n)].push(row);
        }
    }
}

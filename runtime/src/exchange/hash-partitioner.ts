/** HASH (keyBy): records with equal keys go to the same downstream channel, via key groups. */
import type { Expr } from '../../../protocol/logical-graph.js';
import { compileExpression } from '../expressions/compile-expression.js';
import type { Row } from '../operators/operator.js';
import type { Partitioner } from './partitioner.js';
import { channelForHash, combineHashes, hashKeyValue, MAX_PARALLELISM } from './key-groups.js';

export class HashPartitioner implements Partitioner {
    private readonly keys: ((row: Row) => unknown)[];

    constructor(keys: Expr[]) {
        this.keys = keys.map((k) => compileExpression(k));
    }

    private channelOfKeyGroup: Int32Array | undefined;

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
            // Key group -> channel, computed once per partitioner.
            let table = this.channelOfKeyGroup;
            if (!table || table.length !== MAX_PARALLELISM || table[MAX_PARALLELISM - 1] !== n - 1) {
                table = this.channelOfKeyGroup = Int32Array.from({ length: MAX_PARALLELISM }, (_, g) => channelForHash(g, n));
            }
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

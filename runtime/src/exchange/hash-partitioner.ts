/** HASH (keyBy): records with equal keys go to the same downstream channel, via key groups. */
import type { Expr } from '../../../protocol/logical-graph.js';
import { compileExpression } from '../expressions/compile-expression.js';
import type { Row } from '../operators/operator.js';
import type { Partitioner } from './partitioner.js';
import { channelForHash, combineHashes, hashKeyValue } from './key-groups.js';

export class HashPartitioner implements Partitioner {
    private readonly keys: ((row: Row) => unknown)[];

    constructor(keys: Expr[]) {
        this.keys = keys.map((k) => compileExpression(k));
    }

    partition(rows: Row[], buffers: Row[][]): void {
        const n = buffers.length;
        const keys = this.keys;
        if (keys.length === 1) {
            const key = keys[0];
            for (let i = 0; i < rows.length; i++) {
                const row = rows[i];
                buffers[channelForHash(hashKeyValue(key(row)), n)].push(row);
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

/** FORWARD: everything to the one channel of the same subtask index downstream. */
import type { Row } from '../operators/operator.js';
import type { Partitioner } from './partitioner.js';

export class ForwardPartitioner implements Partitioner {
    partition(rows: Row[], buffers: Row[][]): void {
        const out = buffers[0];
        for (let i = 0; i < rows.length; i++) out.push(rows[i]);
    }
}

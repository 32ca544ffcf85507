/** REBALANCE: round robin over the downstream channels, record by record. */
import type { Row } from '../operators/operator.js';
import type { Partitioner } from './partitioner.js';

export class RebalancePartitioner implements Partitioner {
    constructor(private next: number) {}

    partition(rows: Row[], buffers: Row[][]): void {
        const n = buffers.length;
        let next = this.next % n;
        for (let i = 0; i < rows.length; i++) {
            buffers[next].push(rows[i]);
            next = next + 1 === n ? 0 : next + 1;
        }
        this.next = next;
    }
}

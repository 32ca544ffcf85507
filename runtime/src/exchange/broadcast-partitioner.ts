/** BROADCAST: every record to every downstream channel (rows are immutable, so shared). */
import type { Row } from '../operators/operator.js';
import type { Partitioner } from './partitioner.js';

export class BroadcastPartitioner implements Partitioner {
    partition(rows: Row[], buffers: Row[][]): void {
        for (const out of buffers) {
            for (let i = 0; i < rows.length; i++) out.push(rows[i]);
        }
    }
}

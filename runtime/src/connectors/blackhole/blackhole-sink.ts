/** blackhole sink: accepts and discards every record (for benchmarks and dry runs). */
import type { Row, SinkFunction } from '../../operators/operator.js';

/** The blackhole sink. */
export class BlackholeSink implements SinkFunction {
    /** Records received, so a run can still tell how many arrived. */
    received = 0;

    write(rows: Row[]): void {
        this.received += rows.length;
    }
}

/** union: records of every input pass through unchanged (the inputs have the same schema). */
import type { OperatorContext, Row, StreamOperator } from './operator.js';

/** A pass-through operator over any number of inputs. */
export class UnionOperator implements StreamOperator {
    private ctx!: OperatorContext;

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    processBatch(rows: Row[]): void {
        if (rows.length > 0) this.ctx.emit(rows);
    }
}

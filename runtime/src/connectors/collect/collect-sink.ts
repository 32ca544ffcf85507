/** collect sink: hands the records to the engine (the editor's results view, the REST push channel). */
import type { OperatorContext, Row, SinkFunction } from '../../operators/operator.js';

/** The collect sink. */
export class CollectSink implements SinkFunction {
    private collect!: (rows: Row[]) => void;

    open(ctx: OperatorContext): void {
        if (!ctx.collect) throw new Error(`${ctx.node.name}: this engine does not receive collected results (OperatorContext.collect is missing)`);
        this.collect = ctx.collect.bind(ctx);
    }

    write(rows: Row[]): void {
        this.collect(rows);
    }
}

/**
 * print sink, like Flink's: each record as JSON on its own line, prefixed `<subtask>> ` (1-based)
 * when the sink runs in parallel. Lines go to the engine's output (the CLI's stdout, the editor's
 * output channel); without one, to process.stdout.
 */
import type { LogicalNode } from '../../../../protocol/logical-graph.js';
import type { OperatorContext, Row, SinkFunction } from '../../operators/operator.js';
import { compileRowFormatter } from '../common/row-formatter.js';

/** The print sink. */
export class PrintSink implements SinkFunction {
    private ctx!: OperatorContext;
    private prefix = '';
    private readonly format: (row: Row) => Row;

    constructor(node: LogicalNode) {
        this.format = compileRowFormatter(node.schema);
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
        this.prefix = ctx.parallelism > 1 ? `${ctx.subtaskIndex + 1}> ` : '';
    }

    write(rows: Row[]): void {
        let text = '';
        for (const row of rows) text += `${this.prefix}${JSON.stringify(this.format(row))}\n`;
        if (this.ctx.output) this.ctx.output(text);
        else process.stdout.write(text);
    }
}

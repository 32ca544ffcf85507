/** jsonl(path) sink: one JSON object per line, written atomically (temp file renamed on commit). */
import type { LogicalNode } from '../../../../protocol/logical-graph.js';
import type { OperatorContext, Row, SinkFunction } from '../../operators/operator.js';
import { AtomicFileWriter, partPath } from '../common/atomic-file-writer.js';
import { compileRowFormatter } from '../common/row-formatter.js';

/** The jsonl file sink. */
export class JsonlSink implements SinkFunction {
    private writer!: AtomicFileWriter;
    private readonly format: (row: Row) => Row;

    constructor(private readonly node: LogicalNode) {
        this.format = compileRowFormatter(node.schema);
    }

    open(ctx: OperatorContext): void {
        const config = this.node.config;
        if (config.kind !== 'sink' || config.path === undefined) throw new Error(`${this.node.name}: the jsonl sink has no file path`);
        this.writer = new AtomicFileWriter(partPath(config.path, ctx.subtaskIndex, ctx.parallelism));
        this.writer.open();
    }

    write(rows: Row[]): void {
        let text = '';
        for (const row of rows) text += `${JSON.stringify(this.format(row))}\n`;
        this.writer.write(text);
    }

    commit(): void {
        this.writer.commit();
    }

    abort(): void {
        this.writer?.abort();
    }
}

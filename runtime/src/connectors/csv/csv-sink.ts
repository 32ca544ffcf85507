/**
 * csv(path, header: true, delimiter: ",") sink: a header row then one row per record (quoting by
 * csv-stringify), written atomically (temp file renamed on commit).
 */
import { stringify } from 'csv-stringify/sync';
import type { LogicalNode } from '../../../../protocol/logical-graph.js';
import type { OperatorContext, Row, SinkFunction } from '../../operators/operator.js';
import { AtomicFileWriter, partPath } from '../common/atomic-file-writer.js';
import { compileRowFormatter } from '../common/row-formatter.js';

/** The csv file sink. */
export class CsvSink implements SinkFunction {
    private writer!: AtomicFileWriter;
    private readonly format: (row: Row) => Row;
    private readonly columns: string[];
    private readonly delimiter: string;
    private readonly header: boolean;

    constructor(private readonly node: LogicalNode) {
        this.format = compileRowFormatter(node.schema);
        this.columns = node.schema.map((f) => f.name);
        const options = node.config.kind === 'sink' ? node.config.options : {};
        this.delimiter = typeof options.delimiter === 'string' ? options.delimiter : ',';
        this.header = options.header !== false && options.header !== 'false';
    }

    open(ctx: OperatorContext): void {
        const config = this.node.config;
        if (config.kind !== 'sink' || config.path === undefined) throw new Error(`${this.node.name}: the csv sink has no file path`);
        this.writer = new AtomicFileWriter(partPath(config.path, ctx.subtaskIndex, ctx.parallelism));
        this.writer.open();
        if (this.header) this.writer.write(stringify([this.columns], { delimiter: this.delimiter }));
    }

    write(rows: Row[]): void {
        const records = rows.map((r) => {
            const f = this.format(r);
            return this.columns.map((c) => {
                const v = f[c];
                return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
            });
        });
        this.writer.write(stringify(records, { delimiter: this.delimiter, cast: { boolean: (b) => String(b) } }));
    }

    commit(): void {
        this.writer.commit();
    }

    abort(): void {
        this.writer?.abort();
    }
}

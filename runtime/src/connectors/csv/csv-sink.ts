/**
 * csv(path, header: true, delimiter: ",") sink: a header row then one row per record (quoting as
 * csv-stringify does; csv-line-writer.ts writes the lines), written atomically (common/file-sink.ts: a temp file renamed on commit, or
 * parts committed at checkpoints in a checkpointed job).
 */
import { stringify } from 'csv-stringify/sync';
import type { LogicalNode } from '../../../../protocol/logical-graph.js';
import type { Row } from '../../operators/operator.js';
import { FileSink } from '../common/file-sink.js';
import { compileRowFormatter } from '../common/row-formatter.js';
import { compileCsvLineWriter, type CsvLineWriter } from './csv-line-writer.js';

/** The csv file sink. */
export class CsvSink extends FileSink {
    private readonly formatRow: (row: Row) => Row;
    private readonly columns: string[];
    private readonly delimiter: string;
    private readonly withHeader: boolean;
    /** The generated line writer (csv-line-writer.ts), when the delimiter allows it. */
    private readonly lines: CsvLineWriter | undefined;

    constructor(node: LogicalNode) {
        super(node, 'csv');
        this.formatRow = compileRowFormatter(this.fileSchema);
        this.columns = this.fileSchema.map((f) => f.name);
        const options = node.config.kind === 'sink' ? node.config.options : {};
        this.delimiter = typeof options.delimiter === 'string' ? options.delimiter : ',';
        this.withHeader = options.header !== false && options.header !== 'false';
        this.lines = compileCsvLineWriter(this.fileSchema, this.delimiter);
    }

    protected header(): string | undefined {
        return this.withHeader ? stringify([this.columns], { delimiter: this.delimiter }) : undefined;
    }

    protected text(rows: Row[]): string {
        if (this.lines !== undefined) return this.lines(rows);
        const records = rows.map((r) => {
            const f = this.formatRow(r);
            return this.columns.map((c) => {
                const v = f[c];
                return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
            });
        });
        return stringify(records, { delimiter: this.delimiter, cast: { boolean: (b) => String(b) } });
    }
}

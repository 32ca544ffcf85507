/**
 * jsonl(path) sink: one JSON object per line, written atomically (common/file-sink.ts: a temp
 * file renamed on commit, or parts committed at checkpoints in a checkpointed job).
 */
import type { LogicalNode } from '../../../../protocol/logical-graph.js';
import type { Row } from '../../operators/operator.js';
import { FileSink } from '../common/file-sink.js';
import { compileRowFormatter } from '../common/row-formatter.js';

/** The jsonl file sink. */
export class JsonlSink extends FileSink {
    private readonly formatRow: (row: Row) => Row;

    constructor(node: LogicalNode) {
        super(node, 'jsonl');
        // A partitioned sink's files leave the partition fields out (they are in the folder names).
        this.formatRow = compileRowFormatter(this.fileSchema, this.fileSchema.length !== node.schema.length);
    }

    protected header(): undefined {
        return undefined;
    }

    protected text(rows: Row[]): string {
        let text = '';
        for (const row of rows) text += `${JSON.stringify(this.formatRow(row))}\n`;
        return text;
    }
}

/**
 * text(path, encoding: "utf-8"): one record `{ line }` per line of the file (LF or CRLF), empty
 * lines included. A line that is not valid UTF-8 goes to the bad-row policy.
 * Subtask i of p takes lines i+1, i+1+p, ...
 */
import type { LogicalNode, SourceConfig } from '../../../../protocol/logical-graph.js';
import type { SourceContext, SourceFunction } from '../../operators/operator.js';
import { openSourceFile } from '../common/file-progress.js';
import { readLines } from '../common/line-reader.js';
import { invalidUtf8Problem, sourceEncoding } from '../common/source-encoding.js';
import { SourceOutput } from '../common/source-output.js';

/** The text source. */
export class TextSource implements SourceFunction {
    private readonly config: SourceConfig;
    private readonly field: string;

    constructor(node: LogicalNode) {
        if (node.config.kind !== 'source') throw new Error(`${node.id} is not a source`);
        this.config = node.config;
        this.field = node.schema[0]?.name ?? 'line';
    }

    async run(ctx: SourceContext): Promise<void> {
        const out = new SourceOutput(ctx, this.config, this.config.path);
        const encoding = sourceEncoding(this.config);
        const stream = await openSourceFile(this.config.path, ctx);
        try {
            for await (const { lines, firstLine, invalid } of readLines(stream, encoding)) {
                if (ctx.cancelled) break;
                const skip = (firstLine - 1 + ctx.parallelism - ctx.subtaskIndex) % ctx.parallelism;
                for (let i = skip; i < lines.length; i += ctx.parallelism) {
                    const bad = invalid.get(firstLine + i);
                    if (bad !== undefined) {
                        out.badRows.reject(bad, lines[i], invalidUtf8Problem(bad));
                        continue;
                    }
                    if (out.push({ [this.field]: lines[i] })) await out.flush();
                }
            }
        } finally {
            stream.destroy();
        }
        await out.flush();
    }
}

/**
 * text(path, encoding: "utf-8"): one record `{ line }` per line of the file (LF or CRLF), empty
 * lines included. A line that is not valid UTF-8 goes to the bad-row policy.
 * The path may name a directory or a glob; the files are read as splits (common/file-splits.ts).
 */
import type { LogicalNode, SourceConfig } from '../../../../protocol/logical-graph.js';
import type { SourceContext, SourceFunction } from '../../operators/operator.js';
import { detachedString } from '../common/detached-string.js';
import { readSourceLines } from '../common/line-splits.js';
import { invalidUtf8Problem } from '../common/source-encoding.js';
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
        for await (const { lines, firstLine, invalid, inFile, resumeAfter } of readSourceLines(ctx, this.config, out)) {
            for (let i = 0; i < lines.length; i++) {
                const bad = invalid.get(firstLine + i);
                if (bad !== undefined) {
                    out.badRows.reject(inFile(bad), lines[i], invalidUtf8Problem(bad));
                    continue;
                }
                // A copy: the line is a view of the whole decoded piece of file (detached-string.ts).
                if (out.push({ [this.field]: detachedString(lines[i]) })) await out.flush(resumeAfter(i));
            }
        }
        await out.flush();
    }
}

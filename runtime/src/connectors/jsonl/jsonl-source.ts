/**
 * jsonl(path, encoding: "utf-8"): one JSON object per line, converted by the schema (fields in
 * schema order, others dropped; timestamps as epoch ms or ISO-8601 strings). Blank lines are
 * skipped; a line that is not valid UTF-8, not JSON, or has a value that does not fit its field,
 * goes to the bad-row policy with file:line:column.
 * Subtask i of p takes lines i+1, i+1+p, ... so parallel instances share the parsing.
 */
import type { LogicalNode, SourceConfig } from '../../../../protocol/logical-graph.js';
import type { SourceContext, SourceFunction } from '../../operators/operator.js';
import { openSourceFile } from '../common/file-progress.js';
import { readLines } from '../common/line-reader.js';
import { invalidUtf8Problem, sourceEncoding } from '../common/source-encoding.js';
import { compileJsonRecordConverter, FieldError } from '../common/row-converter.js';
import { SourceOutput } from '../common/source-output.js';

/** The 1-based column of a JSON syntax error, from V8's message when it names a position. */
function syntaxErrorColumn(err: Error, line: string): number {
    const m = /position (\d+)/.exec(err.message);
    if (m) return Number(m[1]) + 1;
    return line.length > 0 ? line.length : 1;
}

/** Where a field's value starts in the line, for the error column (1 when not found). */
function fieldColumn(line: string, field: string): number {
    const i = line.indexOf(`${JSON.stringify(field)}`);
    if (i < 0) return 1;
    const colon = line.indexOf(':', i + field.length + 2);
    let j = colon + 1;
    while (j < line.length && line[j] === ' ') j++;
    return colon < 0 ? i + 1 : j + 1;
}

/** The jsonl source. */
export class JsonlSource implements SourceFunction {
    private readonly config: SourceConfig;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'source') throw new Error(`${node.id} is not a source`);
        this.config = node.config;
    }

    async run(ctx: SourceContext): Promise<void> {
        const out = new SourceOutput(ctx, this.config, this.config.path);
        const convert = compileJsonRecordConverter(this.node.schema);
        const encoding = sourceEncoding(this.config);
        const stream = await openSourceFile(this.config.path, ctx);
        try {
            for await (const { lines, firstLine, invalid } of readLines(stream, encoding)) {
                if (ctx.cancelled) break;
                // Parallel instances each read the file and take every p-th line (parsing is the cost).
                const skip = (firstLine - 1 + ctx.parallelism - ctx.subtaskIndex) % ctx.parallelism;
                for (let i = skip; i < lines.length; i += ctx.parallelism) {
                    const line = lines[i];
                    if (line.trim() === '') continue;
                    const bad = invalid.get(firstLine + i);
                    if (bad !== undefined) {
                        out.badRows.reject(bad, line, invalidUtf8Problem(bad));
                        continue;
                    }
                    let value: unknown;
                    try {
                        value = JSON.parse(line);
                    } catch (err) {
                        out.badRows.reject({ line: firstLine + i, column: syntaxErrorColumn(err as Error, line) }, line, `invalid JSON: ${(err as Error).message}`);
                        continue;
                    }
                    try {
                        if (out.push(convert(value))) await out.flush();
                    } catch (err) {
                        if (!(err instanceof FieldError)) throw err;
                        out.badRows.reject({ line: firstLine + i, column: fieldColumn(line, err.field) }, line, err.message);
                    }
                }
            }
        } finally {
            stream.destroy();
        }
        await out.flush();
    }
}

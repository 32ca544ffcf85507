/**
 * jsonl(path, encoding: "utf-8"): one JSON object per line, converted by the schema (fields in
 * schema order, others dropped; timestamps as epoch ms or ISO-8601 strings). Blank lines are
 * skipped; a line that is not valid UTF-8, not JSON, or has a value that does not fit its field,
 * goes to the bad-row policy with file:line:column.
 * The path may name a directory or a glob; the files are read as splits (common/file-splits.ts).
 */
import type { LogicalNode, SourceConfig } from '../../../../protocol/logical-graph.js';
import type { SourceContext, SourceFunction } from '../../operators/operator.js';
import { readSourceLines } from '../common/line-splits.js';
import { invalidUtf8Problem } from '../common/source-encoding.js';
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
        for await (const { lines, firstLine, invalid, lineNumber, inFile, resumeAfter } of readSourceLines(ctx, this.config, out)) {
            for (let i = 0; i < lines.length; i++) {
                const line = lines[i];
                if (line.trim() === '') continue;
                const bad = invalid.get(firstLine + i);
                if (bad !== undefined) {
                    out.badRows.reject(inFile(bad), line, invalidUtf8Problem(bad));
                    continue;
                }
                let value: unknown;
                try {
                    value = JSON.parse(line);
                } catch (err) {
                    out.badRows.reject({ line: lineNumber(firstLine + i), column: syntaxErrorColumn(err as Error, line) }, line, `invalid JSON: ${(err as Error).message}`);
                    continue;
                }
                try {
                    if (out.push(convert(value))) await out.flush(resumeAfter(i));
                } catch (err) {
                    if (!(err instanceof FieldError)) throw err;
                    out.badRows.reject({ line: lineNumber(firstLine + i), column: fieldColumn(line, err.field) }, line, err.message);
                }
            }
        }
        await out.flush();
    }
}

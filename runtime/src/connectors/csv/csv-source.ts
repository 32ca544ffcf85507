/**
 * csv(path, header: true, delimiter: ",", encoding: "utf-8"): one record per row, converted by the
 * schema. With a header, columns are matched by name (any order, extra columns ignored); without,
 * by position. Parsing is csv-parse's; malformed rows (unreadable, bytes that are not UTF-8, more
 * or fewer cells than the header or schema) and values that do not fit their type go to the
 * source's bad-row policy with file:line:column. Subtask i of p takes data rows i, i+p, ...
 */
import { Transform } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { LogicalNode, SchemaField, SourceConfig } from '../../../../protocol/logical-graph.js';
import type { Row, SourceContext, SourceFunction } from '../../operators/operator.js';
import { BadInputError } from '../common/bad-row-handler.js';
import { openSourceFile } from '../common/file-progress.js';
import { recordBatches } from '../common/record-batches.js';
import { convertText, FieldError } from '../common/row-converter.js';
import { SourceOutput } from '../common/source-output.js';
import { invalidUtf8Problem, sourceEncoding, Utf8LineChecker, type InvalidBytes } from '../common/source-encoding.js';

/** Passes a file's bytes through unchanged, noting (by line number) the lines that are not UTF-8. */
function utf8Check(invalid: Map<number, InvalidBytes>): Transform {
    const checker = new Utf8LineChecker();
    const note = (found: InvalidBytes[]): void => { for (const f of found) invalid.set(f.line, f); };
    return new Transform({
        transform(chunk: Buffer, _encoding, done) {
            note(checker.push(chunk));
            done(null, chunk);
        },
        flush(done) {
            note(checker.end());
            done();
        }
    });
}

/** The first line in [from, to) that is not UTF-8, if any; forgets those lines (each is read once). */
function takeInvalid(invalid: Map<number, InvalidBytes>, from: number, to: number): InvalidBytes | undefined {
    if (invalid.size === 0) return undefined;
    let first: InvalidBytes | undefined;
    for (let line = from; line < Math.max(to, from + 1); line++) {
        first ??= invalid.get(line);
        invalid.delete(line);
    }
    return first;
}

/** 1-based character column where field `index` starts in the raw text of a row. */
export function fieldColumn(raw: string, index: number, delimiter: string): number {
    let field = 0;
    let quoted = false;
    for (let i = 0; i < raw.length; i++) {
        if (field === index) return i + 1;
        const c = raw[i];
        if (c === '"') quoted = !quoted;
        else if (!quoted && raw.startsWith(delimiter, i)) field++;
    }
    return field === index ? raw.length + 1 : 1;
}

interface ParsedRecord { record: string[]; raw: string }

/** The csv source. */
export class CsvSource implements SourceFunction {
    private readonly config: SourceConfig;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'source') throw new Error(`${node.id} is not a source`);
        this.config = node.config;
    }

    async run(ctx: SourceContext): Promise<void> {
        const { options, path } = this.config;
        const header = options.header !== false && options.header !== 'false';
        const delimiter = typeof options.delimiter === 'string' ? options.delimiter : ',';
        const out = new SourceOutput(ctx, this.config, path);
        const skipBad = this.config.onError !== 'fail';
        const encoding = sourceEncoding(this.config);
        const stream = await openSourceFile(path, ctx);
        // Bytes that are not UTF-8 make their row bad; csv-parse would turn them into U+FFFD.
        const invalid = new Map<number, InvalidBytes>();
        const input = encoding === 'utf-8' ? stream.pipe(utf8Check(invalid)) : stream;
        // Line numbers are counted from each record's raw text rather than asking csv-parse for
        // `info` (which costs a quarter of the parsing time). After a record csv-parse had to skip,
        // counting resumes after the line its error names.
        let nextLine = 1;
        let consumed = 0;
        const resync: { at: number; line: number }[] = [];
        let unreadable = 0;
        const parser = input.pipe(parse({
            delimiter,
            encoding: encoding === 'latin1' ? 'latin1' : 'utf8',
            raw: true,
            relax_column_count: true,
            bom: true,
            skip_records_with_error: skipBad,
            on_skip: (err: CsvError | undefined, raw: string | undefined) => {
                const line = (err as { lines?: number } | undefined)?.lines;
                // Every parallel instance parses the whole file and meets every unreadable
                // record: the n-th one is judged (and counted) by instance n mod p only.
                if (unreadable++ % ctx.parallelism === ctx.subtaskIndex) {
                    out.badRows.reject({ line, column: 1 }, (raw ?? '').replace(/\r?\n$/, ''), `malformed CSV: ${err?.message ?? 'unreadable row'}`);
                }
                if (line !== undefined) resync.push({ at: parser.info.records, line: line + 1 });
                return undefined;
            }
        }));
        const schema = this.node.schema;
        let columns: number[] | undefined = header ? undefined : schema.map((_, i) => i);
        // Every row has as many cells as the header (or, without one, as the schema has fields).
        let cells = schema.length;
        // Parallel instances all parse the file; each converts (and judges) every p-th data row.
        let rowIndex = -1;
        try {
            for await (const records of recordBatches<ParsedRecord>(parser)) {
                if (ctx.cancelled) break;
                for (const { record, raw } of records) {
                    while (resync.length > 0 && resync[0].at <= consumed) nextLine = resync.shift()!.line;
                    consumed++;
                    const line = nextLine;
                    for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) nextLine++;
                    const bad = takeInvalid(invalid, line, nextLine);
                    if (record.length === 1 && record[0] === '' && raw.trim() === '') continue; // an empty line
                    if (columns === undefined) {
                        if (bad !== undefined) throw new BadInputError(`${out.badRows.where(bad)}: the header: ${invalidUtf8Problem(bad)}`);
                        columns = this.mapHeader(record, schema, out);
                        cells = record.length;
                        continue;
                    }
                    if (++rowIndex % ctx.parallelism !== ctx.subtaskIndex) continue;
                    if (bad !== undefined) {
                        out.badRows.reject(bad, raw.replace(/\r?\n$/, ''), invalidUtf8Problem(bad));
                        continue;
                    }
                    if (record.length !== cells) {
                        this.rejectCellCount(record, cells, columns, raw, line, delimiter, out);
                        continue;
                    }
                    const row = this.convert(record, columns, schema, raw, line, delimiter, out);
                    if (row !== undefined && out.push(row)) await out.flush();
                }
            }
        } catch (err) {
            // Only the parser's own errors are malformed CSV: an error of an operator chained
            // after this source (it runs inside `flush`) keeps its type, message and location.
            if (!(err instanceof CsvError)) throw err;
            const e = err as CsvError & { lines?: number };
            throw new BadInputError(`${out.badRows.where({ line: e.lines, column: 1 })}: malformed CSV: ${e.message}`);
        } finally {
            stream.destroy();
        }
        await out.flush();
    }

    /** Matches schema fields to header columns; a missing column is an error whatever the policy. */
    private mapHeader(header: string[], schema: SchemaField[], out: SourceOutput): number[] {
        const names = header.map((h) => h.trim());
        return schema.map((f) => {
            const i = names.indexOf(f.name);
            if (i < 0) throw new BadInputError(`${out.badRows.where({ line: 1, column: 1 })}: the header has no column "${f.name}" (its columns: ${names.join(', ')})`);
            return i;
        });
    }

    /** A row with missing or extra cells: the column is where the first extra cell starts, or the row's end. */
    private rejectCellCount(record: string[], cells: number, columns: number[], raw: string, line: number, delimiter: string, out: SourceOutput): void {
        const text = raw.replace(/\r?\n$/, '');
        if (record.length > cells) {
            out.badRows.reject({ line, column: fieldColumn(raw, cells, delimiter) }, text,
                `expected ${cells} fields, found ${record.length} (an extra value ${JSON.stringify(record[cells])})`);
            return;
        }
        const missing = this.node.schema.find((_, i) => columns[i] >= record.length);
        out.badRows.reject({ line, column: text.trimEnd().length + 1 }, text.trimEnd(),
            `expected ${cells} fields, found ${record.length}${missing ? ` (no value for field "${missing.name}")` : ''}`);
    }

    private convert(record: string[], columns: number[], schema: SchemaField[], raw: string, line: number, delimiter: string, out: SourceOutput): Row | undefined {
        const row: Row = {};
        for (let i = 0; i < schema.length; i++) {
            const col = columns[i];
            const f = schema[i];
            try {
                row[f.name] = convertText(f, record[col]);
            } catch (err) {
                if (!(err instanceof FieldError)) throw err;
                out.badRows.reject({ line, column: fieldColumn(raw, col, delimiter) }, raw.replace(/\r?\n$/, ''), err.message);
                return undefined;
            }
        }
        return row;
    }
}

/**
 * csv(path, header: true, delimiter: ",", encoding: "utf-8"): one record per row, converted by the
 * schema. With a header, columns are matched by name (any order, extra columns ignored); without,
 * by position. Parsing is csv-parse's; malformed rows (unreadable, bytes that are not UTF-8, more
 * or fewer cells than the header or schema) and values that do not fit their type go to the
 * source's bad-row policy with file:line:column. The path may name a directory or a glob; the
 * files are read as splits (common/file-splits.ts) whose first records csv-boundaries.ts finds.
 */
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { LogicalNode, SchemaField, SourceConfig } from '../../../../protocol/logical-graph.js';
import type { Row, SourceContext, SourceFunction } from '../../operators/operator.js';
import { BadInputError } from '../common/bad-row-handler.js';
import { openSplitStream } from '../common/file-progress.js';
import { assignSplits, SplitProgress, type FileSplit } from '../common/file-splits.js';
import { recordBatches } from '../common/record-batches.js';
import { convertText, FieldError } from '../common/row-converter.js';
import { listSourceFiles } from '../common/source-files.js';
import { SourceOutput } from '../common/source-output.js';
import { invalidUtf8Problem, sourceEncoding, Utf8LineChecker, type InvalidBytes } from '../common/source-encoding.js';
import { csvRecordStarts, type CsvRecordStart } from './csv-boundaries.js';

/** Passes a file's bytes through unchanged, noting (by line number) the lines that are not UTF-8. */
function utf8Check(invalid: Map<number, InvalidBytes>, start: CsvRecordStart): Transform {
    const checker = new Utf8LineChecker(start.newlines + 1, start.offset);
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

/** One csv record as csv-parse read it, with the file line it starts on and its bad bytes, if any. */
interface CsvRow {
    record: string[];
    raw: string;
    line: number;
    bad: InvalidBytes | undefined;
    /** Set for a record csv-parse could not read: what it said. */
    unreadable?: string;
}

interface ParsedRecord { record: string[]; raw: string }

/** How a source reads its csv files. */
interface CsvSettings {
    delimiter: string;
    header: boolean;
    encoding: ReturnType<typeof sourceEncoding>;
}

/** csv-parse names lines in its messages: from a split's start; these are the file's lines. */
function fileLines(message: string, linesBefore: number): string {
    return linesBefore === 0 ? message : message.replace(/\b(at|on) line (\d+)/g, (_, word: string, n: string) => `${word} line ${Number(n) + linesBefore}`);
}

const FILE_START: CsvRecordStart = { offset: 0, newlines: 0, parserLines: 0 };

/** The csv source. */
export class CsvSource implements SourceFunction {
    private readonly config: SourceConfig;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'source') throw new Error(`${node.id} is not a source`);
        this.config = node.config;
    }

    async run(ctx: SourceContext): Promise<void> {
        const { options, path } = this.config;
        const settings: CsvSettings = {
            header: options.header !== false && options.header !== 'false',
            delimiter: typeof options.delimiter === 'string' ? options.delimiter : ',',
            encoding: sourceEncoding(this.config)
        };
        const out = new SourceOutput(ctx, this.config, path);
        const files = await listSourceFiles(path, ctx);
        const splits = assignSplits(files, ctx.parallelism, ctx.subtaskIndex);
        const progress = new SplitProgress(ctx, splits);
        for (const split of splits) {
            if (ctx.cancelled) break;
            out.badRows.file = split.file.path;
            await this.readSplit(split, settings, ctx, out, progress);
        }
        progress.finish();
        await out.flush();
    }

    /** Reads the records that start in one split's byte range. */
    private async readSplit(split: FileSplit, settings: CsvSettings, ctx: SourceContext, out: SourceOutput, progress: SplitProgress): Promise<void> {
        const { file } = split;
        const [first, last] = split.start === 0 && split.end === file.size
            ? [FILE_START, { ...FILE_START, offset: file.size }]
            : csvRecordStarts(file.path, file.size, settings.delimiter, [split.start, split.end]);
        if (last.offset <= first.offset) return;
        const schema = this.node.schema;
        let columns: number[] | undefined = settings.header ? undefined : schema.map((_, i) => i);
        // Every row has as many cells as the header (or, without one, as the schema has fields).
        let cells = schema.length;
        if (settings.header && first.offset > 0) {
            // A split after the first reads the header at the file's start (before the split, or,
            // when only empty lines come before, as its own first record).
            const found = await this.readHeader(file.path, first, settings, out);
            if (found !== undefined) ({ columns, cells } = found);
        }
        const stream = openSplitStream(file.path, first.offset, last.offset, progress, split.end - split.start);
        try {
            for await (const rows of this.csvRows(stream, first, settings)) {
                if (ctx.cancelled) break;
                for (const { record, raw, line, bad, unreadable } of rows) {
                    if (unreadable !== undefined) {
                        out.badRows.reject({ line, column: 1 }, raw, unreadable);
                        continue;
                    }
                    if (record.length === 1 && record[0] === '' && raw.trim() === '') continue; // an empty line
                    if (columns === undefined) {
                        if (bad !== undefined) throw new BadInputError(`${out.badRows.where(bad)}: the header: ${invalidUtf8Problem(bad)}`);
                        columns = this.mapHeader(record, schema, out);
                        cells = record.length;
                        continue;
                    }
                    if (bad !== undefined) {
                        out.badRows.reject(bad, raw.replace(/\r?\n$/, ''), invalidUtf8Problem(bad));
                        continue;
                    }
                    if (record.length !== cells) {
                        this.rejectCellCount(record, cells, columns, raw, line, settings.delimiter, out);
                        continue;
                    }
                    const row = this.convert(record, columns, schema, raw, line, settings.delimiter, out);
                    if (row !== undefined && out.push(row)) await out.flush();
                }
            }
        } finally {
            stream.destroy();
        }
    }

    /** The header's column mapping from the records before `before` (undefined when they are all empty lines). */
    private async readHeader(path: string, before: CsvRecordStart, settings: CsvSettings, out: SourceOutput): Promise<{ columns: number[]; cells: number } | undefined> {
        const stream = createReadStream(path, { start: 0, end: before.offset - 1 });
        try {
            for await (const rows of this.csvRows(stream, FILE_START, settings)) {
                for (const { record, raw, bad, unreadable } of rows) {
                    if (unreadable !== undefined) continue; // not in a regular prefix: the split owning it reports it
                    if (record.length === 1 && record[0] === '' && raw.trim() === '') continue;
                    if (bad !== undefined) throw new BadInputError(`${out.badRows.where(bad)}: the header: ${invalidUtf8Problem(bad)}`);
                    return { columns: this.mapHeader(record, this.node.schema, out), cells: record.length };
                }
            }
            return undefined;
        } finally {
            stream.destroy();
        }
    }

    /**
     * The records of a byte stream that starts at record start `start`, parsed by csv-parse, in
     * batches, each with its file line. A record csv-parse cannot read comes in its place in the
     * order (as `unreadable`), so the bad-row policy meets every bad row in file order: under
     * `fail` the first bad row, whatever made it bad, stops the job.
     */
    private async* csvRows(stream: NodeJS.ReadableStream, start: CsvRecordStart, settings: CsvSettings): AsyncGenerator<CsvRow[]> {
        // Bytes that are not UTF-8 make their row bad; csv-parse would turn them into U+FFFD.
        const invalid = new Map<number, InvalidBytes>();
        const input = settings.encoding === 'utf-8' ? stream.pipe(utf8Check(invalid, start)) : stream;
        // Line numbers are counted from each record's raw text rather than asking csv-parse for
        // `info` (which costs a quarter of the parsing time). After a record csv-parse had to skip,
        // counting resumes after the line its error names. csv-parse counts lines from the
        // stream's start, in its own units: `parserLines` before the split make them the file's.
        let nextLine = start.newlines + 1;
        let consumed = 0;
        const unreadable: { at: number; line: number | undefined; raw: string; message: string }[] = [];
        const parser = input.pipe(parse({
            delimiter: settings.delimiter,
            encoding: settings.encoding === 'latin1' ? 'latin1' : 'utf8',
            raw: true,
            relax_column_count: true,
            // A byte order mark can only be at the file's start; a split after it has the
            // record delimiter csv-parse discovered there.
            bom: start.offset === 0,
            ...(start.recordDelimiter !== undefined ? { record_delimiter: start.recordDelimiter } : {}),
            // Under every policy: the policy is applied when the record's turn comes.
            skip_records_with_error: true,
            on_skip: (err: CsvError | undefined, raw: string | undefined) => {
                const relative = (err as { lines?: number } | undefined)?.lines;
                unreadable.push({
                    at: parser.info.records,
                    line: relative === undefined ? undefined : relative + start.parserLines,
                    raw: (raw ?? '').replace(/\r?\n$/, ''),
                    message: `malformed CSV: ${fileLines(err?.message ?? 'unreadable row', start.parserLines)}`
                });
                return undefined;
            }
        }));
        const takeUnreadable = (rows: CsvRow[], upTo: number): void => {
            while (unreadable.length > 0 && unreadable[0].at <= upTo) {
                const { line, raw, message } = unreadable.shift()!;
                rows.push({ record: [], raw, line: line ?? nextLine, bad: undefined, unreadable: message });
                if (line !== undefined) nextLine = line + 1;
            }
        };
        for await (const records of recordBatches<ParsedRecord>(parser)) {
            const rows: CsvRow[] = [];
            for (const { record, raw } of records) {
                takeUnreadable(rows, consumed);
                consumed++;
                const line = nextLine;
                for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) nextLine++;
                // After a CRLF record delimiter csv-parse's raw text ends with the CR: it leaves
                // out the LF, which ends a line all the same.
                if (raw.endsWith('\r')) nextLine++;
                rows.push({ record, raw, line, bad: takeInvalid(invalid, line, nextLine) });
            }
            yield rows;
        }
        const rest: CsvRow[] = [];
        takeUnreadable(rest, Infinity);
        if (rest.length > 0) yield rest;
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

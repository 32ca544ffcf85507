/**
 * The records of a csv byte range, with file lines and bad bytes: read by FastCsvRecords while the
 * csv is regular, by csv-parse from the first record that is not (and for every record when the
 * delimiter is not one ASCII byte).
 */
import { Transform } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { recordBatches } from '../common/record-batches.js';
import { sourceEncoding, Utf8LineChecker, type InvalidBytes } from '../common/source-encoding.js';
import type { CsvRecordStart } from './csv-boundaries.js';
import { FastCsvRecords, fastCsvOutput, type FastCsvOutput } from './fast-csv-records.js';
import type { CsvRowDecoder } from './csv-row-decoder.js';
import type { Row } from '../../operators/operator.js';

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

/** One csv record as csv-parse read it, with the file line it starts on and its bad bytes, if any. */
export interface CsvRow {
    record: string[];
    raw: string;
    line: number;
    bad: InvalidBytes | undefined;
    /** Set for a record csv-parse could not read: what it said. */
    unreadable?: string;
}

interface ParsedRecord { record: string[]; raw: string }

/** How a source reads its csv files. */
export interface CsvSettings {
    delimiter: string;
    header: boolean;
    encoding: ReturnType<typeof sourceEncoding>;
}

/** csv-parse names lines in its messages: from a split's start; these are the file's lines. */
function fileLines(message: string, linesBefore: number): string {
    return linesBefore === 0 ? message : message.replace(/\b(at|on) line (\d+)/g, (_, word: string, n: string) => `${word} line ${Number(n) + linesBefore}`);
}

const NO_BYTES = Buffer.alloc(0);

/** A file's start, as a record start. */
export const FILE_START: CsvRecordStart = { offset: 0, newlines: 0, parserLines: 0 };

/**
 * The records from record start `start` of the stream `open(offset)` gives (from a file offset to
 * the range's end), in batches.
 */
export async function* csvRecords(open: OpenRange, start: CsvRecordStart, settings: CsvSettings,
    options: { fast?: boolean } = {}): AsyncGenerator<CsvRow[]> {
    for await (const chunk of csvChunks(open, start, settings, options)) yield chunk.records;
}

/** A stream over a file's bytes from `offset` to the range's end. */
export type OpenRange = (offset: number) => NodeJS.ReadableStream & { destroy(): void };

/** The same bytes as byte chunks (the fast reader's input, read in fewer, larger reads: csv-file-reads.ts). */
export type ReadRange = (offset: number) => AsyncIterable<Buffer>;

/** Rows decoded on the fast path, and the records left to the general path, in file order. */
export interface CsvChunk {
    rows: Row[];
    /** Each comes just before rows[record.before]. */
    records: (CsvRow & { before: number })[];
    /**
     * When set (items the fast reader read): the record start after the chunk's n-th item in file
     * order (rows and records together), where a restored source reads on. csv-parse's chunks
     * have none.
     */
    startAfter?(n: number): CsvRecordStart;
}

/**
 * Like csvRecords, in chunks that also hold rows already decoded: while the input is regular and
 * has no bad bytes, each record is first offered to `options.decoder()` (asked once per chunk,
 * so the caller can supply it once it has read the header; `options.headerFirst`: the first
 * record comes in a chunk of its own, so the decoder is there for the rest of its piece).
 */
export async function* csvChunks(open: OpenRange, start: CsvRecordStart, settings: CsvSettings,
    options: { fast?: boolean; decoder?: () => CsvRowDecoder | undefined; read?: ReadRange; headerFirst?: boolean } = {}): AsyncGenerator<CsvChunk> {
    let from = start;
    // `fast: false` (tests: the fast reader must give csv-parse's records) reads with csv-parse only.
    if (options.fast !== false && FastCsvRecords.usable(settings.delimiter)) {
        const fast = new FastCsvRecords(start, settings.delimiter, settings.encoding === 'latin1' ? 'latin1' : 'utf8');
        const invalid = new Map<number, InvalidBytes>();
        const checker = settings.encoding === 'utf-8' ? new Utf8LineChecker(start.newlines + 1, start.offset) : undefined;
        const note = (found: InvalidBytes[] | undefined): void => { for (const f of found ?? []) invalid.set(f.line, f); };
        const chunkOf = (out: FastCsvOutput): CsvChunk => ({
            rows: out.rows,
            startAfter: fast.resumeAfter(out),
            records: out.records.map(({ record, raw, line, before }) => {
                let end = line;
                for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) end++;
                if (raw.endsWith('\r')) end++;
                return { record, raw, line, before, bad: invalid.size === 0 ? undefined : takeInvalid(invalid, line, end) };
            })
        });
        // Records on lines with bytes that are not UTF-8 take the general path (which names them).
        const decoder = (): CsvRowDecoder | undefined => (invalid.size === 0 ? options.decoder?.() : undefined);
        // With a header still to map, the first record comes alone, and the rest of its piece is
        // parsed once the caller has mapped it (with the decoder it can then give).
        fast.stopAfterFirstRecord = options.headerFirst === true;
        // Leaving the loop early (a handover, a cancelled task) ends the stream or closes the file.
        for await (const chunk of options.read?.(start.offset) ?? open(start.offset) as AsyncIterable<Buffer>) {
            note(checker?.push(chunk));
            for (let piece = chunk; ; piece = NO_BYTES) {
                const headerAlone = fast.stopAfterFirstRecord;
                const out = fastCsvOutput();
                fast.push(piece, out, decoder());
                if (out.rows.length > 0 || out.records.length > 0) yield chunkOf(out);
                if (fast.handover !== undefined || !headerAlone || fast.stopAfterFirstRecord) break;
            }
            if (fast.handover !== undefined) break;
        }
        if (fast.handover === undefined) {
            note(checker?.end());
            const out = fastCsvOutput();
            fast.end(out, decoder());
            if (out.rows.length > 0 || out.records.length > 0) yield chunkOf(out);
        }
        if (fast.handover === undefined) return;
        from = fast.handover;
    }
    const stream = open(from.offset);
    try {
        for await (const records of csvParseRows(stream, from, settings)) yield { rows: [], records: records.map((r) => ({ ...r, before: 0 })) };
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
async function* csvParseRows(stream: NodeJS.ReadableStream, start: CsvRecordStart, settings: CsvSettings): AsyncGenerator<CsvRow[]> {
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

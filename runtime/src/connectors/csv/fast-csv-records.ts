/**
 * A csv reader for regular csv, about ten times faster than csv-parse (docs/benchmarks.md, "CSV
 * files"): `indexOf` over text decoded a run of whole lines at a time. It yields exactly the
 * records csv-parse yields (cells, raw text as csv-parse gives it, file lines), and at the first
 * thing csv-parse would report as unreadable or read its own way (see csv-boundaries.ts: a quote
 * inside an unquoted field, a closing quote followed by another character, a quote never closed,
 * a lone CR, mixed line ends) it stops and names the record start there, from which csv-parse
 * reads the rest, errors and all.
 */
import type { Row } from '../../operators/operator.js';
import type { CsvRecordStart } from './csv-boundaries.js';
import type { CsvCells, CsvRowDecoder } from './csv-row-decoder.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** One record: its cells, its raw text (csv-parse's: a CRLF delimiter leaves only its CR), its line. */
export interface FastCsvRecord {
    record: string[];
    raw: string;
    line: number;
    /** How many decoded rows of the same output come before it. */
    before: number;
}

/**
 * What parsing a chunk gave, in file order: decoded rows, and records interleaved by `before`.
 * `lineAfter[n]` and `parserLinesAfter[n]` are the file line and csv-parse's line count after the
 * n-th item in file order (rows and records together): a restore position per row, made exact
 * without the row's raw text (see `resumeAfter`).
 */
export interface FastCsvOutput {
    rows: Row[];
    records: FastCsvRecord[];
    lineAfter: number[];
    parserLinesAfter: number[];
    /** Set when the last item is a file's last record with no line break after it. */
    unterminated?: boolean;
}

/** An empty output to parse into. */
export function fastCsvOutput(): FastCsvOutput {
    // The rows array starts with object elements: pushing the first row into an empty literal
    // (small-integer elements) changed its elements kind and deoptimised the parse loop.
    const rows: Row[] = [OBJECT_ELEMENTS];
    rows.length = 0;
    return { rows, records: [], lineAfter: [], parserLinesAfter: [] };
}

const OBJECT_ELEMENTS: Row = {};

/** The bytes a push parsed records from: file offset of its first byte, and the line there. */
interface ParsedFrom { bytes: Buffer; offset: number; line: number }

/** The first index of `search` in `text` at or after `from`, or text.length. */
function indexOrLength(text: string, search: string, from: number, length: number): number {
    // `length` is text.length, passed in: read here only when nothing is found (at a piece's
    // end), its first read could come after the parse loop was optimised, and deoptimise it.
    const at = text.indexOf(search, from);
    return at < 0 ? length : at;
}

/** Line breaks in `s` as csv-parse counts them inside quotes: every CR and every LF. */
function breaks(s: string): number {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === LF || c === CR) n++;
    }
    return n;
}

/** How many LF characters text[from, to) holds. */
function newlinesIn(text: string, from: number, to: number): number {
    let n = 0;
    for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
    return n;
}

/** Reads records from byte chunks of a stream that starts at a record start. */
export class FastCsvRecords {
    /** Bytes of a record not complete yet (and what follows it). */
    private carry: Buffer | undefined;
    /** File offset of the next byte not yet parsed into records. */
    private offset: number;
    private nextLine: number;
    private parserLines: number;
    private recordDelimiter: '\n' | '\r\n' | undefined;
    private readonly delimiter: number;
    private readonly delimiterText: string;
    private atFileStart: boolean;
    /** Set once the input stops being regular: csv-parse reads on from this record start. */
    handover: CsvRecordStart | undefined;
    /**
     * When set, the next push parses only the first record (a header) and carries the rest, then
     * clears this: the caller maps the header and parses the rest with its decoder (csvChunks).
     * Parsed without one, the rest of a split's first 64 KB took the general path, and the parse
     * loop, optimised meanwhile with no feedback for the decoder's call, was optimised again.
     */
    stopAfterFirstRecord = false;
    /** The bytes the text being parsed was decoded from (starting at `offset`). */
    private bytes: Buffer = Buffer.alloc(0);
    /** The current record's cells (reused from record to record). */
    private readonly cells: CsvCells = { text: '', starts: new Int32Array(16), ends: new Int32Array(16), quoted: [], count: 0 };
    /** Where the items of the last push or end began (for `resumeAfter`). */
    private parsed: ParsedFrom = { bytes: Buffer.alloc(0), offset: 0, line: 1 };

    /** `delimiter` must be one ASCII byte other than a quote, CR or LF (`usable`). */
    constructor(start: CsvRecordStart, delimiter: string, private readonly encoding: 'utf8' | 'latin1') {
        this.offset = start.offset;
        this.nextLine = start.newlines + 1;
        this.parserLines = start.parserLines;
        this.recordDelimiter = start.recordDelimiter;
        this.delimiter = delimiter.charCodeAt(0);
        this.delimiterText = delimiter;
        this.atFileStart = start.offset === 0;
    }

    /**
     * For the output `out` of the last push or end: the record start after its n-th item (file
     * order), computed only when asked (at a checkpoint). Lines come from `out.lineAfter`; the
     * offset is after the LF that ends the item (the k-th LF of the bytes, k the lines it ends
     * after the first): a LF is one byte whatever the encoding, so no character counting.
     */
    resumeAfter(out: FastCsvOutput): (n: number) => CsvRecordStart {
        const { bytes, offset, line } = this.parsed;
        const recordDelimiter = this.recordDelimiter;
        return (n) => {
            const nextLine = out.lineAfter[n];
            // The last record of a file may end without a line break: it ends with the bytes.
            let end = offset + bytes.length;
            if (!(out.unterminated === true && n === out.lineAfter.length - 1)) {
                let at = 0;
                for (let k = nextLine - line; k > 0; k--) at = bytes.indexOf(LF, at) + 1;
                end = offset + at;
            }
            return { offset: end, newlines: nextLine - 1, parserLines: out.parserLinesAfter[n], recordDelimiter };
        };
    }

    /** Whether this reader can read csv with `delimiter` (else csv-parse reads it all). */
    static usable(delimiter: string): boolean {
        const d = delimiter.charCodeAt(0);
        return delimiter.length === 1 && d < 0x80 && d !== QUOTE && d !== CR && d !== LF;
    }

    /** Parses the records `chunk` completes into `out`, decoding rows with `decode` where it can. */
    push(chunk: Buffer, out: FastCsvOutput, decode?: CsvRowDecoder): void {
        if (this.handover !== undefined) return;
        let buf = this.carry === undefined ? chunk : Buffer.concat([this.carry, chunk]);
        if (this.atFileStart) {
            if (buf.length < 3) {
                this.carry = buf;
                return;
            }
            buf = this.skipByteOrderMark(buf);
            if (this.handover !== undefined) return;
        }
        const lastLf = buf.lastIndexOf(LF);
        if (lastLf < 0) {
            this.carry = buf;
            return;
        }
        const text = buf.toString(this.encoding, 0, lastLf + 1);
        this.bytes = buf;
        this.parsed = { bytes: buf, offset: this.offset, line: this.nextLine };
        const stopped = this.parse(text, false, out, decode);
        // The bytes from the first record not parsed on are carried to the next chunk. A record
        // starts after a LF, and a LF is one byte and one character whatever the bytes around
        // it (a byte that is not UTF-8 decodes to U+FFFD, three bytes long): count lines back.
        let used = lastLf + 1;
        for (let k = newlinesIn(text, stopped, text.length); k > 0; k--) used = buf.lastIndexOf(LF, used - 2) + 1;
        this.offset += used;
        this.carry = used < buf.length ? buf.subarray(used) : undefined;
    }

    /** The stream ended: parses the last record (which may have no line break at its end). */
    end(out: FastCsvOutput, decode?: CsvRowDecoder): void {
        if (this.handover !== undefined || this.carry === undefined) return;
        let buf = this.carry;
        if (this.atFileStart) {
            buf = this.skipByteOrderMark(buf);
            if (this.handover !== undefined) return;
        }
        this.carry = undefined;
        const text = buf.toString(this.encoding);
        this.bytes = buf;
        this.parsed = { bytes: buf, offset: this.offset, line: this.nextLine };
        const stopped = this.parse(text, true, out, decode);
        if (stopped < text.length && this.handover === undefined) this.stop(text, stopped);
    }

    /**
     * csv-parse drops a UTF-8 byte order mark, and then reads the file as UTF-8 even when told
     * latin1; a UTF-16 one makes it read UTF-16. The fast reader reads only the plain case.
     */
    private skipByteOrderMark(buf: Buffer): Buffer {
        this.atFileStart = false;
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
            if (this.encoding === 'latin1') {
                this.stop();
                return buf;
            }
            this.offset += 3;
            return buf.subarray(3);
        }
        if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) this.stop();
        return buf;
    }

    private stop(text?: string, at?: number): void {
        const offset = text === undefined || at === undefined ? this.offset : this.offset + this.byteOffset(text, at);
        this.handover = { offset, newlines: this.nextLine - 1, parserLines: this.parserLines, recordDelimiter: this.recordDelimiter };
    }

    /** The offset in `bytes` of the record start at character `at` of `text` (after a LF, or 0). */
    private byteOffset(text: string, at: number): number {
        let offset = 0;
        for (let k = newlinesIn(text, 0, at); k > 0; k--) offset = this.bytes.indexOf(LF, offset) + 1;
        return offset;
    }

    /**
     * Parses whole records of `text` into `out`; returns where the first record not parsed
     * starts (incomplete: more input needed; or, with `handover` set, irregular). With a
     * `decode`, each record's cells are first offered to it as offsets (CsvCells): a row it
     * returns goes to `out.rows`, and only the records it declines become FastCsvRecords.
     */
    private parse(text: string, final: boolean, out: FastCsvOutput, decode?: CsvRowDecoder): number {
        const len = text.length;
        const d = this.delimiter;
        const cells = this.cells;
        cells.text = text;
        // The next quote and CR at or after the scan position (len: none): an unquoted cell
        // holds one only when it lies inside the cell, so cells need no search of their own.
        let nextQuote = -1;
        let nextCr = -1;
        let i = 0;
        records: while (i < len) {
            const start = i;
            let count = 0;
            let quotedBreaks = 0;
            let lineEnd = text.indexOf('\n', i);
            for (;;) {
                if (count === cells.starts.length) this.growCells();
                let c = text.charCodeAt(i);
                if (c === QUOTE) {
                    let value = '';
                    let j = i + 1;
                    for (;;) {
                        const q = text.indexOf('"', j);
                        if (q < 0 || (q + 1 >= len && !final)) {
                            if (final) return this.irregular(text, start);
                            return start; // the field goes on in the next chunk
                        }
                        if (text.charCodeAt(q + 1) === QUOTE) {
                            value += text.slice(j, q + 1);
                            j = q + 2;
                            continue;
                        }
                        value += text.slice(j, q);
                        i = q + 1;
                        break;
                    }
                    if (value.includes('\n') || value.includes('\r')) {
                        quotedBreaks += breaks(value);
                        lineEnd = text.indexOf('\n', i);
                    }
                    cells.starts[count] = -1;
                    cells.quoted[count] = value;
                    count++;
                    c = i < len ? text.charCodeAt(i) : -1;
                    if (c !== d && c !== LF && c !== CR && c !== -1) return this.irregular(text, start);
                } else {
                    const end = lineEnd < 0 ? len : lineEnd;
                    let next = text.indexOf(this.delimiterText, i);
                    if (next < 0 || next > end) next = end;
                    if (nextQuote < i && nextQuote !== len) nextQuote = indexOrLength(text, '"', i, len);
                    if (nextCr < i && nextCr !== len) nextCr = indexOrLength(text, '\r', i, len);
                    if (nextQuote < next || nextCr < next) {
                        // A CR just before the line's LF is part of a CRLF; anything else is not regular.
                        if (nextQuote < next || next !== end || nextCr !== next - 1) return this.irregular(text, start);
                        cells.starts[count] = i;
                        cells.ends[count] = next - 1;
                        count++;
                        i = next - 1;
                    } else {
                        cells.starts[count] = i;
                        cells.ends[count] = next;
                        count++;
                        i = next;
                    }
                    c = i < len ? text.charCodeAt(i) : -1;
                }
                if (c === d) {
                    i++;
                    continue;
                }
                // The record ends: at a CR(LF), a LF, or the end of the input.
                let rawEnd: number;
                if (c === -1) {
                    if (!final) return start;
                    out.unterminated = true;
                    rawEnd = len;
                    i = len;
                } else if (c === CR) {
                    if (text.charCodeAt(i + 1) !== LF) return this.irregular(text, start); // a lone CR
                    this.recordDelimiter ??= '\r\n';
                    if (this.recordDelimiter !== '\r\n') return this.irregular(text, start);
                    rawEnd = i + 1; // csv-parse's raw text keeps the CR, not the LF
                    i += 2;
                } else {
                    this.recordDelimiter ??= '\n';
                    if (this.recordDelimiter !== '\n') return this.irregular(text, start);
                    rawEnd = i + 1;
                    i += 1;
                }
                cells.count = count;
                const row = decode?.(cells);
                if (row !== undefined) out.rows.push(row);
                else out.records.push({ record: this.cellValues(), raw: text.slice(start, rawEnd), line: this.nextLine, before: out.rows.length });
                // Lines: the LFs of the raw text (the one ending it, those inside quotes), and
                // the LF after a CR that ends it.
                const newlines = quotedBreaks === 0 ? (c === LF ? 1 : 0) : newlinesIn(text, start, rawEnd);
                this.nextLine += newlines + (c === CR ? 1 : 0);
                this.parserLines += quotedBreaks + (c === -1 ? 0 : 1);
                out.lineAfter.push(this.nextLine);
                out.parserLinesAfter.push(this.parserLines);
                if (this.stopAfterFirstRecord && !final) {
                    this.stopAfterFirstRecord = false;
                    return i;
                }
                continue records;
            }
        }
        return i;
    }

    /** The current record's cells as strings. */
    private cellValues(): string[] {
        const { text, starts, ends, quoted, count } = this.cells;
        const values: string[] = new Array(count);
        for (let k = 0; k < count; k++) values[k] = starts[k] < 0 ? quoted[k] : text.slice(starts[k], ends[k]);
        return values;
    }

    private growCells(): void {
        const size = this.cells.starts.length * 2;
        const starts = new Int32Array(size);
        const ends = new Int32Array(size);
        starts.set(this.cells.starts);
        ends.set(this.cells.ends);
        this.cells.starts = starts;
        this.cells.ends = ends;
    }

    /** The record at `start` is not regular: csv-parse reads on from there. */
    private irregular(text: string, start: number): number {
        this.handover = {
            offset: this.offset + this.byteOffset(text, start),
            newlines: this.nextLine - 1, parserLines: this.parserLines, recordDelimiter: this.recordDelimiter
        };
        return start;
    }
}

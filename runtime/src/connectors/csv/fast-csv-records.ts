/**
 * A csv reader for regular csv, about ten times faster than csv-parse (docs/benchmarks.md, "CSV
 * files"): `indexOf` over text decoded a run of whole lines at a time. It yields exactly the
 * records csv-parse yields (cells, raw text as csv-parse gives it, file lines), and at the first
 * thing csv-parse would report as unreadable or read its own way (see csv-boundaries.ts: a quote
 * inside an unquoted field, a closing quote followed by another character, a quote never closed,
 * a lone CR, mixed line ends) it stops and names the record start there, from which csv-parse
 * reads the rest, errors and all.
 */
import type { CsvRecordStart } from './csv-boundaries.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** One record: its cells, its raw text (csv-parse's: a CRLF delimiter leaves only its CR), its line. */
export interface FastCsvRecord { record: string[]; raw: string; line: number }

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

/** The bytes a push parsed records from: file offset of its first byte, line and csv-parse lines there. */
interface ParsedFrom { bytes: Buffer; offset: number; line: number; parserLines: number }

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
    /** The bytes the text being parsed was decoded from (starting at `offset`). */
    private bytes: Buffer = Buffer.alloc(0);
    /** Where the records of the last push or end began (for `resumeAfter`). */
    private parsed: ParsedFrom = { bytes: Buffer.alloc(0), offset: 0, line: 1, parserLines: 0 };

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
     * For the records the last push or end gave (`records`): the record start after
     * `records[j]`, computed only when asked (at a checkpoint). Lines and csv-parse's line count
     * follow from the records' raw text as `parse` counts them; the offset is after the LF that
     * ends the record (the k-th LF of the bytes, k its line breaks so far).
     */
    resumeAfter(records: readonly FastCsvRecord[]): (j: number) => CsvRecordStart {
        const { bytes, offset, line, parserLines } = this.parsed;
        const recordDelimiter = this.recordDelimiter;
        return (j) => {
            let nextLine = line;
            let lines = parserLines;
            for (let r = 0; r <= j; r++) {
                const raw = records[r].raw;
                for (let k = raw.indexOf('\n'); k >= 0; k = raw.indexOf('\n', k + 1)) nextLine++;
                if (raw.endsWith('\r')) nextLine++;
                lines += breaks(raw);
            }
            const ended = records[j].raw.endsWith('\n') || records[j].raw.endsWith('\r');
            let at = 0;
            for (let k = nextLine - line; k > 0 && at >= 0; k--) at = bytes.indexOf(LF, at) + 1;
            const end = ended && at > 0 ? offset + at : offset + bytes.length;
            return { offset: end, newlines: nextLine - 1, parserLines: lines, recordDelimiter };
        };
    }

    /** Whether this reader can read csv with `delimiter` (else csv-parse reads it all). */
    static usable(delimiter: string): boolean {
        const d = delimiter.charCodeAt(0);
        return delimiter.length === 1 && d < 0x80 && d !== QUOTE && d !== CR && d !== LF;
    }

    /** Parses the records `chunk` completes into `out`. */
    push(chunk: Buffer, out: FastCsvRecord[]): void {
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
        this.parsed = { bytes: buf, offset: this.offset, line: this.nextLine, parserLines: this.parserLines };
        const stopped = this.parse(text, false, out);
        // The bytes from the first record not parsed on are carried to the next chunk. A record
        // starts after a LF, and a LF is one byte and one character whatever the bytes around
        // it (a byte that is not UTF-8 decodes to U+FFFD, three bytes long): count lines back.
        let used = lastLf + 1;
        for (let k = newlinesIn(text, stopped, text.length); k > 0; k--) used = buf.lastIndexOf(LF, used - 2) + 1;
        this.offset += used;
        this.carry = used < buf.length ? buf.subarray(used) : undefined;
    }

    /** The stream ended: parses the last record (which may have no line break at its end). */
    end(out: FastCsvRecord[]): void {
        if (this.handover !== undefined || this.carry === undefined) return;
        let buf = this.carry;
        if (this.atFileStart) {
            buf = this.skipByteOrderMark(buf);
            if (this.handover !== undefined) return;
        }
        this.carry = undefined;
        const text = buf.toString(this.encoding);
        this.bytes = buf;
        this.parsed = { bytes: buf, offset: this.offset, line: this.nextLine, parserLines: this.parserLines };
        const stopped = this.parse(text, true, out);
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
     * starts (incomplete: more input needed; or, with `handover` set, irregular).
     */
    private parse(text: string, final: boolean, out: FastCsvRecord[]): number {
        const len = text.length;
        const d = this.delimiter;
        let i = 0;
        records: while (i < len) {
            const start = i;
            const cells: string[] = [];
            let quotedBreaks = 0;
            let lineEnd = text.indexOf('\n', i);
            for (;;) {
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
                    cells.push(value);
                    c = i < len ? text.charCodeAt(i) : -1;
                    if (c !== d && c !== LF && c !== CR && c !== -1) return this.irregular(text, start);
                } else {
                    const end = lineEnd < 0 ? len : lineEnd;
                    let next = text.indexOf(this.delimiterText, i);
                    if (next < 0 || next > end) next = end;
                    const value = text.slice(i, next);
                    if (value.includes('"') || value.includes('\r')) {
                        // A CR just before the line's LF is part of a CRLF; anything else is not regular.
                        if (value.includes('"') || next !== end || value.indexOf('\r') !== value.length - 1) return this.irregular(text, start);
                        cells.push(value.slice(0, -1));
                        i = next - 1;
                    } else {
                        cells.push(value);
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
                const raw = text.slice(start, rawEnd);
                out.push({ record: cells, raw, line: this.nextLine });
                let newlines = 0;
                for (let k = raw.indexOf('\n'); k >= 0; k = raw.indexOf('\n', k + 1)) newlines++;
                this.nextLine += newlines + (c === CR ? 1 : 0);
                this.parserLines += quotedBreaks + (c === -1 ? 0 : 1);
                continue records;
            }
        }
        return i;
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

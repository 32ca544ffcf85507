/**
 * Where csv records start, for splitting a csv file exactly. A newline inside a quoted field does
 * not end a record, and whether a byte is inside quotes depends on every quote before it, so a
 * split cannot find its first record by looking near its start. Instead the split scans the file
 * from its beginning with the part of csv-parse's state machine that decides record boundaries
 * (quotes at field starts, `""` escapes, closing quotes, the record delimiter csv-parse discovers
 * from the first line break), and counts lines as it goes. The scan touches each byte once with
 * a few comparisons, a small fraction of what parsing costs.
 *
 * The boundaries are exactly csv-parse's only while the file is regular csv: when the scan meets
 * something csv-parse reports as an error (a quote inside an unquoted field, a closing quote
 * followed by another character, a quote never closed) or a line break csv-parse would read
 * differently (a lone CR, a LF in a CRLF file, a CR in a LF file, a multi-byte delimiter, a
 * UTF-16 byte order mark), no later boundary can be trusted: the split that holds that place reads
 * on to the end of the file, and the later splits read nothing. Every split computes the same
 * boundaries, so the records are still read exactly once, in the same records a single reader
 * makes, with the same errors.
 */
import { ForwardFileReader } from '../common/file-splits.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** A record start, and the lines before it as the csv source counts them. */
export interface CsvRecordStart {
    /** Byte offset of the record's first byte (the file's size when no record starts there). */
    offset: number;
    /** Newline bytes (LF) before it: the record's line is this + 1. */
    newlines: number;
    /** Line breaks before it as csv-parse counts them in its `lines` (1 per record delimiter, 1 per CR or LF inside quotes). */
    parserLines: number;
    /** The record delimiter csv-parse discovered before it (undefined before the first line break). */
    recordDelimiter?: '\n' | '\r\n';
}

/** Bytes the scan reads at a time, at least 2 (tests make it small, to put window ends everywhere). */
export const boundaryScan = { windowBytes: 1 << 20 };

/**
 * The first record start at or after each of `positions` (ascending byte offsets), scanning the
 * file from its start. A position past an irregularity (see above) gets the file's size.
 */
export function csvRecordStarts(path: string, size: number, delimiter: string, positions: readonly number[]): CsvRecordStart[] {
    const results: CsvRecordStart[] = [];
    let next = 0; // the next position to answer
    while (next < positions.length && positions[next] <= 0) {
        results.push({ offset: 0, newlines: 0, parserLines: 0 });
        next++;
    }
    // Only a one-byte delimiter other than a quote or line break lets a quote's field start be
    // read from the byte before it.
    const delim = Buffer.from(delimiter, 'latin1');
    const regularDelimiter = delim.length === 1 && delimiter.charCodeAt(0) < 0x80 && ![QUOTE, CR, LF].includes(delim[0]);
    if (next < positions.length && regularDelimiter) {
        const reader = new ForwardFileReader(path);
        try {
            new RecordStartScan(reader, size, delim[0], positions, next, results).run();
        } finally {
            reader.close();
        }
    }
    // Positions after the last record start: the end of the file (or, after an irregularity,
    // the end too, which the split holding it reads to).
    while (results.length < positions.length) results.push({ offset: size, newlines: 0, parserLines: 0 });
    return results;
}

/**
 * The scan itself: a window of the file at a time, its state in fields between windows and in
 * local variables inside the loop over a window's bytes (the loop runs once per byte of the
 * file's part before the last position: it must stay tight).
 */
class RecordStartScan {
    private newlines = 0;
    private parserLines = 0;
    private recordDelimiter: '\n' | '\r\n' | undefined;
    private quoted = false;
    /** File offset where the current record starts. */
    private recordStart = 0;
    private irregular = false;
    /** The window: file offset of buffer[0], bytes in it, and the byte before it (-1 at the file's start). */
    private windowStart = 0;
    private windowLength = 0;
    private prev = -1;

    constructor(private readonly reader: ForwardFileReader, private readonly size: number, private readonly d: number,
        private readonly positions: readonly number[], private next: number, private readonly results: CsvRecordStart[]) {}

    /** Moves the window to start at file offset `at` (the byte before it is kept in `prev`). */
    private load(at: number): void {
        const buf = this.reader.buffer;
        const local = at - this.windowStart;
        this.prev = at === 0 ? -1 : local > 0 && local <= this.windowLength ? buf[local - 1] : this.prev;
        this.windowStart = at;
        this.windowLength = at >= this.size ? 0 : this.reader.read(at, boundaryScan.windowBytes);
    }

    /** The byte at window index `i + 1`, moving the window to start at `i` when it ends before (-1 at the file's end). */
    private after(i: number): { i: number; byte: number } {
        if (i + 1 < this.windowLength) return { i, byte: this.reader.buffer[i + 1] };
        this.load(this.windowStart + i);
        return { i: 0, byte: this.windowLength > 1 ? this.reader.buffer[1] : -1 };
    }

    /** Answers the positions at or before the record start that was just found. */
    private answer(): void {
        const { positions, recordStart } = this;
        while (this.next < positions.length && positions[this.next] <= recordStart) {
            this.results.push({ offset: recordStart, newlines: this.newlines, parserLines: this.parserLines, recordDelimiter: this.recordDelimiter });
            this.next++;
        }
    }

    run(): void {
        this.load(0);
        const buf = this.reader.buffer;
        let i = 0;
        // A UTF-8 byte order mark is not part of the first record; a UTF-16 one makes csv-parse
        // change its encoding: not regular.
        if (this.windowLength >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
        else if (this.windowLength >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) return;
        this.recordStart = i;
        while (this.windowLength > 0) {
            i = this.quoted ? this.scanQuoted(i) : this.scanUnquoted(i);
            if (this.irregular || this.next === this.positions.length) return;
            if (i >= this.windowLength) {
                this.load(this.windowStart + this.windowLength);
                i = 0;
            }
        }
        // csv-parse: Quote Not Closed (a position after it is answered with the file's end).
    }

    /** Inside quotes only a quote matters; CR and LF count as lines. Returns where to go on. */
    private scanQuoted(from: number): number {
        const buf = this.reader.buffer;
        const n = this.windowLength;
        let i = from;
        for (; i < n; i++) {
            const c = buf[i];
            if (c === QUOTE) break;
            if (c === LF) { this.newlines++; this.parserLines++; } else if (c === CR) this.parserLines++;
        }
        if (i === n) return n;
        const after = this.after(i);
        if (after.byte === QUOTE) return after.i + 2; // an escaped quote
        if (after.byte === -1 || after.byte === this.d || after.byte === LF || after.byte === CR) {
            this.quoted = false;
            return after.i + 1;
        }
        this.irregular = true; // csv-parse: Invalid Closing Quote
        return n;
    }

    /** Outside quotes: line breaks end records; a quote opens a quoted field. Returns where to go on. */
    private scanUnquoted(from: number): number {
        const buf = this.reader.buffer;
        const { positions, d } = this;
        const n = this.windowLength;
        const windowStart = this.windowStart;
        // The hot state in locals, written back below (the loop runs once per byte).
        let newlines = this.newlines;
        let parserLines = this.parserLines;
        let recordStart = this.recordStart;
        const waitingFor = positions[this.next];
        // Read once: the loop stops before anything that sets it. (Read in the loop, it was
        // undefined until the first line break, and the loop optimised before it had a string
        // there was deoptimised.)
        const lfDelimited = this.recordDelimiter === '\n';
        let i = from;
        for (; i < n; i++) {
            const c = buf[i];
            if (c !== QUOTE && c !== LF && c !== CR) continue;
            if (c === LF && lfDelimited) {
                newlines++;
                parserLines++;
                recordStart = windowStart + i + 1;
                if (waitingFor <= recordStart) break;
                continue;
            }
            break;
        }
        this.newlines = newlines;
        this.parserLines = parserLines;
        this.recordStart = recordStart;
        if (i === n) return n;
        const c = buf[i];
        if (c === LF && lfDelimited) {
            this.answer(); // the loop stopped at a record start a position waits for
            return i + 1;
        }
        if (c === QUOTE) {
            const before = windowStart + i === this.recordStart ? d : i > 0 ? buf[i - 1] : this.prev;
            if (before !== d) { this.irregular = true; return n; } // csv-parse: Invalid Opening Quote
            this.quoted = true;
            return i + 1;
        }
        let length: number;
        let at = i;
        if (c === CR) {
            const after = this.after(i);
            at = after.i;
            if (after.byte !== LF) { this.irregular = true; return n; } // a lone CR
            this.recordDelimiter ??= '\r\n';
            if (this.recordDelimiter !== '\r\n') { this.irregular = true; return n; }
            length = 2;
        } else {
            this.recordDelimiter ??= '\n';
            if (this.recordDelimiter !== '\n') { this.irregular = true; return n; } // a LF in a CRLF file
            length = 1;
        }
        this.newlines++;
        this.parserLines++;
        this.recordStart = this.windowStart + at + length;
        // (Checked here so the scan makes no object for the records no position waits for.)
        if (positions[this.next] <= this.recordStart) this.answer();
        return at + length;
    }
}

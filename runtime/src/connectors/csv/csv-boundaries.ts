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

/**
 * The first record start at or after each of `positions` (ascending byte offsets), scanning the
 * file from its start. A position past an irregularity (see above) gets the file's size.
 */
export function csvRecordStarts(path: string, size: number, delimiter: string, positions: readonly number[]): CsvRecordStart[] {
    const results: CsvRecordStart[] = [];
    let next = 0; // the next position to answer
    const endOfFile = (): CsvRecordStart => ({ offset: size, newlines: 0, parserLines: 0 });
    const answerUpTo = (start: CsvRecordStart): void => {
        while (next < positions.length && positions[next] <= start.offset) {
            results.push(start);
            next++;
        }
    };
    answerUpTo({ offset: 0, newlines: 0, parserLines: 0 });
    // Only a one-byte delimiter other than a quote or line break lets a quote's field start be
    // read from the byte before it.
    const delim = Buffer.from(delimiter, 'latin1');
    const regularDelimiter = delim.length === 1 && delimiter.charCodeAt(0) < 0x80 && ![QUOTE, CR, LF].includes(delim[0]);
    if (next === positions.length || !regularDelimiter) {
        while (results.length < positions.length) results.push(endOfFile());
        return results;
    }
    const d = delim[0];
    const reader = new ForwardFileReader(path);
    try {
        let newlines = 0;
        let parserLines = 0;
        let recordDelimiter: '\n' | '\r\n' | undefined;
        let quoted = false;
        let recordStart = 0;
        let position = 0;
        let irregular = false;
        // The scan keeps a window of the file; `prev` is the byte before the window.
        let windowStart = -1;
        let windowLength = 0;
        let prev = -1;
        const buf = reader.buffer;
        const load = (at: number): void => {
            // One byte before `at` is read too, so a quote can look at the byte before it.
            const from = Math.max(0, at - 1);
            windowLength = reader.read(from);
            windowStart = from;
        };
        const byteAt = (at: number): number => {
            if (at >= size) return -1;
            if (at < windowStart || at >= windowStart + windowLength) load(at);
            return windowLength === 0 ? -1 : buf[at - windowStart];
        };
        load(0);
        // A UTF-8 byte order mark is not part of the first record; a UTF-16 one makes csv-parse
        // change its encoding: not regular.
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) position = 3;
        else if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) irregular = true;
        recordStart = position;
        scan: while (!irregular && next < positions.length && position < size) {
            if (position < windowStart || position >= windowStart + windowLength) load(position);
            const local0 = position - windowStart;
            let i = local0;
            const n = windowLength;
            if (quoted) {
                // Inside quotes only a quote matters; CR and LF count as lines.
                for (; i < n; i++) {
                    const c = buf[i];
                    if (c === QUOTE) break;
                    if (c === LF) { newlines++; parserLines++; } else if (c === CR) parserLines++;
                }
                if (i === n) { position = windowStart + n; continue; }
                const at = windowStart + i;
                const after = byteAt(at + 1);
                if (after === QUOTE) { position = at + 2; continue; } // an escaped quote
                if (after === -1 || after === d || after === LF || after === CR) { quoted = false; position = at + 1; continue; }
                irregular = true; // csv-parse: Invalid Closing Quote
                break;
            }
            for (; i < n; i++) {
                const c = buf[i];
                if (c !== QUOTE && c !== LF && c !== CR) continue;
                const at = windowStart + i;
                if (c === QUOTE) {
                    const before = at === recordStart ? d : i > 0 ? buf[i - 1] : prev;
                    if (before !== d) { irregular = true; break scan; } // csv-parse: Invalid Opening Quote
                    quoted = true;
                    position = at + 1;
                    continue scan;
                }
                let length: number;
                if (c === CR) {
                    if (byteAt(at + 1) !== LF) { irregular = true; break scan; } // a lone CR
                    recordDelimiter ??= '\r\n';
                    if (recordDelimiter !== '\r\n') { irregular = true; break scan; }
                    length = 2;
                } else {
                    recordDelimiter ??= '\n';
                    if (recordDelimiter !== '\n') { irregular = true; break scan; }
                    length = 1;
                }
                newlines++;
                parserLines++;
                recordStart = at + length;
                // (Checked here so the scan makes no object for the records no position waits for.)
                if (positions[next] <= recordStart) answerUpTo({ offset: recordStart, newlines, parserLines, recordDelimiter });
                position = recordStart;
                continue scan;
            }
            prev = buf[n - 1];
            position = windowStart + n;
        }
        if (quoted && !irregular && position >= size) irregular = true; // csv-parse: Quote Not Closed
        // Positions after the last record start: the end of the file (or, after an irregularity,
        // the end too, which the split holding it reads to).
        while (results.length < positions.length) results.push(endOfFile());
        return results;
    } finally {
        reader.close();
    }
}

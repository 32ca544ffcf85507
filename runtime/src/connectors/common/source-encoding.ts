/**
 * The character encoding of a file source (`encoding: "utf-8"` by default, or `"latin1"`), and the
 * UTF-8 check that turns bytes which are not UTF-8 into bad rows instead of silent U+FFFD.
 */
import { isUtf8 } from 'node:buffer';
import type { SourceConfig, SourceEncoding } from '../../../../protocol/logical-graph.js';

/**
 * The source's `encoding` option. The graph validator has refused any value but the
 * SOURCE_ENCODINGS (exactly as written there), so the value is one of them.
 */
export function sourceEncoding(config: SourceConfig): SourceEncoding {
    return (config.options.encoding ?? 'utf-8') as SourceEncoding;
}

/** Where a line first has bytes that are not UTF-8. */
export interface InvalidBytes {
    /** 1-based line number. */
    line: number;
    /** 1-based character column of the first bad byte (in the line as decoded). */
    column: number;
    /** Byte offset of the first bad byte from the start of the file. */
    offset: number;
    /** The first bad byte. */
    byte: number;
}

/** What a bad row's error says about bytes that are not UTF-8. */
export function invalidUtf8Problem(bad: InvalidBytes): string {
    const hex = bad.byte.toString(16).toUpperCase().padStart(2, '0');
    return `invalid UTF-8: byte 0x${hex} at byte offset ${bad.offset} of the file (a file in another encoding needs the source option encoding: "latin1")`;
}

/** Index of the first byte in buf[start, end) that does not belong to a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(buf: Uint8Array, start: number, end: number): number {
    let i = start;
    while (i < end) {
        const b = buf[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        let n: number;
        let min: number;
        if ((b & 0xe0) === 0xc0) { n = 1; min = 0x80; }
        else if ((b & 0xf0) === 0xe0) { n = 2; min = 0x800; }
        else if ((b & 0xf8) === 0xf0) { n = 3; min = 0x10000; }
        else return i;
        if (i + n >= end) return i;
        let cp = b & (0x3f >> n);
        for (let k = 1; k <= n; k++) {
            const c = buf[i + k];
            if ((c & 0xc0) !== 0x80) return i;
            cp = (cp << 6) | (c & 0x3f);
        }
        // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either.
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
        i += n + 1;
    }
    return -1;
}

const NEWLINE = 0x0a;

/**
 * Follows a file's bytes chunk by chunk and reports the lines that are not valid UTF-8. Only
 * complete lines are checked (a multi-byte character never contains a newline byte, so a chunk
 * boundary cannot split one falsely). The common case costs one SIMD `isUtf8` over the chunk
 * and no copy: only the line that straddles two chunks is joined.
 */
export class Utf8LineChecker {
    /** The unfinished line carried over from earlier chunks (usually one piece, or none). */
    private rest: Buffer[] = [];
    /** File offset where the unfinished line starts. */
    private restOffset: number;
    /** Line number of the unfinished line. */
    private restLine: number;

    /** Checks bytes that start at file offset `offset`, on line `line` (a split starts mid-file). */
    constructor(line = 1, offset = 0) {
        this.restLine = line;
        this.restOffset = offset;
    }

    /**
     * Checks the lines completed by `chunk`. `newlines`, when the caller already knows how many
     * newlines the chunk holds (it split the decoded text), saves counting them again.
     */
    push(chunk: Buffer, newlines?: number): InvalidBytes[] {
        const firstNewline = chunk.indexOf(NEWLINE);
        if (firstNewline < 0) {
            this.rest.push(chunk);
            return [];
        }
        const lastNewline = chunk.lastIndexOf(NEWLINE);
        const found: InvalidBytes[] = [];
        // The line that began in an earlier chunk ends in this one: the only bytes joined.
        const head = this.rest.length === 0 ? chunk.subarray(0, firstNewline + 1) : Buffer.concat([...this.rest, chunk.subarray(0, firstNewline + 1)]);
        this.checkLines(head, this.restLine, this.restOffset, found);
        const body = chunk.subarray(firstNewline + 1, lastNewline + 1);
        const bodyOffset = this.restOffset + head.length;
        const bodyLines = newlines !== undefined ? newlines - 1 : countNewlines(body);
        if (body.length > 0 && !isUtf8(body)) this.checkLines(body, this.restLine + 1, bodyOffset, found);
        this.restLine += 1 + bodyLines;
        this.restOffset = bodyOffset + body.length;
        this.rest = lastNewline + 1 < chunk.length ? [chunk.subarray(lastNewline + 1)] : [];
        return found;
    }

    /** Checks the last line (without a newline at its end). */
    end(): InvalidBytes[] {
        const found: InvalidBytes[] = [];
        if (this.rest.length > 0) this.checkLines(Buffer.concat(this.rest), this.restLine, this.restOffset, found);
        this.rest = [];
        return found;
    }

    /** Adds the first bad byte of each line of `bytes` (lines numbered from `line`, bytes from file offset `offset`). */
    private checkLines(bytes: Buffer, line: number, offset: number, found: InvalidBytes[]): void {
        for (let start = 0; start < bytes.length; line++) {
            const newline = bytes.indexOf(NEWLINE, start);
            const end = newline < 0 ? bytes.length : newline;
            const bad = firstInvalidUtf8(bytes, start, end);
            if (bad >= 0) found.push({ line, column: bytes.toString('utf8', start, bad).length + 1, offset: offset + bad, byte: bytes[bad] });
            start = end + 1;
        }
    }
}

function countNewlines(bytes: Buffer): number {
    let n = 0;
    for (let i = bytes.indexOf(NEWLINE); i >= 0; i = bytes.indexOf(NEWLINE, i + 1)) n++;
    return n;
}

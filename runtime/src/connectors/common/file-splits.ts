/**
 * Splits of a file source, as Flink's FileSource makes them: the files' bytes, taken end to end,
 * are cut into one contiguous span per subtask, so one big file or many small ones keep every
 * subtask busy. A span is cut into byte ranges per file (a split). Each split reads the records
 * that START in its range: the reader finds the first record start at or after the range's start
 * (for lines: just after a newline; for csv, `csv-boundaries.ts`), and reads up to the first record
 * start at or after the range's end, where the next split begins. Together the splits read every
 * record exactly once, and each split in file order.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { SourceContext } from '../../operators/operator.js';
import type { SourceFile } from './source-files.js';

/** A byte range [start, end) of one file, as assigned (not yet aligned to records). */
export interface FileSplit { file: SourceFile; start: number; end: number }

/**
 * The splits subtask `subtask` of `parallelism` reads: its share of the files' bytes taken end to
 * end, [k*total/p, (k+1)*total/p). Empty files hold no records and get no split.
 */
export function assignSplits(files: readonly SourceFile[], parallelism: number, subtask: number): FileSplit[] {
    const total = files.reduce((sum, f) => sum + f.size, 0);
    const from = Math.floor((total * subtask) / parallelism);
    const to = Math.floor((total * (subtask + 1)) / parallelism);
    const splits: FileSplit[] = [];
    let offset = 0;
    for (const file of files) {
        const start = Math.max(from, offset) - offset;
        const end = Math.min(to, offset + file.size) - offset;
        if (end > start) splits.push({ file, start, end });
        offset += file.size;
    }
    return splits;
}

const NEWLINE = 0x0a;
const SCAN_CHUNK = 1 << 20;

/**
 * Reads a file's bytes forward in large chunks with synchronous reads (a source runs on its own
 * worker thread), for the scans that find record boundaries and count lines.
 */
export class ForwardFileReader {
    private readonly fd: number;
    readonly buffer = Buffer.allocUnsafe(SCAN_CHUNK);

    constructor(path: string) {
        this.fd = openSync(path, 'r');
    }

    /** Reads up to a chunk's bytes at `position` into `buffer`; the number read (0 at the end). */
    read(position: number, length = SCAN_CHUNK): number {
        return readSync(this.fd, this.buffer, 0, Math.min(length, SCAN_CHUNK), position);
    }

    close(): void {
        closeSync(this.fd);
    }
}

/** The offset of the first line start at or after `position` (`size` when none). */
export function lineStartAtOrAfter(path: string, position: number, size: number): number {
    if (position <= 0) return 0;
    if (position >= size) return size;
    const reader = new ForwardFileReader(path);
    try {
        // A line starts at `position` when the byte before it ends a line.
        for (let at = position - 1; at < size;) {
            const n = reader.read(at);
            if (n === 0) break;
            const i = reader.buffer.subarray(0, n).indexOf(NEWLINE);
            if (i >= 0) return at + i + 1;
            at += n;
        }
        return size;
    } finally {
        reader.close();
    }
}

/** How many newline bytes [0, end) of the file holds. */
export function countNewlines(path: string, end: number): number {
    if (end <= 0) return 0;
    const reader = new ForwardFileReader(path);
    let count = 0;
    try {
        for (let at = 0; at < end;) {
            const n = reader.read(at, end - at);
            if (n === 0) break;
            const chunk = reader.buffer.subarray(0, n);
            for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) count++;
            at += n;
        }
        return count;
    } finally {
        reader.close();
    }
}

/**
 * The line number of a split's first line, counted only when a bad row needs it (most runs have
 * none, and counting a later split's preceding lines reads the file up to it).
 */
export class FirstLineNumber {
    private value: number | undefined;

    /** `line`: the file line at `offset` when known (a restore from a checkpoint's position). */
    constructor(private readonly path: string, private readonly offset: number, line?: number) {
        if (offset === 0) this.value = 1;
        else if (line !== undefined) this.value = line;
    }

    /** The 1-based file line of the split's line `relative` (1-based within the split). */
    absolute(relative: number): number {
        this.value ??= countNewlines(this.path, this.offset) + 1;
        return this.value + relative - 1;
    }

    /** Like `absolute`, but only when known without reading the file (else undefined). */
    known(relative: number): number | undefined {
        return this.value === undefined ? undefined : this.value + relative - 1;
    }
}

/**
 * Progress of one subtask over its splits: the fraction of its bytes read, reported in steps of
 * 1 % (and at 100 %). Every subtask gets an equal share of the bytes, so the mean over the
 * subtasks, which the displays show, is the fraction of the whole input read.
 */
export class SplitProgress {
    private readonly total: number;
    private done = 0;
    private reported = -1;

    constructor(private readonly ctx: SourceContext, splits: readonly FileSplit[]) {
        this.total = splits.reduce((sum, s) => sum + s.end - s.start, 0);
        if (this.total === 0) ctx.reportProgress(1);
    }

    /** Notes `bytes` of the current split read (scaled to its assigned size by the caller). */
    advance(bytes: number): void {
        this.done += bytes;
        this.report(Math.min(1, this.done / this.total));
    }

    /** The subtask read all its splits. */
    finish(): void {
        this.report(1);
    }

    private report(fraction: number): void {
        if (fraction - this.reported >= 0.01 || (fraction === 1 && this.reported !== 1)) {
            this.reported = fraction;
            this.ctx.reportProgress(fraction);
        }
    }
}

/**
 * Writes a file atomically: everything goes to a temporary file in the same directory, renamed to
 * the final name on commit and deleted on abort, so a failed or cancelled job never leaves a half
 * file that looks complete.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/** The file a sink instance writes: the path itself, or `<stem>-<subtask><ext>` when parallel. */
export function partPath(path: string, subtaskIndex: number, parallelism: number): string {
    if (parallelism <= 1) return path;
    const ext = extname(path);
    return join(dirname(path), `${basename(path, ext)}-${subtaskIndex}${ext}`);
}

/** A temporary file renamed into place on commit. */
export class AtomicFileWriter {
    readonly tempPath: string;
    private fd: number | undefined;
    private pending: string[] = [];
    private pendingLength = 0;

    constructor(readonly path: string) {
        this.tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
    }

    /** Creates the directory and the temporary file. */
    open(): void {
        mkdirSync(dirname(this.path), { recursive: true });
        this.fd = openSync(this.tempPath, 'w');
    }

    /** Appends text (buffered; flushed in large writes). */
    write(text: string): void {
        this.pending.push(text);
        this.pendingLength += text.length;
        if (this.pendingLength >= 1 << 20) this.flush();
    }

    private flush(): void {
        if (this.fd === undefined) throw new Error(`${this.path}: the sink is not open`);
        if (this.pending.length === 0) return;
        writeSync(this.fd, this.pending.join(''));
        this.pending = [];
        this.pendingLength = 0;
    }

    /** Makes the output visible under its final name. */
    commit(): void {
        this.flush();
        if (this.fd !== undefined) closeSync(this.fd);
        this.fd = undefined;
        renameSync(this.tempPath, this.path);
    }

    /** Discards the output. */
    abort(): void {
        if (this.fd !== undefined) closeSync(this.fd);
        this.fd = undefined;
        this.pending = [];
        rmSync(this.tempPath, { force: true });
    }
}

/**
 * The file writer of a file sink in a checkpointed job: two-phase commit, as Flink's FileSink.
 * Records go to a hidden in-progress part file; at each checkpoint barrier the part is closed
 * and renamed to a pending part (phase one, in the checkpoint's state); once the checkpoint
 * completes, the coordinator appends pending parts to the output file in order and deletes them
 * (phase two, `commitParts`). After a failure the job restarts from the last completed
 * checkpoint: parts written after it are deleted (`discardParts`), so the output holds each
 * record exactly once. Part names: `.<file>.<job id>.<attempt>-<n>.inprogress|pending`.
 */
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FileSinkState } from '../../../../protocol/checkpoints.js';

/** Where this job's parts of `target` live and how they are named. */
function partPrefix(target: string, jobId: string): string {
    return `.${basename(target)}.${jobId}.`;
}

/** An in-progress part, closed into a pending part at each checkpoint. */
export class TwoPhaseFileWriter {
    private fd: number | undefined;
    private current: string | undefined;
    private pending: string[] = [];
    private partsWritten = 0;
    private buffered: string[] = [];
    private bufferedLength = 0;
    private seq = 0;

    /** `header`: written at the start of the output (the first part since the job started). */
    constructor(readonly target: string, private readonly jobId: string, private readonly attempt: number, private readonly header: string | undefined) {}

    /** Appends text to the in-progress part (opened on first use). */
    write(text: string): void {
        if (this.current === undefined) this.openPart();
        this.buffered.push(text);
        this.bufferedLength += text.length;
        if (this.bufferedLength >= 1 << 20) this.flush();
    }

    /** Phase one: the in-progress part becomes pending; returns the sink's state for the checkpoint. */
    prepare(): FileSinkState {
        this.closePart();
        return this.state();
    }

    /** The coordinator committed every part pending up to a completed checkpoint: forget them. */
    committed(parts: readonly string[]): void {
        const done = new Set(parts);
        this.pending = this.pending.filter((p) => !done.has(p));
    }

    /**
     * Restarts from a checkpoint's state (the coordinator already committed or deleted its parts).
     * A job restored from a savepoint into a pipeline whose sink writes another file starts that
     * file (with its header): the parts written so far went to the savepoint's file.
     */
    restore(state: FileSinkState): void {
        this.pending = [];
        this.partsWritten = state.target === this.target ? state.partsWritten : 0;
    }

    /** The state now: pending parts not yet known to be committed. */
    state(): FileSinkState {
        return { target: this.target, pending: [...this.pending], partsWritten: this.partsWritten };
    }

    /** The input ended: the last part becomes pending too (committed when the job finishes). */
    finish(): FileSinkState {
        // An output with no record at all is still written (empty, or just its header), as without checkpoints.
        if (this.partsWritten === 0 && this.current === undefined) this.openPart();
        return this.prepare();
    }

    /** The task failed or was cancelled: the in-progress part goes (pending ones are the coordinator's). */
    abort(): void {
        if (this.fd !== undefined) closeSync(this.fd);
        this.fd = undefined;
        this.buffered = [];
        this.bufferedLength = 0;
        if (this.current !== undefined) rmSync(this.current, { force: true });
        this.current = undefined;
    }

    private openPart(): void {
        mkdirSync(dirname(this.target), { recursive: true });
        this.current = join(dirname(this.target), `${partPrefix(this.target, this.jobId)}${this.attempt}-${this.seq++}.inprogress`);
        this.fd = openSync(this.current, 'w');
        if (this.partsWritten === 0 && this.header !== undefined) this.buffered.push(this.header);
        this.partsWritten++;
    }

    private flush(): void {
        if (this.fd === undefined || this.buffered.length === 0) return;
        writeSync(this.fd, this.buffered.join(''));
        this.buffered = [];
        this.bufferedLength = 0;
    }

    private closePart(): void {
        if (this.current === undefined) return;
        this.flush();
        closeSync(this.fd!);
        this.fd = undefined;
        const pendingPath = this.current.replace(/\.inprogress$/, '.pending');
        renameSync(this.current, pendingPath);
        this.pending.push(pendingPath);
        this.current = undefined;
    }
}

/**
 * Phase two, on the coordinator: appends each pending part that still exists to the output, in
 * order, and deletes it (a part already committed is gone, so committing twice changes nothing).
 * The first part of a job's output replaces the file the job found (`started` says whether it was).
 */
export function commitParts(target: string, parts: readonly string[], started: boolean): boolean {
    for (const part of parts) {
        if (!existsSync(part)) continue;
        if (!started) {
            renameSync(part, target);
            started = true;
            continue;
        }
        appendFileSync(target, readFileSync(part));
        rmSync(part, { force: true });
    }
    return started;
}

/** Deletes this job's in-progress and pending parts of `target` except `keep` (after a failure, on cancel). */
export function discardParts(target: string, jobId: string, keep: readonly string[] = []): void {
    const dir = dirname(target);
    if (!existsSync(dir)) return;
    const prefix = partPrefix(target, jobId);
    const kept = new Set(keep);
    for (const name of readdirSync(dir)) {
        if (!name.startsWith(prefix)) continue;
        const path = join(dir, name);
        if (!kept.has(path)) rmSync(path, { force: true });
    }
}

/** Deletes this job's in-progress and pending parts in a partitioned sink's folder and its partition folders. */
export function discardPartitionedParts(folder: string, jobId: string): void {
    if (!existsSync(folder)) return;
    const marker = `.${jobId}.`;
    for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
        if (!entry.isFile() || !entry.name.startsWith('.') || !entry.name.includes(marker)) continue;
        if (/\.(inprogress|pending)$/.test(entry.name)) rmSync(join(entry.parentPath, entry.name), { force: true });
    }
}

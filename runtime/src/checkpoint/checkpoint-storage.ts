/**
 * The checkpoint folder of a job (Flink's FileSystemCheckpointStorage): `chk-<n>.inprogress`
 * while subtasks write their state files into it, renamed to `chk-<n>` once `_metadata` is
 * written into it (last), so a folder that is not renamed, or has no `_metadata`, is never a
 * checkpoint; the completed checkpoints beyond the number retained are deleted.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import {
    CHECKPOINT_FOLDER_PREFIX, CHECKPOINT_METADATA_FILE, DEFAULT_CHECKPOINT_SUBDIRECTORY, IN_PROGRESS_SUFFIX, SAVEPOINT_FOLDER_PREFIX,
    type CheckpointMetadata, type CheckpointingSettings
} from '../../../protocol/checkpoints.js';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';

/**
 * Where a job's checkpoints go: `<directory>/<job id>`; without a directory, under
 * `.flowline/checkpoints` next to the pipeline's .flow file (the CLI passes the project's).
 */
export function jobCheckpointDirectory(graph: LogicalGraph, settings: CheckpointingSettings, jobId: string): string {
    if (settings.directory !== undefined) return join(settings.directory, jobId);
    let base = join(tmpdir(), 'flowline-checkpoints');
    if (graph.location.uri.startsWith('file:')) base = join(dirname(fileURLToPath(graph.location.uri)), DEFAULT_CHECKPOINT_SUBDIRECTORY);
    return join(base, jobId);
}

export class CheckpointStorage {
    constructor(readonly directory: string, private readonly retained: number) {}

    /** The folder subtasks write checkpoint `id` into; created now. */
    beginCheckpoint(id: number): string {
        const folder = this.inProgressFolder(id);
        mkdirSync(folder, { recursive: true });
        return folder;
    }

    /** Writes `_metadata` last, then renames the folder into place: the checkpoint now counts. Returns its folder. */
    completeCheckpoint(metadata: CheckpointMetadata): string {
        const folder = this.inProgressFolder(metadata.checkpointId);
        writeFileSync(join(folder, CHECKPOINT_METADATA_FILE), `${JSON.stringify(metadata, null, 2)}\n`);
        const done = this.completedFolder(metadata.checkpointId);
        renameSync(folder, done);
        return done;
    }

    /**
     * A savepoint: writes `_metadata` into the in-progress folder, then moves the folder into a
     * new `savepoint-<6 hex of the job id>-<12 hex>` folder of `targetDirectory` (Flink's name).
     * On another file system the folder is copied to `<name>.inprogress` there and renamed, so the
     * savepoint folder appears whole or not at all. Returns the savepoint's folder.
     */
    completeSavepoint(metadata: CheckpointMetadata, targetDirectory: string): string {
        const folder = this.inProgressFolder(metadata.checkpointId);
        writeFileSync(join(folder, CHECKPOINT_METADATA_FILE), `${JSON.stringify(metadata, null, 2)}\n`);
        mkdirSync(targetDirectory, { recursive: true });
        const done = join(targetDirectory, `${SAVEPOINT_FOLDER_PREFIX}${metadata.jobId.slice(0, 6)}-${randomBytes(6).toString('hex')}`);
        try {
            renameSync(folder, done);
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
            cpSync(folder, `${done}${IN_PROGRESS_SUFFIX}`, { recursive: true });
            renameSync(`${done}${IN_PROGRESS_SUFFIX}`, done);
            rmSync(folder, { recursive: true, force: true });
        }
        return done;
    }

    /**
     * Deletes what a failed checkpoint wrote (in the background: nothing waits for it). Subtasks
     * may still be writing their state files into the folder (a timed-out checkpoint), which makes
     * the removal race them (ENOTEMPTY): retried, and a folder left behind is never a checkpoint.
     */
    discardCheckpoint(id: number): void {
        rm(this.inProgressFolder(id), { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }).catch(() => undefined);
    }

    /** Keeps the newest `retained` completed checkpoints; returns the ids deleted. */
    prune(): number[] {
        const ids = this.completedIds();
        const removed = ids.slice(0, Math.max(0, ids.length - this.retained));
        for (const id of removed) rmSync(this.completedFolder(id), { recursive: true, force: true });
        return removed;
    }

    /** Ids of the completed checkpoints on disk, oldest first (folders with `_metadata` only). */
    completedIds(): number[] {
        if (!existsSync(this.directory)) return [];
        const ids: number[] = [];
        for (const name of readdirSync(this.directory)) {
            const m = new RegExp(`^${CHECKPOINT_FOLDER_PREFIX}(\\d+)$`).exec(name);
            if (m && existsSync(join(this.directory, name, CHECKPOINT_METADATA_FILE))) ids.push(Number(m[1]));
        }
        return ids.sort((a, b) => a - b);
    }

    completedFolder(id: number): string {
        return join(this.directory, `${CHECKPOINT_FOLDER_PREFIX}${id}`);
    }

    private inProgressFolder(id: number): string {
        return join(this.directory, `${CHECKPOINT_FOLDER_PREFIX}${id}${IN_PROGRESS_SUFFIX}`);
    }
}

/** Reads a checkpoint's or savepoint's `_metadata` (throws naming the folder and what is wrong when it is not one). */
export function readCheckpointMetadata(folder: string): CheckpointMetadata {
    if (!existsSync(folder)) throw new Error(`${folder} does not exist.`);
    const file = join(folder, CHECKPOINT_METADATA_FILE);
    if (!existsSync(file)) throw new Error(`${folder} is not a completed checkpoint or savepoint: it has no ${CHECKPOINT_METADATA_FILE} file.`);
    let metadata: CheckpointMetadata;
    try {
        metadata = JSON.parse(readFileSync(file, 'utf8')) as CheckpointMetadata;
    } catch (error) {
        throw new Error(`${file} is corrupt: not valid JSON (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
    }
    if (typeof metadata !== 'object' || metadata === null || !Array.isArray(metadata.operators) || typeof metadata.checkpointId !== 'number' || typeof metadata.maxParallelism !== 'number') {
        throw new Error(`${file} is corrupt: it lacks the operators, checkpointId or maxParallelism of a checkpoint's metadata.`);
    }
    if (metadata.formatVersion !== 1) throw new Error(`${file} has format version ${String(metadata.formatVersion)}; this runtime reads version 1.`);
    return metadata;
}

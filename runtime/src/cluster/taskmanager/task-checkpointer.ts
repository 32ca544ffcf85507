/**
 * Checkpoints inside one subtask (Flink's SubtaskCheckpointCoordinator): when the barrier of a
 * checkpoint reaches the task (a source task: when the coordinator's trigger arrives, at its next
 * batch boundary), the task serialises the state of every node of its chain (a source's read
 * position, each operator's snapshotState, a file sink's pending parts) synchronously, in one pass
 * over the live state (v8's structured-clone serialiser): those bytes are the copy, so nothing
 * else copies the state first. It then sends the barrier on and writes the bytes to the
 * checkpoint folder off the task's loop (libuv's thread pool), each file with one write request
 * (writeStateFile); the acknowledgement goes to the JobManager once the files are written. On a
 * restore it reads the state files back before the first record.
 */
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { CHECKPOINT_FOLDER_PREFIX, IN_PROGRESS_SUFFIX, type FileSinkState, type SourceReadPosition, type SourceSplitPosition, type SubtaskStateFile } from '../../../../protocol/checkpoints.js';
import type { AcknowledgedState, SubtaskCheckpointTiming, TaskCheckpointing } from '../taskmanager-protocol.js';
import type { OperatorChain } from './operator-chain.js';
import type { KeyGroupRange } from '../../state/state-key-groups.js';
import type { RescaledPiece } from '../../operators/operator.js';
import { windowWatermarkOf } from '../../operators/window-aggregate-operator.js';
import { isSplitsPosition } from './split-reader.js';
import { tagError } from './operator-chain.js';
import { StateRestoreError } from '../../checkpoint/restore-failure.js';

type Restore = NonNullable<TaskCheckpointing['restore']>;

/** A state file of the restore, deserialised; a file that cannot be read fails the restore naming it (restore-failure.ts). */
function readStateFile(restore: Restore, nodeId: string, file: string): SubtaskStateFile {
    try {
        return deserialize(readFileSync(join(restore.folder, file))) as SubtaskStateFile;
    } catch (error) {
        const info = { checkpointId: restore.checkpointId, folder: restore.folder, file };
        throw tagError(new StateRestoreError(`its state file ${file} cannot be read (${messageOf(error)}).`, info, { cause: error }), nodeId);
    }
}

/** An operator's restoreState threw: the state is not of the shape it reads. */
function unreadableState(restore: Restore, nodeId: string, error: unknown): Error {
    const info = { checkpointId: restore.checkpointId, folder: restore.folder };
    return tagError(new StateRestoreError(`the operator cannot read its state (${messageOf(error)}).`, info, { cause: error }), nodeId);
}

function messageOf(error: unknown): string {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** A node's state as serialised at the barrier: the bytes are the checkpoint's copy. */
interface CopiedState { nodeId: string; bytes: Buffer; sink?: FileSinkState; watermark?: number }

/** The acknowledgement the task sends (through the TaskManager) once its state is written. */
export type CheckpointAck = { checkpointId: number; states: AcknowledgedState[]; alignmentBuffered: number; timing?: SubtaskCheckpointTiming; error?: string };

/** The state file name of a node's subtask: readable, unique per node (node ids hold `/`). */
export function stateFileName(nodeId: string, subtask: number): string {
    return `${nodeId.replace(/[^A-Za-z0-9_.-]+/g, '_')}-${subtask}.state`;
}

export class TaskCheckpointer {
    /** A trigger a source task has not acted on yet (it acts at its next batch boundary). */
    private pendingTrigger: number | undefined;
    private position: (() => SourceReadPosition) | undefined;
    private readonly restored = new Map<string, SubtaskStateFile>();
    /** A savepoint restored at another parallelism: keyed nodes' old pieces and the key groups this subtask owns now. */
    private readonly rescaled = new Map<string, { pieces: RescaledPiece[]; owned: KeyGroupRange }>();

    constructor(readonly settings: TaskCheckpointing, private readonly subtask: number, private readonly acknowledge: (ack: CheckpointAck) => void) {
        const restore = settings.restore;
        if (restore) {
            for (const [nodeId, file] of Object.entries(restore.files)) this.restored.set(nodeId, readStateFile(restore, nodeId, file));
            for (const [nodeId, { pieces, keyGroups }] of Object.entries(restore.rescaled ?? {})) {
                this.rescaled.set(nodeId, {
                    pieces: pieces.map((piece) => ({ state: readStateFile(restore, nodeId, piece.file).operatorState, keyGroups: piece.keyGroups })),
                    owned: keyGroups
                });
            }
        }
    }

    /**
     * Gives each operator and the sink of the chain its restored state (after open, before any
     * record). Returns what the source restores: its position, or the splits it reads on (a
     * savepoint restored at another parallelism, or a checkpoint taken after that).
     */
    restoreChain(chain: OperatorChain): { position?: SourceReadPosition; splits?: SourceSplitPosition[] } {
        const restore = this.settings.restore;
        for (const link of chain.links) {
            const rescaled = this.rescaled.get(link.node.id);
            if (rescaled) {
                if (!link.operator.restoreRescaled) throw tagError(new Error(`${link.node.id} (${link.node.config.kind}) cannot redistribute its state by key group.`), link.node.id);
                try {
                    link.operator.restoreRescaled(rescaled.pieces, rescaled.owned);
                } catch (error) {
                    throw unreadableState(restore!, link.node.id, error);
                }
                continue;
            }
            const state = this.restored.get(link.node.id);
            if (state === undefined || !link.operator.restoreState) continue;
            try {
                link.operator.restoreState(state.operatorState);
            } catch (error) {
                throw unreadableState(restore!, link.node.id, error);
            }
        }
        const sink = chain.sink;
        const sinkState = sink ? this.restored.get(sink.node.id) : undefined;
        if (sink && sinkState && sink.fn.restoreState) {
            try {
                sink.fn.restoreState(sinkState.operatorState as FileSinkState);
            } catch (error) {
                throw unreadableState(restore!, sink.node.id, error);
            }
        }
        if (!chain.source) return {};
        const splits = this.settings.restore?.sourceSplits?.[chain.source.node.id];
        if (splits) return { splits };
        const state = this.restored.get(chain.source.node.id)?.operatorState;
        return isSplitsPosition(state) ? { splits: state.splits } : { position: state as SourceReadPosition | undefined };
    }

    /** The source's output reports where reading stands (split-reader.ts: every split's position). */
    trackPosition(position: () => SourceReadPosition): void {
        this.position = position;
    }

    /** The coordinator triggered a checkpoint (source tasks). */
    trigger(checkpointId: number): void {
        if (this.pendingTrigger === undefined || checkpointId > this.pendingTrigger) this.pendingTrigger = checkpointId;
    }

    /** A source task at a batch boundary: the checkpoint to take now, if one was triggered. */
    takeTrigger(): number | undefined {
        const id = this.pendingTrigger;
        this.pendingTrigger = undefined;
        return id;
    }

    /**
     * The barrier of `checkpointId` reached the task: serialises the chain's state now (the
     * caller sends the barrier on right after), then writes the bytes and acknowledges,
     * asynchronously. Serialising is the only pass over the state on the task's thread.
     */
    snapshot(checkpointId: number, chain: OperatorChain, alignmentBuffered: number): void {
        const snapshotAt = Date.now();
        const started = performance.now();
        const copies: CopiedState[] = [];
        const copy = (nodeId: string, operatorState: unknown): Buffer => {
            const file: SubtaskStateFile = { operatorId: nodeId, subtask: this.subtask, operatorState };
            try {
                return serialize(file);
            } catch (error) {
                // A value structured clone cannot hold (a function): name the operator that kept it.
                throw tagError(error, nodeId);
            }
        };
        if (chain.source && this.position) copies.push({ nodeId: chain.source.node.id, bytes: copy(chain.source.node.id, this.position()) });
        for (const link of chain.links) {
            if (!link.operator.snapshotState) continue;
            let state: unknown;
            try {
                state = link.operator.snapshotState();
            } catch (error) {
                throw tagError(error, link.node.id);
            }
            // A window operator's watermark: the combiners feeding it after a restore need it (restored-watermarks.ts).
            const watermark = windowWatermarkOf(link.operator);
            copies.push({ nodeId: link.node.id, bytes: copy(link.node.id, state), ...(watermark !== undefined ? { watermark } : {}) });
        }
        const sink = chain.sink;
        if (sink?.fn.snapshotState) {
            let state: FileSinkState;
            try {
                state = sink.fn.snapshotState(checkpointId);
            } catch (error) {
                throw tagError(error, sink.node.id);
            }
            copies.push({ nodeId: sink.node.id, bytes: copy(sink.node.id, state), sink: state });
        }
        const synced = performance.now();
        void this.write(checkpointId, copies).then(
            (states) => this.acknowledge({ checkpointId, states, alignmentBuffered, timing: { snapshotAt, syncMs: synced - started, asyncMs: performance.now() - synced } }),
            (error: unknown) => this.acknowledge({ checkpointId, states: [], alignmentBuffered, error: error instanceof Error ? error.message : String(error) })
        );
    }

    /** Writes the serialised states (the writes run on libuv's thread pool, not the task's loop). */
    private async write(checkpointId: number, copies: CopiedState[]): Promise<AcknowledgedState[]> {
        const folder = join(this.settings.jobDirectory, `${CHECKPOINT_FOLDER_PREFIX}${checkpointId}${IN_PROGRESS_SUFFIX}`);
        return Promise.all(copies.map(async (c) => {
            const name = stateFileName(c.nodeId, this.subtask);
            await writeStateFile(join(folder, name), c.bytes);
            return { nodeId: c.nodeId, file: name, size: c.bytes.length, ...(c.sink ? { sink: c.sink } : {}), ...(c.watermark !== undefined ? { watermark: c.watermark } : {}) };
        }));
    }
}

/**
 * Writes a state file with one write request for the whole buffer (more only if the kernel wrote
 * less). Each request's completion is handled on the task's thread, one per turn of its event
 * loop, and that loop is busy with input while the file is written: fs.promises.writeFile writes
 * in 512 KiB requests, so a 28 MB state file waited for 55 turns, and with the input loop's long
 * turns under a cross-thread input (up to ~1 000 port messages in one turn) a 1 M-key checkpoint
 * took 3-30 s instead of ~2 s (docs/benchmarks.md, "Checkpoints"). Now open, write and close:
 * three turns whatever the size.
 */
export async function writeStateFile(path: string, bytes: Uint8Array): Promise<void> {
    const file = await open(path, 'w');
    try {
        for (let offset = 0; offset < bytes.length;) offset += (await file.write(bytes, offset, bytes.length - offset)).bytesWritten;
    } finally {
        await file.close();
    }
}

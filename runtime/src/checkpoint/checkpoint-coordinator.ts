/**
 * The checkpoint coordinator of one job, in the JobManager (Flink's CheckpointCoordinator): on
 * the interval it triggers a checkpoint at the source subtasks (they inject a barrier into their
 * output), collects every subtask's acknowledgement (its state files are written), then writes
 * `_metadata` and renames the folder into place: only then does the checkpoint count. It commits
 * the file sinks' pending parts of a completed checkpoint (the second phase of their two-phase
 * commit), keeps the number of checkpoints retained, fails a checkpoint that times out and fails
 * the job over after too many failed checkpoints in a row. A restart restores the latest
 * completed checkpoint (`taskSettings`). A savepoint (`triggerSavepoint`) is a checkpoint taken
 * on demand and moved into a folder of its own; a job may start from one (`restoreFrom`).
 *
 * Simplification (Flink before 1.14 did the same): no checkpoint is triggered once a subtask
 * has FINISHED; a failure after that restarts from the last checkpoint taken before.
 */
import {
    DEFAULT_CHECKPOINT_TIMEOUT_MS, DEFAULT_CHECKPOINTS_RETAINED, type CheckpointConfigInfo, type CheckpointingSettings,
    type CheckpointDurationSplit, type CheckpointingStatistics, type CheckpointMetadata, type FileSinkState, type OperatorStateMetadata
} from '../../../protocol/checkpoints.js';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import type { JobMaster } from '../cluster/job-master.js';
import type { AcknowledgedState, JobManagerToTaskManager, SubtaskCheckpointTiming, TaskCheckpointing, TaskManagerToJobManager } from '../cluster/taskmanager-protocol.js';
import { operatorUid, keyTypesOf, stateKindOf } from './operator-uids.js';
import { keyGroupRange } from './savepoint-restore.js';
import { partPath } from '../connectors/common/atomic-file-writer.js';
import { commitParts, discardParts, discardPartitionedParts } from '../connectors/common/two-phase-file-writer.js';
import { MAX_PARALLELISM } from '../exchange/key-groups.js';
import { CheckpointStatsTracker, type TrackedCheckpoint } from './checkpoint-stats.js';
import { CheckpointStorage, jobCheckpointDirectory } from './checkpoint-storage.js';
import { encodeWatermark, watermarksOfAcks } from './restored-watermarks.js';

type Ack = Extract<TaskManagerToJobManager, { type: 'checkpoint-ack' }>;
type SinkFinal = Extract<TaskManagerToJobManager, { type: 'sink-final' }>;

interface PendingCheckpoint extends TrackedCheckpoint {
    acks: Map<string, Ack>;
    timeout: ReturnType<typeof setTimeout>;
    /** Set when this checkpoint is a savepoint someone asked for. */
    request?: SavepointRequest;
}

/** A savepoint asked for (POST /jobs/:jid/savepoints or /stop): taken at the next chance. */
interface SavepointRequest {
    targetDirectory: string;
    /** Stop-with-savepoint: no checkpoint follows it; the JobManager ends the job once it completed. */
    terminate: boolean;
    /** Stop-with-savepoint --drain: the sources send the end of event time before the barrier. */
    drain: boolean;
    resolve(folder: string): void;
    reject(error: Error): void;
}

/**
 * What a (re)deployed attempt restores: a completed checkpoint of this job, or the savepoint or
 * retained checkpoint the job was started from (savepoint-restore.ts plans that one, rescaled
 * when the parallelism changed).
 */
export interface RestorePoint {
    id: number;
    folder: string;
    isSavepoint: boolean;
    /** What subtask `subtask` of vertex `vertexId` restores (undefined: it starts empty). */
    restoreFor(vertexId: string, subtask: number): TaskCheckpointing['restore'] | undefined;
    /** The file sinks' states in it: their pending parts are committed before the attempt runs. */
    sinks: FileSinkState[];
    /** Per event-time window operator, the highest watermark a subtask of it restores (restored-watermarks.ts). */
    watermarks: Record<string, number>;
}

export class CheckpointCoordinator {
    readonly storage: CheckpointStorage;
    readonly stats = new CheckpointStatsTracker();
    readonly directory: string;
    private nextId = 1;
    private attempt = 0;
    private pending: PendingCheckpoint | undefined;
    private latest: RestorePoint | undefined;
    private requested: SavepointRequest | undefined;
    private timer: ReturnType<typeof setInterval> | undefined;
    private consecutiveFailures = 0;
    /** File sink outputs a commit has started (the first commit replaces the file the job found). */
    private readonly startedTargets = new Set<string>();
    /** File sinks whose input ended: their uncommitted parts, committed when the job finishes. */
    private readonly finalParts = new Map<string, FileSinkState>();

    constructor(
        private readonly job: JobMaster,
        readonly settings: CheckpointingSettings,
        private readonly send: (message: JobManagerToTaskManager) => void,
        private readonly failJob: (error: Error) => void
    ) {
        this.directory = jobCheckpointDirectory(job.graph, settings, job.id);
        this.storage = new CheckpointStorage(this.directory, settings.retained ?? DEFAULT_CHECKPOINTS_RETAINED);
    }

    get timeoutMs(): number {
        return this.settings.timeoutMs ?? DEFAULT_CHECKPOINT_TIMEOUT_MS;
    }

    /** What each subtask of attempt `attempt` is deployed with (the restore of the latest completed checkpoint). */
    taskSettings(attempt: number, vertexId: string, subtask: number): TaskCheckpointing {
        const settings: TaskCheckpointing = { jobDirectory: this.directory, mode: this.settings.mode, attempt };
        const latest = this.latest;
        const restore = latest?.restoreFor(vertexId, subtask);
        if (restore) settings.restore = restore;
        // Every subtask, stateless ones too: their window combiners need them (restored-watermarks.ts).
        if (latest) settings.restoredWatermarks = latest.watermarks;
        return settings;
    }

    /** A (re)deployed attempt runs: checkpoints are triggered on the interval from now on. */
    start(attempt: number): void {
        this.attempt = attempt;
        this.stopTimer();
        this.timer = setInterval(() => this.trigger(), Math.max(1, this.settings.intervalMs));
        this.timer.unref();
    }

    stopTimer(): void {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
    }

    /** The job is failing over, failing or cancelled: the checkpoint being taken will not complete. */
    abortPending(reason: string): void {
        if (this.pending) this.fail(this.pending, reason, false);
        const requested = this.requested;
        this.requested = undefined;
        requested?.reject(new Error(`The savepoint was not taken: ${reason}`));
    }

    /**
     * Takes a savepoint into a new folder of `targetDirectory` (after the checkpoint being taken,
     * if any); resolves with its folder. `terminate`: stop-with-savepoint, no checkpoint after it.
     */
    triggerSavepoint(targetDirectory: string, terminate: boolean, drain = false): Promise<string> {
        return new Promise((resolve, reject) => {
            if (this.requested || this.pending?.request) {
                reject(new Error('A savepoint of this job is already being taken; wait for it to complete.'));
                return;
            }
            this.requested = { targetDirectory, terminate, drain: terminate && drain, resolve, reject };
            if (!this.pending) this.trigger();
        });
    }

    /**
     * The job starts from a savepoint or retained checkpoint: its first attempt restores it, its
     * file sinks append to the output found (their pending parts in it are committed first, when
     * not yet), and checkpoint ids go on after its id (as Flink).
     */
    restoreFrom(point: RestorePoint): void {
        this.latest = point;
        this.nextId = point.id + 1;
        for (const sink of point.sinks) {
            this.startedTargets.add(sink.target);
            this.commit(sink);
        }
        this.stats.restoredFrom(point.id, point.folder, Date.now(), point.isSavepoint);
    }

    /**
     * Before a restart: the file sinks' parts of the latest completed checkpoint are committed
     * (already done unless its completion was interrupted), and every later part is deleted, so
     * what the restored sinks write next follows the committed output exactly.
     */
    prepareRestore(): void {
        const latest = this.latest;
        if (latest) {
            for (const sink of latest.sinks) this.commit(sink);
            this.stats.restoredFrom(latest.id, latest.folder, Date.now(), latest.isSavepoint);
        }
        this.finalParts.clear();
        this.discardUncommitted();
    }

    /** The job finished: every file sink's remaining parts are committed (throws when a commit fails). */
    finish(): void {
        this.stopTimer();
        for (const state of this.finalParts.values()) this.commit(state);
        this.finalParts.clear();
    }

    /** Deletes every part not committed (a cancelled or failed job, or before a restart). */
    discardUncommitted(): void {
        for (const target of fileSinkTargets(this.job.graph)) discardParts(target, this.job.id);
        for (const folder of partitionedSinkFolders(this.job.graph)) discardPartitionedParts(folder, this.job.id);
    }

    onAck(message: Ack): void {
        const pending = this.pending;
        if (message.attempt !== this.attempt || !pending || pending.id !== message.checkpointId) return;
        if (message.error !== undefined) {
            this.fail(pending, `${message.vertexId} (subtask ${message.subtask + 1}) could not write its state: ${message.error}`, !pending.request);
            return;
        }
        const key = `${message.vertexId}/${message.subtask}`;
        if (pending.acks.has(key)) return;
        pending.acks.set(key, message);
        const task = pending.tasks.get(message.vertexId);
        if (task) {
            task.acknowledged++;
            task.size += message.states.reduce((n, s) => n + s.size, 0);
            task.latestAck = Date.now();
            task.alignmentBuffered += message.alignmentBuffered;
            if (message.timing) task.split = durationSplit(pending.triggerTimestamp, message.timing, task.latestAck);
        }
        if (pending.acks.size === pending.numSubtasks) this.complete(pending);
    }

    onSinkFinal(message: SinkFinal): void {
        if (message.attempt !== this.attempt) return;
        this.finalParts.set(`${message.nodeId}/${message.subtask}`, message.sink);
    }

    /** GET /jobs/:jid/checkpoints */
    statistics(): CheckpointingStatistics {
        return this.stats.statistics(this.pending, Date.now());
    }

    /** GET /jobs/:jid/checkpoints/config */
    config(): CheckpointConfigInfo {
        return {
            mode: this.settings.mode === 'exactly-once' ? 'exactly_once' : 'at_least_once',
            interval: this.settings.intervalMs,
            timeout: this.timeoutMs,
            tolerable_failed_checkpoints: this.settings.tolerableFailedCheckpoints ?? 0,
            externalization: { enabled: true, delete_on_cancellation: false },
            state_backend: 'HashMapStateBackend',
            checkpoint_storage: 'FileSystemCheckpointStorage',
            directory: this.directory,
            retained: this.settings.retained ?? DEFAULT_CHECKPOINTS_RETAINED
        };
    }

    private trigger(): void {
        const job = this.job;
        if (this.pending) return;
        const request = this.requested;
        this.requested = undefined;
        const refuse = (message: string): void => request?.reject(new Error(message));
        if (job.status !== 'RUNNING') return refuse(`The job is ${job.status}; a savepoint needs a RUNNING job.`);
        const subtasks = job.executionGraph.all();
        // Every subtask must be running: a finished one can take no barrier (see the file comment).
        const notRunning = subtasks.find((v) => v.state !== 'RUNNING');
        if (notRunning) {
            return refuse(`${notRunning.vertex.name} (${notRunning.subtaskIndex + 1}/${notRunning.vertex.parallelism}) is ${notRunning.state}: ` +
                'a savepoint needs every subtask running (a bounded source that has finished can take no barrier).');
        }
        const id = this.nextId++;
        try {
            this.storage.beginCheckpoint(id);
        } catch (error) {
            const failure = error instanceof Error ? error : new Error(String(error));
            this.job.recordException(failure, null);
            return refuse(`Could not create the savepoint's folder: ${failure.message}`);
        }
        const now = Date.now();
        const tasks: TrackedCheckpoint['tasks'] = new Map();
        for (const v of job.jobGraph.vertices) tasks.set(v.id, { subtasks: v.parallelism, acknowledged: 0, size: 0, latestAck: now, alignmentBuffered: 0 });
        const pending: PendingCheckpoint = {
            id, triggerTimestamp: now, numSubtasks: subtasks.length, tasks, acks: new Map(),
            timeout: setTimeout(() => { if (this.pending === pending) this.fail(pending, `Checkpoint expired before completing (timeout ${this.timeoutMs} ms).`, !pending.request); }, this.timeoutMs),
            ...(request ? { request, savepoint: request.terminate ? 'SYNC_SAVEPOINT' as const : 'SAVEPOINT' as const } : {})
        };
        pending.timeout.unref();
        this.pending = pending;
        this.stats.triggered();
        this.send({ type: 'trigger-checkpoint', jobId: job.id, attempt: this.attempt, checkpointId: id, ...(request?.terminate ? { stop: { drain: request.drain } } : {}) });
    }

    private complete(pending: PendingCheckpoint): void {
        clearTimeout(pending.timeout);
        this.pending = undefined;
        const acks = [...pending.acks.values()];
        const request = pending.request;
        let folder: string;
        try {
            const metadata = this.metadata(pending, acks);
            folder = request ? this.storage.completeSavepoint(metadata, request.targetDirectory) : this.storage.completeCheckpoint(metadata);
        } catch (error) {
            this.fail(pending, `Could not write the ${request ? 'savepoint' : 'checkpoint'}'s metadata: ${error instanceof Error ? error.message : String(error)}`, !request, false);
            return;
        }
        if (request?.terminate) this.stopTimer();
        if (!request) this.consecutiveFailures = 0;
        this.latest = restorePointOf(pending.id, folder, acks, request !== undefined);
        this.stats.completed(pending, folder, Date.now());
        // Phase two of the file sinks' commit: what the checkpoint covers becomes visible.
        const committed: string[] = [];
        try {
            for (const ack of acks) {
                for (const s of ack.states) {
                    if (!s.sink) continue;
                    this.commit(s.sink);
                    committed.push(...s.sink.pending);
                }
            }
        } catch (error) {
            this.failJob(error instanceof Error ? error : new Error(String(error)));
            return;
        }
        this.send({ type: 'checkpoint-complete', jobId: this.job.id, attempt: this.attempt, checkpointId: pending.id, committed });
        for (const removed of this.storage.prune()) this.stats.discarded(removed);
        request?.resolve(folder);
        if (this.requested) this.trigger();
    }

    private commit(sink: FileSinkState): void {
        if (commitParts(sink.target, sink.pending, this.startedTargets.has(sink.target))) this.startedTargets.add(sink.target);
        // A partitioned sink: each partition file is committed as a sink of its own.
        for (const partition of sink.partitions ?? []) this.commit(partition);
    }

    private fail(pending: PendingCheckpoint, message: string, counts: boolean, discard = true): void {
        clearTimeout(pending.timeout);
        if (this.pending === pending) this.pending = undefined;
        this.stats.failed(pending, message, Date.now());
        if (discard) this.storage.discardCheckpoint(pending.id);
        pending.request?.reject(new Error(message));
        if (this.requested && !this.job.isTerminal) queueMicrotask(() => this.trigger());
        if (!counts) return;
        this.consecutiveFailures++;
        const tolerable = this.settings.tolerableFailedCheckpoints ?? 0;
        if (this.consecutiveFailures > tolerable) {
            const error = new Error(`Exceeded checkpoint tolerable failure threshold (${tolerable}): ${message}`);
            error.name = 'CheckpointException';
            this.consecutiveFailures = 0;
            this.failJob(error);
        }
    }

    private metadata(pending: PendingCheckpoint, acks: Ack[]): CheckpointMetadata {
        const graph = this.job.graph;
        const keyed = new Set(graph.edges.filter((e) => e.ship === 'HASH').map((e) => e.target));
        const operators = new Map<string, OperatorStateMetadata>();
        for (const ack of acks) {
            const vertex = this.job.jobGraph.vertices.find((v) => v.id === ack.vertexId);
            for (const s of ack.states) {
                const node = graph.nodes.find((n) => n.id === s.nodeId);
                let op = operators.get(s.nodeId);
                if (!op) {
                    op = { operatorId: s.nodeId, kind: node?.config.kind ?? 'unknown', parallelism: vertex?.parallelism ?? 1, subtasks: [] };
                    if (node) {
                        op.uid = operatorUid(graph, node);
                        op.stateKind = stateKindOf(node);
                        if (node.config.kind === 'source' || node.config.kind === 'sink') op.connector = node.config.connector;
                        const keyTypes = keyTypesOf(graph, node);
                        if (keyTypes) op.keyTypes = keyTypes;
                    }
                    operators.set(s.nodeId, op);
                }
                op.subtasks.push({
                    subtask: ack.subtask, file: s.file, stateSize: s.size, ...(keyed.has(s.nodeId) ? { keyGroups: keyGroupRange(ack.subtask, op.parallelism) } : {}),
                    ...(s.watermark !== undefined ? { watermark: encodeWatermark(s.watermark) } : {})
                });
            }
        }
        for (const op of operators.values()) op.subtasks.sort((a, b) => a.subtask - b.subtask);
        return {
            formatVersion: 1, kind: pending.request ? 'savepoint' : 'checkpoint', jobId: this.job.id, pipeline: graph.pipeline, checkpointId: pending.id,
            triggerTimestamp: pending.triggerTimestamp, completedTimestamp: Date.now(), mode: this.settings.mode,
            maxParallelism: MAX_PARALLELISM, operators: [...operators.values()]
        };
    }
}

/**
 * A subtask's part of a checkpoint's duration (CheckpointDurationSplit): its timing is measured on
 * its own thread; the barrier part and the acknowledgement's way back are what is left of the
 * end-to-end time on either side (one clock: the TaskManagers are threads of this process).
 */
function durationSplit(triggerTimestamp: number, timing: SubtaskCheckpointTiming, ackedAt: number): CheckpointDurationSplit {
    const barrier = Math.max(0, timing.snapshotAt - triggerTimestamp);
    const sync = Math.round(timing.syncMs);
    const async = Math.round(timing.asyncMs);
    return { barrier, sync, async, ack: Math.max(0, ackedAt - triggerTimestamp - barrier - sync - async) };
}

/** A completed checkpoint of this job as a restart restores it: each subtask its own state files. */
function restorePointOf(id: number, folder: string, acks: Ack[], isSavepoint: boolean): RestorePoint {
    return {
        id, folder, isSavepoint,
        restoreFor(vertexId, subtask) {
            const ack = acks.find((a) => a.vertexId === vertexId && a.subtask === subtask);
            return ack ? { checkpointId: id, folder, files: Object.fromEntries(ack.states.map((s) => [s.nodeId, s.file])) } : undefined;
        },
        sinks: acks.flatMap((a) => a.states.flatMap((s) => (s.sink ? [s.sink] : []))),
        watermarks: watermarksOfAcks(acks)
    };
}

/** The output files of a graph's csv/jsonl sinks (one per subtask). */
function fileSinkTargets(graph: LogicalGraph): string[] {
    const targets: string[] = [];
    for (const node of graph.nodes) {
        if (node.config.kind !== 'sink' || (node.config.connector !== 'csv' && node.config.connector !== 'jsonl') || node.config.path === undefined) continue;
        if (node.config.partitionBy) continue; // partitionedSinkFolders
        for (let i = 0; i < node.parallelism; i++) targets.push(partPath(node.config.path, i, node.parallelism));
    }
    return targets;
}

/** The folders of the graph's partitioned file sinks (their partition files are found in them). */
function partitionedSinkFolders(graph: LogicalGraph): string[] {
    return graph.nodes.flatMap((n) => (n.config.kind === 'sink' && n.config.partitionBy && n.config.path !== undefined ? [n.config.path] : []));
}

export type { AcknowledgedState };

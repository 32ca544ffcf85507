/**
 * One job on the JobManager: its plan, execution graph, JobStatus history with timestamps,
 * exception history, and the slots it holds. State changes are announced through `notify`.
 */
import type { ExceptionHistoryEntry, ExecutionState, JobStatus, PushMessage } from '../../../protocol/cluster-api.js';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import type { JobDebugger } from '../debug/job-debugger.js';
import type { JobTestRun } from './job-test-run.js';
import { ExecutionGraph, type ExecutionVertex } from '../planner/execution-graph.js';
import type { JobGraph } from '../planner/job-graph.js';
import type { Slot } from './slot-pool.js';
import type { SerializedError } from './taskmanager-protocol.js';
import { effectiveRestartStrategy, type SavepointOperationStatus } from '../../../protocol/checkpoints.js';
import type { CheckpointCoordinator } from '../checkpoint/checkpoint-coordinator.js';
import { RestartBackoff } from '../checkpoint/restart-backoff.js';
import type { RestoreFailureInfo, RestoreFailureOutcome } from '../checkpoint/restore-failure.js';

const TERMINAL: readonly JobStatus[] = ['FINISHED', 'FAILED', 'CANCELED'];

export class JobMaster {
    status: JobStatus = 'INITIALIZING';
    readonly timestamps: Partial<Record<JobStatus, number>>;
    readonly exceptions: ExceptionHistoryEntry[] = [];
    /** Replaced by a new one (the next attempt's subtasks) at each restart. */
    executionGraph: ExecutionGraph;
    /** 0 for the first run, +1 per restart (Flink's attempt number of the job's executions). */
    attempt = 0;
    /** Set when the job takes checkpoints (streaming with `checkpointing`). */
    checkpoints?: CheckpointCoordinator;
    /** Whether and when a failure restarts the job (its restart strategy). */
    readonly restartBackoff: RestartBackoff;
    /** While RESTARTING: how long after every subtask ended the next attempt is deployed. */
    restartDelayMs = 0;
    slots: Slot[] = [];
    /** Set only for a job submitted with `debug` (JobManager.submit). */
    debugger?: JobDebugger;
    /** Set only for a job a pipeline test submitted (JobManager.submit's `test`). */
    testRun?: JobTestRun;
    /** Savepoints asked for over REST, by trigger id (GET /jobs/:jid/savepoints/:triggerid). */
    readonly savepointOperations = new Map<string, SavepointOperationStatus>();
    /** Set while the job is being stopped with a savepoint; `completed` once the savepoint is written. */
    stopWithSavepoint?: { drain: boolean; completed: boolean };
    lastModification: number;
    /** The savepoint or retained checkpoint folder the job was started from (`--from-savepoint`), if any. */
    startedFrom?: string;
    /** Failed restores of the job's own checkpoints, per checkpoint folder (counted once per attempt). */
    private readonly failedRestores = new Map<string, number>();
    private failedRestoresCountedIn = -1;
    private readonly finishedListeners: (() => void)[] = [];

    constructor(readonly id: string, readonly graph: LogicalGraph, readonly jobGraph: JobGraph, private readonly notify: (message: PushMessage) => void) {
        const now = Date.now();
        this.timestamps = { INITIALIZING: now };
        this.lastModification = now;
        this.executionGraph = new ExecutionGraph(jobGraph, now);
        const checkpointing = graph.mode === 'streaming' ? graph.checkpointing : undefined;
        this.restartBackoff = new RestartBackoff(effectiveRestartStrategy(graph.restartStrategy, checkpointing));
        this.notify({ type: 'job-status', jid: id, name: this.name, status: 'INITIALIZING', timestamp: now });
    }

    get name(): string {
        return this.jobGraph.name;
    }

    get isTerminal(): boolean {
        return TERMINAL.includes(this.status);
    }

    get startTime(): number {
        return this.timestamps.INITIALIZING ?? -1;
    }

    get endTime(): number {
        return this.isTerminal ? this.timestamps[this.status] ?? -1 : -1;
    }

    /** Moves the job to `status` (ignored once terminal). */
    setStatus(status: JobStatus): void {
        if (this.isTerminal || this.status === status) return;
        const now = Date.now();
        this.status = status;
        this.timestamps[status] = now;
        this.lastModification = now;
        this.notify({ type: 'job-status', jid: this.id, name: this.name, status, timestamp: now });
        if (this.isTerminal) for (const listener of this.finishedListeners.splice(0)) listener();
    }

    /** A restart: the next attempt's subtasks, all CREATED (the old ones ended). */
    nextAttempt(): void {
        this.attempt++;
        this.executionGraph = new ExecutionGraph(this.jobGraph, Date.now(), this.attempt);
    }

    /** Moves a subtask to `state` and announces it. */
    setSubtaskState(vertex: ExecutionVertex, state: ExecutionState): void {
        const now = Date.now();
        if (!vertex.transition(state, now)) return;
        this.lastModification = now;
        this.notify({ type: 'subtask-state', jid: this.id, vertexId: vertex.vertex.id, subtask: vertex.subtaskIndex, state, timestamp: now });
    }

    /**
     * A task's failure while the job already fails, restarts or is cancelled: a consequence of the
     * failure being handled (or of the cancellation), so, as in Flink, it goes under that failure's
     * entry as a concurrent exception instead of starting an entry of its own. With no entry of
     * this attempt to go under, it becomes one.
     */
    recordConcurrentException(error: SerializedError | Error, taskName: string | null): ExceptionHistoryEntry {
        const root = this.exceptions.at(-1);
        if (root === undefined || root.attempt !== this.attempt) return this.recordException(error, taskName);
        const entry = this.exceptionEntry(error, taskName);
        (root.concurrentExceptions ??= []).push(entry);
        return entry;
    }

    /** Adds an exception history entry, naming the task and, when known, the operator's source location. */
    recordException(error: SerializedError | Error, taskName: string | null): ExceptionHistoryEntry {
        const entry = this.exceptionEntry(error, taskName);
        this.exceptions.push(entry);
        this.notify({ type: 'exception', jid: this.id, entry });
        return entry;
    }

    private exceptionEntry(error: SerializedError | Error, taskName: string | null): ExceptionHistoryEntry {
        const nodeId = 'nodeId' in error ? error.nodeId : undefined;
        const node = nodeId ? this.graph.nodes.find((n) => n.id === nodeId) : undefined;
        const entry: ExceptionHistoryEntry = {
            exceptionName: error.name,
            message: error.message,
            stacktrace: error.stack ?? `${error.name}: ${error.message}`,
            timestamp: Date.now(),
            taskName,
            nodeId: node?.id,
            location: node?.location,
            attempt: this.attempt
        };
        return entry;
    }

    /**
     * A subtask of the current attempt could not restore its state from `info.folder`: the
     * savepoint the job was started from fails the job; a checkpoint of its own counts its
     * failed restores (restore-failure.ts says what follows).
     */
    restoreFailureOutcome(info: RestoreFailureInfo): RestoreFailureOutcome {
        if (info.folder === this.startedFrom) return { kind: 'savepoint' };
        let count = this.failedRestores.get(info.folder) ?? 0;
        // Several subtasks of one attempt failing to restore are one failed restore.
        if (this.failedRestoresCountedIn !== this.attempt) {
            count++;
            this.failedRestores.set(info.folder, count);
            this.failedRestoresCountedIn = this.attempt;
        }
        return { kind: 'checkpoint', count };
    }

    /** Resolves once the job reached a terminal state. */
    whenTerminal(): Promise<JobStatus> {
        if (this.isTerminal) return Promise.resolve(this.status);
        return new Promise((resolve) => this.finishedListeners.push(() => resolve(this.status)));
    }
}

/**
 * The JobManager (main thread): accepts LogicalGraphs, plans and schedules them into slots,
 * deploys subtasks to the TaskManagers, follows their execution states, fails or cancels jobs
 * cleanly, opens and closes taps on running jobs, and announces everything (states, metrics, sink
 * records, exceptions, tapped records) as push messages.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { resolve as resolvePath } from 'node:path';
import type { SavepointOperationStatus, SavepointRestoreSettings } from '../../../protocol/checkpoints.js';
import type { JobStatus, PushMessage, TapInfo, TapRecords, TapRequest } from '../../../protocol/cluster-api.js';
import type { DebugSettings } from '../../../protocol/job-debugging.js';
import { DEAD_LETTER_SCHEMA, type LogicalGraph, type SchemaField } from '../../../protocol/logical-graph.js';
import { JobDebugger } from '../debug/job-debugger.js';
import { buildJobGraph } from '../planner/job-graph-builder.js';
import { validateLogicalGraph } from '../planner/logical-graph-validator.js';
import { planDeployments } from './deployment-planner.js';
import { connectorCounters } from '../metrics/connector-counters.js';
import { JobMaster } from './job-master.js';
import { JobTestRun, type JobTestOptions } from './job-test-run.js';
import { JobTaps, TapError } from './job-taps.js';
import { SlotPool } from './slot-pool.js';
import type { TaskManagerHandle } from './task-manager-handle.js';
import type { JobManagerToTaskManager, SerializedError, TaskDeployment, TaskManagerToJobManager } from './taskmanager-protocol.js';
import { CheckpointCoordinator } from '../checkpoint/checkpoint-coordinator.js';
import { planSavepointRestore, SavepointRestoreError } from '../checkpoint/savepoint-restore.js';
import { JobOperationError } from './job-operation-error.js';
import { MAX_FAILED_RESTORES_PER_CHECKPOINT, restoreFailureMessage, type RestoreFailureInfo } from '../checkpoint/restore-failure.js';
import type { ExecutionVertex } from '../planner/execution-graph.js';

/** How long cancelled subtasks may take to stop before the job ends without them. */
const CANCEL_TIMEOUT_MS = 10_000;

/** How often the JobManager pushes the metrics of running jobs. */
const METRICS_PUSH_MS = 500;

export interface JobManagerEvents {
    push: [PushMessage];
}

/** How a job is submitted: `debug` runs it under a debugger (see JobDebugger). */
export interface SubmitOptions {
    debug?: { settings: DebugSettings; stopOnEntry?: boolean };
    /** Run the job for a pipeline test (job-test-run.ts): coverage counts, virtual processing time, phases. */
    test?: JobTestOptions;
    /** Start from a savepoint or retained checkpoint (Flink's SavepointRestoreSettings). */
    restore?: SavepointRestoreSettings;
}

export class JobManager extends EventEmitter<JobManagerEvents> {
    readonly jobs = new Map<string, JobMaster>();
    readonly slotPool: SlotPool;
    private readonly waiting: JobMaster[] = [];
    private readonly sinkConsumers: (() => Promise<void> | undefined)[] = [];
    private readonly dirtyMetrics = new Set<string>();
    private readonly timer: ReturnType<typeof setInterval>;
    private readonly taps: JobTaps;

    constructor(readonly taskManagers: TaskManagerHandle[], slotsPerTaskManager: number) {
        super();
        this.taps = new JobTaps((tms, message) => { for (const tm of tms) this.taskManagers[tm].send(message); }, (message) => this.emit('push', message));
        this.slotPool = new SlotPool(taskManagers.length, slotsPerTaskManager);
        this.timer = setInterval(() => this.pushMetrics(), METRICS_PUSH_MS);
        this.timer.unref();
    }

    /**
     * Submits a LogicalGraph; returns the job (already FAILED if it cannot run). Throws on an
     * invalid graph, and a SavepointRestoreError when `options.restore` does not fit the graph.
     */
    submit(graph: LogicalGraph, options: SubmitOptions = {}): JobMaster {
        validateLogicalGraph(graph);
        const jobGraph = buildJobGraph(graph);
        const restore = options.restore;
        if (restore && !(graph.checkpointing && graph.mode === 'streaming')) {
            throw new SavepointRestoreError(`Cannot restore from ${restore.path}: ${graph.pipeline} takes no checkpoints, and a job restores its state ` +
                "through checkpointing: write 'checkpoint every 10s' in its header or run with --checkpoint-interval (streaming only).");
        }
        const restorePoint = restore ? planSavepointRestore(graph, jobGraph, { ...restore, path: resolvePath(restore.path) }) : undefined;
        const job = new JobMaster(randomBytes(16).toString('hex'), graph, jobGraph, (m) => this.emit('push', m));
        job.startedFrom = restorePoint?.folder;
        if (options.debug) job.debugger = new JobDebugger(graph, options.debug.settings, options.debug.stopOnEntry ?? false);
        if (options.test) {
            job.testRun = new JobTestRun(job, options.test, (phase) => {
                for (const tm of new Set(job.slots.map((s) => s.taskManager))) this.taskManagers[tm].send({ type: 'test-proceed', jobId: job.id, phase });
            });
        }
        if (graph.checkpointing && graph.mode === 'streaming') {
            job.checkpoints = new CheckpointCoordinator(job, graph.checkpointing, (message) => this.sendToJob(job, message), (error) => {
                job.recordException(error, null);
                this.failover(job);
            });
            if (restorePoint) job.checkpoints.restoreFrom(restorePoint);
        }
        this.jobs.set(job.id, job);
        job.setStatus('CREATED');
        const needed = jobGraph.maxParallelism;
        const total = this.slotPool.total;
        if (needed > total) {
            const error = new Error(
                `Not enough task slots: the job needs ${needed} slots (its highest parallelism) but the cluster has only ${total} ` +
                `(${this.taskManagers.length} TaskManagers x ${this.slotPool.slotsPerTaskManager} slots). ` +
                'Lower the parallelism or start the cluster with more --taskmanagers or --slots.');
            error.name = 'NoResourceAvailableException';
            job.recordException(error, null);
            for (const vertex of job.executionGraph.all()) job.setSubtaskState(vertex, 'CANCELED');
            job.setStatus('FAILED');
            return job;
        }
        this.waiting.push(job);
        this.scheduleWaiting();
        return job;
    }

    /** Cancels a job (no-op once terminal). */
    cancel(jobId: string): boolean {
        const job = this.jobs.get(jobId);
        if (!job) return false;
        if (job.isTerminal) return true;
        this.stop(job, 'CANCELLING');
        return true;
    }

    // ---------------------------------------------------------------- savepoints

    /**
     * POST /jobs/:jid/savepoints and /stop: takes a savepoint of a RUNNING checkpointed job into
     * a new folder of `targetDirectory`; with `terminate` (stop-with-savepoint) the job then ends
     * FINISHED, its output committed up to the savepoint and nothing after it. `drain` first
     * sends the end of event time (windows fire), as Flink's --drain. Returns the trigger id to
     * poll with `savepointStatus`. Throws a JobOperationError (404, 400, 409).
     */
    triggerSavepoint(jobId: string, targetDirectory: string | undefined, options: { terminate: boolean; drain?: boolean }): string {
        const job = this.jobs.get(jobId);
        if (!job) throw new JobOperationError(404, `Job ${jobId} not found.`);
        if (!targetDirectory) throw new JobOperationError(400, 'No savepoint directory given (targetDirectory / target-directory); Flowline has no default savepoint directory.');
        if (job.status !== 'RUNNING') throw new JobOperationError(409, `Job ${jobId} is ${job.status}; only a RUNNING job can take a savepoint.`);
        const coordinator = job.checkpoints;
        if (!coordinator) {
            throw new JobOperationError(409, `Job ${jobId} takes no checkpoints, and a savepoint is a checkpoint: write 'checkpoint every 10s' in the pipeline's header or run it with --checkpoint-interval.`);
        }
        if (job.stopWithSavepoint) throw new JobOperationError(409, `Job ${jobId} is already being stopped with a savepoint.`);
        const triggerId = randomBytes(16).toString('hex');
        job.savepointOperations.set(triggerId, { status: { id: 'IN_PROGRESS' } });
        if (options.terminate) job.stopWithSavepoint = { drain: options.drain === true, completed: false };
        coordinator.triggerSavepoint(resolvePath(targetDirectory), options.terminate, options.drain === true).then((location) => {
            job.savepointOperations.set(triggerId, { status: { id: 'COMPLETED' }, operation: { location } });
            if (options.terminate && job.stopWithSavepoint) {
                job.stopWithSavepoint.completed = true;
                this.cancelTasks(job, 'RUNNING');
            }
        }, (error: Error) => {
            job.savepointOperations.set(triggerId, { status: { id: 'COMPLETED' }, operation: { 'failure-cause': { class: error.name, 'stack-trace': error.stack ?? `${error.name}: ${error.message}` } } });
            // As Flink: a stop whose savepoint failed leaves the job running.
            if (options.terminate) job.stopWithSavepoint = undefined;
        });
        return triggerId;
    }

    /** GET /jobs/:jid/savepoints/:triggerid */
    savepointStatus(jobId: string, triggerId: string): SavepointOperationStatus {
        const job = this.jobs.get(jobId);
        if (!job) throw new JobOperationError(404, `Job ${jobId} not found.`);
        const status = job.savepointOperations.get(triggerId);
        if (!status) throw new JobOperationError(404, `No savepoint operation ${triggerId} for job ${jobId}.`);
        return status;
    }

    // ---------------------------------------------------------------- taps

    /**
     * Starts sampling the records flowing out of a node of a RUNNING job (named by stream or node
     * id): `tap-records` push messages follow, and tapRecords() reads the latest. Throws a
     * TapError (status 404 unknown job, 400 bad request, 409 job not running).
     */
    openTap(jobId: string, request: TapRequest): TapInfo {
        return this.taps.open(this.jobOf(jobId), request);
    }

    /** Stops a tap (a `tap-closed` push message follows); returns its final counts. */
    closeTap(jobId: string, tapId: string): TapInfo {
        return this.taps.close(this.jobOf(jobId), tapId);
    }

    /** The open taps of a job. */
    listTaps(jobId: string): TapInfo[] {
        return this.taps.list(this.jobOf(jobId).id);
    }

    /** A tap (open or ended) and its latest sampled records with seq above `since`. */
    tapRecords(jobId: string, tapId: string, since = 0): TapRecords {
        return this.taps.read(this.jobOf(jobId).id, tapId, since);
    }

    private jobOf(jobId: string): JobMaster {
        const job = this.jobs.get(jobId);
        if (!job) throw new TapError(404, `Job ${jobId} not found.`);
        return job;
    }

    /** Handles a message from a TaskManager. */
    onTaskManagerMessage(tm: TaskManagerHandle, message: TaskManagerToJobManager): void {
        switch (message.type) {
            case 'task-state': {
                const job = this.jobs.get(message.jobId);
                // A subtask of an earlier attempt (before a restart) speaks of nothing current.
                if (!job || message.attempt !== job.attempt) return;
                const vertex = job.executionGraph.subtask(message.vertexId, message.subtask);
                if (!vertex) return;
                const taskName = `${vertex.vertex.name} (${vertex.subtaskIndex + 1}/${vertex.vertex.parallelism})`;
                if (message.state === 'FAILED' && message.error?.restore) {
                    this.restoreFailed(job, vertex, message.error, message.error.restore, taskName);
                    this.checkCompletion(job);
                    return;
                }
                if (message.state === 'FAILED' && message.error) {
                    if (this.failsOver(job)) job.recordException(message.error, taskName);
                    else job.recordConcurrentException(message.error, taskName);
                }
                job.setSubtaskState(vertex, message.state);
                if (message.state === 'FAILED') this.failover(job);
                this.checkCompletion(job);
                return;
            }
            case 'checkpoint-ack':
                this.jobs.get(message.jobId)?.checkpoints?.onAck(message);
                return;
            case 'sink-final':
                this.jobs.get(message.jobId)?.checkpoints?.onSinkFinal(message);
                return;
            case 'metrics': {
                const job = this.jobs.get(message.jobId);
                if (!job) return;
                for (const t of message.tasks) {
                    const vertex = job.executionGraph.subtask(t.vertexId, t.subtask);
                    if (vertex) vertex.metrics = t.metrics;
                }
                this.dirtyMetrics.add(job.id);
                return;
            }
            case 'sink-records':
            {
                this.emit('push', { type: 'sink-records', jid: message.jobId, nodeId: message.nodeId, connector: message.connector, subtask: message.subtask, rows: message.rows, lines: message.lines });
                // Acknowledge once every consumer (stdout, push clients) took the records: a slow
                // reader of the results slows the job down instead of filling this process's memory.
                const busy = this.sinkConsumers.map((consumer) => consumer()).filter((p): p is Promise<void> => p !== undefined);
                if (busy.length === 0) tm.send({ type: 'sink-ack', n: 1 });
                else void Promise.all(busy).then(() => tm.send({ type: 'sink-ack', n: 1 }), () => tm.send({ type: 'sink-ack', n: 1 }));
                return;
            }
            case 'test-barrier': {
                const job = this.jobs.get(message.jobId);
                job?.testRun?.onBarrier(message.vertexId, message.subtask, message.phase);
                return;
            }
            case 'test-coverage':
                this.jobs.get(message.jobId)?.testRun?.addCounts(message.counts);
                return;
            case 'debug-stop':
                this.jobs.get(message.jobId)?.debugger?.onStop(message.stop);
                return;
            case 'debug-log':
                this.jobs.get(message.jobId)?.debugger?.onLog(message.line);
                return;
            case 'tap-records':
                this.taps.onBatches(message.taps);
                return;
            case 'ready':
            case 'heartbeat':
                return;
        }
    }

    /** A TaskManager thread died: every job with a subtask on it fails. */
    onTaskManagerLost(tm: TaskManagerHandle, error: Error): void {
        for (const job of this.jobs.values()) {
            if (job.isTerminal || !job.slots.some((s) => s.taskManager === tm.index)) continue;
            const entry = job.recordException(error, tm.id);
            entry.taskManagerId = tm.id;
            for (const vertex of job.executionGraph.all()) {
                if (!vertex.isTerminal && vertex.taskManagerId === tm.id) job.setSubtaskState(vertex, 'FAILED');
            }
            this.failover(job);
            this.checkCompletion(job);
        }
    }

    /**
     * Registers a consumer of sink records that may be slow: `busy()` returns a promise while it
     * cannot take more (e.g. stdout waiting to drain). Returns the unregister function.
     */
    addSinkConsumer(busy: () => Promise<void> | undefined): () => void {
        this.sinkConsumers.push(busy);
        return () => {
            const i = this.sinkConsumers.indexOf(busy);
            if (i >= 0) this.sinkConsumers.splice(i, 1);
        };
    }

    /** Stops pushing metrics. */
    close(): void {
        clearInterval(this.timer);
    }

    private scheduleWaiting(): void {
        while (this.waiting.length > 0) {
            const job = this.waiting[0];
            if (job.isTerminal) {
                this.waiting.shift();
                continue;
            }
            if (job.jobGraph.maxParallelism > this.slotPool.free) return;
            this.waiting.shift();
            this.deploy(job);
        }
    }

    /**
     * A subtask could not restore its state (restore-failure.ts): the exception names the
     * operator and what it restored from, and says what follows. The savepoint the job was
     * started from, or a checkpoint that failed to restore before, fails the job without asking
     * the restart strategy; otherwise the strategy decides, as for any failure.
     */
    private restoreFailed(job: JobMaster, vertex: ExecutionVertex, error: SerializedError, info: RestoreFailureInfo, taskName: string): void {
        const outcome = this.failsOver(job) ? job.restoreFailureOutcome(info) : undefined;
        const final = outcome !== undefined && (outcome.kind === 'savepoint' || outcome.count >= MAX_FAILED_RESTORES_PER_CHECKPOINT);
        const delay = outcome === undefined || final ? undefined : job.restartBackoff.onFailure(Date.now());
        const message = restoreFailureMessage(job.graph, error.nodeId, info, error.message, outcome && { ...outcome, restarts: delay !== undefined });
        // The stack's first line is the message: it says the whole of it.
        const firstLineEnd = error.stack.includes('\n') ? error.stack.indexOf('\n') : error.stack.length;
        const described = { ...error, message, stack: `${error.name}: ${message}${error.stack.slice(firstLineEnd)}` };
        if (outcome) job.recordException(described, taskName);
        else job.recordConcurrentException(described, taskName);
        job.setSubtaskState(vertex, 'FAILED');
        if (outcome) this.failoverAfter(job, delay);
    }

    /** Whether a failure now starts a failover (not while the job already fails, restarts, is cancelled or was stopped with a savepoint). */
    private failsOver(job: JobMaster): boolean {
        // Stopped with a savepoint: the job is ending with its output committed; nothing restarts it.
        if (job.stopWithSavepoint?.completed) return false;
        return !(job.isTerminal || job.status === 'FAILING' || job.status === 'CANCELLING' || job.status === 'RESTARTING');
    }

    /**
     * A subtask failed (an operator or user function threw, its TaskManager died, a checkpoint
     * could not be taken too often): the job restarts if its restart strategy allows, else fails.
     * Failures while it is already failing, restarting or being cancelled change nothing.
     */
    private failover(job: JobMaster): void {
        if (this.failsOver(job)) this.failoverAfter(job, job.restartBackoff.onFailure(Date.now()));
    }

    /** The job restarts after `delay` ms, or fails (undefined). */
    private failoverAfter(job: JobMaster, delay: number | undefined): void {
        const last = job.exceptions.at(-1);
        if (last) last.outcome = delay === undefined ? 'failed' : 'restarted';
        job.checkpoints?.stopTimer();
        job.checkpoints?.abortPending(delay === undefined ? 'The job failed.' : 'The job is restarting.');
        if (delay === undefined) {
            this.stop(job, 'FAILING');
            return;
        }
        job.restartDelayMs = delay;
        this.stop(job, 'RESTARTING');
    }

    /** Every subtask of a RESTARTING job ended: after the strategy's delay, the next attempt is deployed. */
    private restart(job: JobMaster): void {
        setTimeout(() => {
            if (job.status !== 'RESTARTING') return;
            try {
                job.checkpoints?.prepareRestore();
            } catch (error) {
                job.recordException(error instanceof Error ? error : new Error(String(error)), null);
                job.setStatus('FAILED');
                this.release(job);
                return;
            }
            job.nextAttempt();
            this.deploy(job, job.slots);
        }, job.restartDelayMs).unref();
    }

    private sendToJob(job: JobMaster, message: JobManagerToTaskManager): void {
        for (const tm of new Set(job.slots.map((s) => s.taskManager))) this.taskManagers[tm].send(message);
    }

    private deploy(job: JobMaster, slots?: JobMaster['slots']): void {
        job.slots = slots ?? this.slotPool.allocate(job.id, job.jobGraph.maxParallelism);
        for (const vertex of job.executionGraph.all()) {
            const slot = job.slots[vertex.subtaskIndex];
            vertex.taskManagerId = this.taskManagers[slot.taskManager].id;
            vertex.slotIndex = slot.index;
            job.setSubtaskState(vertex, 'SCHEDULED');
        }
        job.setStatus('RUNNING');
        const deployments = planDeployments(job.id, job.jobGraph, job.slots);
        for (const d of deployments) d.attempt = job.attempt;
        if (job.testRun) for (const d of deployments) d.test = job.testRun.deployment;
        const checkpoints = job.checkpoints;
        if (checkpoints) {
            for (const d of deployments) d.checkpointing = checkpoints.taskSettings(job.attempt, d.vertexId, d.subtaskIndex);
            checkpoints.start(job.attempt);
        }
        if (job.debugger) {
            const inputSchemas = inputSchemasOf(job.graph);
            for (const d of deployments) {
                const slot = job.slots[d.subtaskIndex];
                d.debug = { control: job.debugger.control.buffer, ownerId: slot.taskManager + 1, slot: slot.index, inputSchemas };
            }
        }
        const perTm = new Map<number, TaskDeployment[]>();
        for (const d of deployments) {
            const tm = job.slots[d.subtaskIndex].taskManager;
            const list = perTm.get(tm) ?? [];
            list.push(d);
            perTm.set(tm, list);
        }
        for (const vertex of job.executionGraph.all()) job.setSubtaskState(vertex, 'DEPLOYING');
        for (const [tm, tasks] of perTm) this.taskManagers[tm].send({ type: 'deploy', tasks });
    }

    /** Cancels every running subtask of a job that is failing or being cancelled. */
    private stop(job: JobMaster, status: Extract<JobStatus, 'CANCELLING' | 'FAILING' | 'RESTARTING'>): void {
        job.setStatus(status);
        this.cancelTasks(job, status);
    }

    /** Cancels every running subtask (the job's status says why: or RUNNING for a stop-with-savepoint). */
    private cancelTasks(job: JobMaster, status: JobStatus): void {
        // Paused threads cannot read the cancel message: the debugger wakes them first.
        job.debugger?.end();
        for (const vertex of job.executionGraph.all()) {
            if (vertex.isTerminal) continue;
            if (vertex.state === 'CREATED' || vertex.state === 'SCHEDULED') job.setSubtaskState(vertex, 'CANCELED');
            else job.setSubtaskState(vertex, 'CANCELING');
        }
        const tms = new Set(job.slots.map((s) => s.taskManager));
        for (const tm of tms) this.taskManagers[tm].send({ type: 'cancel', jobId: job.id });
        this.checkCompletion(job);
        // A task stuck in user code never answers: end the job anyway, so nobody waits forever.
        const attempt = job.attempt;
        setTimeout(() => {
            if (job.isTerminal || job.attempt !== attempt || job.status !== status) return;
            const stuck = job.executionGraph.all().filter((v) => !v.isTerminal);
            const error = new Error(`${stuck.length} subtask(s) did not stop within ${CANCEL_TIMEOUT_MS / 1000} s of the cancellation: ${stuck.map((v) => `${v.vertex.name} (${v.subtaskIndex + 1}/${v.vertex.parallelism})`).join(', ')}.`);
            error.name = 'CancellationTimeoutException';
            job.recordException(error, null);
            for (const v of stuck) job.setSubtaskState(v, job.status === 'CANCELLING' || job.stopWithSavepoint?.completed ? 'CANCELED' : 'FAILED');
            this.checkCompletion(job);
        }, CANCEL_TIMEOUT_MS).unref();
    }

    private checkCompletion(job: JobMaster): void {
        if (job.isTerminal) return;
        const all = job.executionGraph.all();
        if (!all.every((v) => v.isTerminal)) return;
        if (job.status === 'RESTARTING') {
            this.restart(job);
            return;
        }
        const checkpoints = job.checkpoints;
        checkpoints?.stopTimer();
        const stopped = job.stopWithSavepoint?.completed === true;
        const failed = !stopped && (job.status === 'FAILING' || all.some((v) => v.state === 'FAILED'));
        const cancelled = !stopped && !failed && (job.status === 'CANCELLING' || all.some((v) => v.state === 'CANCELED'));
        // A checkpoint still in progress can no longer complete (as Flink, it is aborted and
        // counted failed): a subtask that finished takes no barrier.
        checkpoints?.abortPending(stopped ? 'The job was stopped with a savepoint.' : failed ? 'The job failed.' : cancelled ? 'The job was cancelled.'
            : 'The job finished before every subtask acknowledged the checkpoint (a subtask ended before the barrier reached it).');
        if (stopped) {
            // Stopped with a savepoint (Flink: FINISHED): the output holds what the savepoint
            // covers, committed when it completed; whatever came after it is dropped.
            checkpoints?.discardUncommitted();
            job.setStatus('FINISHED');
        } else if (failed) {
            checkpoints?.discardUncommitted();
            job.setStatus('FAILED');
        } else if (cancelled) {
            // A cancelled job keeps what its completed checkpoints committed; nothing else.
            checkpoints?.discardUncommitted();
            job.setStatus('CANCELED');
        } else {
            try {
                checkpoints?.finish();
                job.setStatus('FINISHED');
            } catch (error) {
                job.recordException(error instanceof Error ? error : new Error(String(error)), null);
                checkpoints?.discardUncommitted();
                job.setStatus('FAILED');
            }
        }
        this.release(job);
    }

    /** A job ended: its taps close, its final metrics go out, its slots return to the pool. */
    private release(job: JobMaster): void {
        this.taps.jobEnded(job);
        this.pushJobMetrics(job);
        this.slotPool.release(job.id);
        this.scheduleWaiting();
    }

    private pushMetrics(): void {
        for (const jobId of this.dirtyMetrics) {
            const job = this.jobs.get(jobId);
            if (job) this.pushJobMetrics(job);
        }
        this.dirtyMetrics.clear();
    }

    private pushJobMetrics(job: JobMaster): void {
        this.dirtyMetrics.delete(job.id);
        this.emit('push', {
            type: 'metrics', jid: job.id, timestamp: Date.now(),
            vertices: job.jobGraph.vertices.map((v) => ({
                id: v.id,
                subtasks: (job.executionGraph.subtasks.get(v.id) ?? []).map((ev) => ({ subtask: ev.subtaskIndex, metrics: ev.metrics }))
            })),
            ...connectorCounters(job)
        });
    }
}

/** Each node's input schemas by input index (what a debugger shows of a record reaching it). */
function inputSchemasOf(graph: LogicalGraph): Record<string, SchemaField[][]> {
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const schemas: Record<string, SchemaField[][]> = {};
    const edgeSchema = (source: string, side: 'deadLetter' | 'late' | undefined): SchemaField[] => {
        if (side === 'deadLetter') return DEAD_LETTER_SCHEMA;
        // Late records are the window's own input records.
        if (side === 'late') {
            const feeding = graph.edges.find((e) => e.target === source && !e.sideOutput);
            return feeding ? byId.get(feeding.source)?.schema ?? [] : [];
        }
        return byId.get(source)?.schema ?? [];
    };
    for (const edge of graph.edges) {
        const index = edge.input === 'right' ? 1 : typeof edge.input === 'number' ? edge.input : 0;
        const list = schemas[edge.target] ?? [];
        list[index] ??= edgeSchema(edge.source, edge.sideOutput);
        schemas[edge.target] = list;
    }
    for (const list of Object.values(schemas)) for (let i = 0; i < list.length; i++) list[i] ??= list.find((s) => s !== undefined) ?? [];
    return schemas;
}

/**
 * One subtask running inside a TaskManager thread: its operator chain, input gate and output
 * gate. A source task runs its source function, which emits batches and awaits capacity; any
 * other task loops over its input gate, taking a message only while its output has credits, so a
 * slow consumer stops it and, through withheld credits, everything upstream of it.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ExecutionState } from '../../../../protocol/cluster-api.js';
import { InputGate } from '../../exchange/input-gate.js';
import { OutputGate } from '../../exchange/output-gate.js';
import { recordsInPartials } from '../../exchange/combiner.js';
import type { Row, SideOutputTag, SourceContext } from '../../operators/operator.js';
import type { ColumnBatch } from '../../operators/column-batch.js';
import type { FoldingTail } from '../../operators/fused-loop.js';
import { TaskMetricsRecorder } from '../../metrics/task-metrics-recorder.js';
import type { TaskDeployment } from '../taskmanager-protocol.js';
import { TaskDebugAgent } from '../../debug/task-debug-agent.js';
import type { DebugLogLine, DebugStop } from '../../../../protocol/job-debugging.js';
import { nodeOfError, OperatorChain, tagError, type ChainHost } from './operator-chain.js';
import { TaskTestAgent } from './task-test-agent.js';
import { TaskCheckpointer, type CheckpointAck } from './task-checkpointer.js';
import type { FileSinkState, SourceReadPosition, SourceSplitPosition } from '../../../../protocol/checkpoints.js';
import { readSplits } from './split-reader.js';
import { ValuesSource } from '../../connectors/values/values-source.js';

/** What a task needs from its TaskManager. */
export interface TaskServices {
    reportState(task: StreamTask, state: ExecutionState, error?: unknown): void;
    printText(task: StreamTask, nodeId: string, text: string): void;
    collectRows(task: StreamTask, nodeId: string, rows: Row[]): void;
    /** Resolves when the JobManager has room for more sink records. */
    sinkRecordsCapacity(): Promise<void> | undefined;
    /** Whether the chain fuses runs of stateless operators (TaskManagerInit.operatorFusion). */
    readonly operatorFusion: boolean;
    /** The TaskManager's id (`taskmanager-1`), for debugger stops. */
    readonly taskManagerId: string;
    /** Debugged jobs: a stop or a log line for the JobManager. */
    postDebug(task: StreamTask, message: { stop: DebugStop } | { line: DebugLogLine }): void;
    /** Test jobs: this task's sink passed the barrier closing `phase` (send its records first). */
    testBarrier(task: StreamTask, phase: number): void;
    /** Checkpointed jobs: the task wrote its state for a checkpoint. */
    acknowledgeCheckpoint(task: StreamTask, ack: CheckpointAck): void;
    /** Checkpointed jobs: a file sink's input ended; these parts are committed when the job finishes. */
    sinkFinal(task: StreamTask, nodeId: string, sink: FileSinkState): void;
}

/** How many batches a task handles before letting other tasks of its thread run. */
const BATCHES_PER_TURN = 8;
/**
 * Processing-time ticks for streaming operators, and the buffer timeout (Flink's
 * execution.buffer-timeout.interval, 100 ms by default): how long records may wait in a partly
 * filled output batch of a task that is waiting (a source pacing itself to a rate, an operator
 * that fired processing-time timers while its input was empty).
 */
const PROCESSING_TIME_INTERVAL_MS = 100;

export class StreamTask implements ChainHost {
    readonly metrics = new TaskMetricsRecorder();
    readonly chain: OperatorChain;
    readonly subtaskIndex: number;
    readonly parallelism: number;
    readonly mode: 'batch' | 'streaming';
    readonly operatorFusion: boolean;
    /** Set only when the job runs under a debugger. */
    readonly debug?: TaskDebugAgent;
    /** Set only when a pipeline test runs the job (../job-test-run.ts). */
    readonly test?: TaskTestAgent;
    /** Set only when the job takes checkpoints. */
    readonly checkpointer?: TaskCheckpointer;
    /** For file sinks: set when the job takes checkpoints. */
    readonly checkpointed?: { jobId: string; attempt: number };
    private restoredPosition: SourceReadPosition | undefined;
    /** A source restored from a savepoint at another parallelism: the old subtasks' splits it reads on (split-reader.ts). */
    private restoredSplits: SourceSplitPosition[] | undefined;
    cancelled = false;
    private pendingWrites: Promise<void>[] = [];
    private wake: (() => void) | undefined;
    private lastWatermark = -Infinity;
    /** Stop-with-savepoint: the checkpoint after whose barrier this source stops, and whether it drains first. */
    private stopAtCheckpoint: { checkpointId: number; drain: boolean } | undefined;
    private sourceStopped = false;
    private batchesThisTurn = 0;
    private failure: unknown;
    /** Resolves on cancel(): waits that nothing else would end (a sink consumer that went away) end with it. */
    private readonly whenCancelled: Promise<void>;
    private resolveCancelled!: () => void;

    constructor(readonly deployment: TaskDeployment, readonly input: InputGate, readonly output: OutputGate, private readonly services: TaskServices) {
        this.subtaskIndex = deployment.subtaskIndex;
        this.parallelism = deployment.parallelism;
        this.mode = deployment.mode;
        // A debugged job runs every operator on its own, so each can be a breakpoint target.
        this.operatorFusion = deployment.debug ? false : services.operatorFusion;
        if (deployment.debug) {
            this.debug = new TaskDebugAgent(deployment.debug, {
                vertexId: deployment.vertexId,
                subtaskIndex: deployment.subtaskIndex,
                parallelism: deployment.parallelism,
                mode: deployment.mode,
                taskManagerId: services.taskManagerId,
                metricsSnapshot: () => this.metrics.snapshot(false),
                currentWatermark: () => (Number.isFinite(this.lastWatermark) ? this.lastWatermark : null),
                cancelFromDebugger: () => this.cancel(),
                postStop: (stop) => services.postDebug(this, { stop }),
                postLog: (line) => services.postDebug(this, { line })
            });
        }
        if (deployment.test) this.test = new TaskTestAgent(deployment.test);
        if (deployment.checkpointing) {
            this.checkpointed = { jobId: deployment.jobId, attempt: deployment.checkpointing.attempt };
            this.checkpointer = new TaskCheckpointer(deployment.checkpointing, deployment.subtaskIndex, (ack) => services.acknowledgeCheckpoint(this, ack));
        }
        this.chain = new OperatorChain(deployment.nodes, this);
        // Coverage: every node's output is counted at its tap point (inside fused loops too).
        if (this.test) for (const node of deployment.nodes) this.chain.tapPoint(node.id)?.attach(this.test.countingHook(node.id));
        // What fusion made of the chain, visible in the metrics (one link per fused group or operator).
        this.metrics.operatorSteps = this.chain.links.length;
        input.onAvailable = () => this.wakeUp();
        this.whenCancelled = new Promise((resolve) => { this.resolveCancelled = resolve; });
    }

    /** Runs the task to its end; reports RUNNING, then FINISHED, CANCELED or FAILED. Never rejects. */
    async run(): Promise<void> {
        let timer: ReturnType<typeof setInterval> | undefined;
        try {
            await this.chain.open();
            if (this.checkpointer) ({ position: this.restoredPosition, splits: this.restoredSplits } = this.checkpointer.restoreChain(this.chain));
            this.services.reportState(this, 'RUNNING');
            // A test job's processing time is virtual (frozen): no clock ticks, and its batches
            // are cut by the data alone.
            if (this.mode === 'streaming' && !this.test) {
                const ticks = this.chain.links.some((l) => l.operator.onProcessingTime);
                timer = setInterval(() => this.tick(ticks), PROCESSING_TIME_INTERVAL_MS);
            }
            if (this.chain.source) await this.runSource();
            else await this.runInputs();
            if (this.failure !== undefined) throw this.failure;
            if (this.cancelled) {
                await this.chain.abort();
                await this.closeQuietly();
                this.services.reportState(this, 'CANCELED');
                return;
            }
            await this.drainWrites();
            this.output.broadcast({ kind: 'end-of-data' });
            // Everything, end of data included, must leave before the channels are released.
            while (this.output.blocked && !this.cancelled) await this.output.waitForCapacity();
            const sink = this.chain.sink;
            if (this.checkpointer && sink?.fn.finalParts) this.services.sinkFinal(this, sink.node.id, sink.fn.finalParts());
            await this.chain.commit();
            await this.chain.close();
            this.metrics.enter('idle');
            this.services.reportState(this, 'FINISHED');
        } catch (error) {
            // Under a debugger, a failure no probe saw (a window fired by a watermark, a sink's
            // asynchronous write) stops the job before it is reported.
            if (this.debug && (this.failure !== undefined || !this.cancelled)) this.debug.failed(nodeOfError(this.failure ?? error), this.failure ?? error);
            await this.chain.abort();
            await this.closeQuietly();
            const failed = this.failure !== undefined || !this.cancelled;
            this.services.reportState(this, failed ? 'FAILED' : 'CANCELED', failed ? this.failure ?? error : undefined);
        } finally {
            if (timer) clearInterval(timer);
        }
    }

    /** Stops the task promptly: sources see `cancelled`, waiting loops wake up. */
    cancel(): void {
        this.cancelled = true;
        this.resolveCancelled();
        this.wakeUp();
        this.output.channelDrained();
    }

    // ---------------------------------------------------------------- ChainHost

    emitTail(rows: Row[]): void {
        this.metrics.recordsOut += rows.length;
        this.output.emit(rows);
    }

    foldingTail(): FoldingTail | undefined {
        return this.output.foldingTail((records) => { this.metrics.recordsOut += records; });
    }

    emitTailColumns(batch: ColumnBatch): void {
        this.metrics.recordsOut += batch.length;
        this.output.emitColumns(batch);
    }

    emitSide(nodeId: string, tag: SideOutputTag, rows: Row[]): void {
        // A side output nobody reads (the graph declares `late` for every event-time window) still
        // counts its records as dropped, never losing them silently.
        if (!this.output.emitSide(nodeId, tag, rows)) this.countDropped(tag === 'late' ? 'late' : 'skipped', rows.length);
        else if (tag === 'deadLetter') this.metrics.deadLettered += rows.length;
        this.test?.count(`${nodeId}#${tag}`, rows.length);
    }

    countDropped(reason: 'late' | 'skipped', n: number): void {
        if (reason === 'late') this.metrics.lateDropped += n;
        else this.metrics.skipped += n;
    }

    countSinkRecords(n: number): void {
        this.metrics.recordsOut += n;
        if (this.test && this.chain.sink) this.test.count(this.chain.sink.node.id, n);
    }

    now(): number {
        return this.test ? this.test.deployment.processingTime : Date.now();
    }

    printText(nodeId: string, text: string): void {
        this.services.printText(this, nodeId, text);
    }

    collectRows(nodeId: string, rows: Row[]): void {
        this.services.collectRows(this, nodeId, rows);
    }

    pendingWrite(write: Promise<void>): void {
        this.pendingWrites.push(write);
    }

    // ---------------------------------------------------------------- sources

    private async runSource(): Promise<void> {
        const source = this.chain.source!;
        const emit = this.chain.headEmit;
        const emitColumns = this.chain.headEmitColumns;
        const metrics = this.metrics;
        const isCancelled = (): boolean => this.cancelled;
        // A source reads from outside the job, not from the network: as in Flink, its task counts
        // no records in (read-records stays 0). What the source emits is counted apart (the job's
        // input rate); what leaves the chain is counted at its tail.
        metrics.sourceRecords = 0;
        const base = this.chain.contextFor(source.node, (rows: Row[]) => {
            metrics.sourceRecords! += rows.length;
            metrics.enter('busy');
            emit(rows);
        });
        const ownsTime = this.test?.deployment.ownsTime === true;
        const context: SourceContext = {
            ...base,
            // A test that owns event time moves the watermark itself (runScript).
            emitWatermark: (watermark) => { if (!ownsTime) this.forwardWatermark(watermark); },
            markIdle: (idle) => this.output.broadcast({ kind: 'watermark', timestamp: this.lastWatermark, idle }),
            waitForCapacity: () => this.sourceCapacity(),
            get cancelled() { return isCancelled(); },
            emitColumns: (batch) => {
                metrics.sourceRecords! += batch.length;
                metrics.enter('busy');
                emitColumns(batch);
            },
            reportProgress: (fraction) => { this.metrics.progress = fraction; },
            restoredPosition: this.restoredPosition,
            trackPosition: this.checkpointer ? (position) => this.checkpointer!.trackPosition(position) : undefined
        };
        if (source.node.config.kind === 'source' && source.node.config.bounded) this.metrics.progress = 0;
        try {
            if (this.test?.phases) await this.runScript(source, context, this.test);
            else if (this.restoredSplits) await readSplits(source.node, context, this.restoredSplits, this.whenCancelled);
            else await source.fn.run(context);
        } catch (error) {
            throw tagError(error, source.node.id);
        }
        if (this.cancelled) return;
        if (this.metrics.progress !== null) this.metrics.progress = 1;
        this.finishChain(this.now());
    }

    /**
     * A scripted test job's source (../job-test-run.ts): per phase, the rows the phase gives this
     * source, the phase's watermark, then the barrier closing the phase, and a wait until every
     * sink passed it; the last phase ends the input. A source no phase gives rows to (a seeded
     * generator) reads everything in the first phase.
     */
    private async runScript(source: { node: { id: string }; fn: import('../../operators/operator.js').SourceFunction }, context: SourceContext, test: TaskTestAgent): Promise<void> {
        const phases = test.phases!;
        const given = test.isGiven(source.node.id);
        for (let phase = 0; phase < phases.length; phase++) {
            if (this.cancelled) return;
            const rows = given ? test.rowsOf(source.node.id, phase) : phase === 0 ? 'all' : undefined;
            if (rows === 'all') await source.fn.run(context);
            else if (rows && source.fn instanceof ValuesSource) await source.fn.runRows(context, rows.from, rows.to);
            else if (rows) throw new Error(`${source.node.id}: a test phase gives rows ${rows.from}..${rows.to} to a source that is not a values source.`);
            const watermark = phases[phase].watermark;
            if (watermark !== undefined) this.forwardWatermark(watermark);
            if (phase === phases.length - 1) return;
            this.passBarrier(phase);
            await test.waitToProceed(phase, this.whenCancelled);
        }
    }

    /** Sends the barrier closing a test phase downstream; a chain ending in a sink tells the JobManager it passed. */
    private passBarrier(phase: number): void {
        this.output.broadcast({ kind: 'barrier', checkpointId: phase });
        if (this.chain.sink) this.services.testBarrier(this, phase);
    }

    /** Copies the chain's state for a checkpoint (written and acknowledged asynchronously), then sends the barrier on. */
    private checkpoint(checkpointId: number): void {
        this.checkpointer!.snapshot(checkpointId, this.chain, this.input.alignmentBuffered);
        this.output.broadcast({ kind: 'barrier', checkpointId });
    }

    /**
     * Checkpointed jobs: a source subtask injects the barrier of `checkpointId` at its next batch
     * boundary. `stop` (stop-with-savepoint): after that barrier the source reads nothing more
     * until the job cancels the task; with `drain` it first sends the end of event time.
     */
    triggerCheckpoint(checkpointId: number, stop?: { drain: boolean }): void {
        this.checkpointer?.trigger(checkpointId);
        if (stop) this.stopAtCheckpoint = { checkpointId, drain: stop.drain };
    }

    private async sourceCapacity(): Promise<void> {
        // Stopped with a savepoint: nothing after its barrier counts; wait for the cancel.
        if (this.sourceStopped) await this.whenCancelled;
        // A batch boundary: everything the source read so far has been emitted, so its position
        // and the chain's state agree: the place for a triggered checkpoint's barrier.
        const checkpointId = this.checkpointer?.takeTrigger();
        if (checkpointId !== undefined) {
            const stop = this.stopAtCheckpoint?.checkpointId === checkpointId ? this.stopAtCheckpoint : undefined;
            if (stop?.drain) this.forwardWatermark(Infinity);
            this.checkpoint(checkpointId);
            if (stop) {
                this.sourceStopped = true;
                await this.whenCancelled;
            }
        }
        await this.waitForOutput();
        // Let the other tasks of this thread (and the port messages carrying credits) run.
        if (++this.batchesThisTurn >= BATCHES_PER_TURN) {
            this.batchesThisTurn = 0;
            this.metrics.enter('idle');
            await yieldToEventLoop();
        }
    }

    // ---------------------------------------------------------------- other tasks

    /**
     * Takes input until it ends. A turn (between yields to the other tasks of the thread) handles
     * at least BATCHES_PER_TURN messages and at least every message queued when it began, with no
     * tick in between unless the output must be waited for; and a task whose input ran dry waits
     * for the next message instead of yielding. So a backlog, such as the batches a barrier's
     * alignment held back, is worked off at once and the queue goes back to empty: otherwise a
     * same-thread source refills it batch for batch, and every queued row outlives the young
     * generation (measured: a keyed job's GC promotion rose from ~20 MB to ~350 MB with a
     * checkpoint every second, most of the checkpoints' CPU cost).
     */
    private async runInputs(): Promise<void> {
        const gate = this.input;
        let turn = BATCHES_PER_TURN;
        for (;;) {
            if (this.cancelled) return;
            const outputWait = this.outputWait();
            if (outputWait) await outputWait;
            if (this.cancelled) return;
            const event = gate.poll();
            switch (event.kind) {
                case 'none':
                    if (gate.isEmpty) {
                        // Out of input: send what is buffered now rather than waiting for a full batch.
                        this.output.flush();
                        if (this.output.blocked) continue;
                        this.metrics.enter('idle');
                        await new Promise<void>((resolve) => { this.wake = resolve; if (!gate.isEmpty || this.cancelled) this.wakeUp(); });
                        this.batchesThisTurn = 0;
                    }
                    continue;
                case 'data':
                    this.metrics.enter('busy');
                    if (event.columns !== undefined) {
                        this.metrics.recordsIn += event.columns.length;
                        this.chain.processHeadColumns(event.columns, event.input);
                    } else if (event.partial) {
                        this.metrics.recordsIn += recordsInPartials(event.rows);
                        this.chain.mergeHeadPartials(event.rows);
                    } else {
                        this.metrics.recordsIn += event.rows.length;
                        this.chain.processHead(event.rows, event.input);
                    }
                    break;
                case 'watermark':
                    this.metrics.enter('busy');
                    this.forwardWatermark(event.timestamp);
                    break;
                case 'barrier':
                    if (this.checkpointer) this.checkpoint(event.checkpointId);
                    else this.passBarrier(event.checkpointId);
                    break;
                case 'input-ended': {
                    this.metrics.enter('busy');
                    const advanced = gate.advance();
                    if (advanced.kind === 'watermark') this.forwardWatermark(advanced.timestamp);
                    this.chain.endHeadInput(event.input);
                    if (event.allEnded) {
                        this.finishChain(this.now(), true);
                        return;
                    }
                    break;
                }
            }
            if (++this.batchesThisTurn >= turn && !gate.isEmpty) {
                this.batchesThisTurn = 0;
                await yieldToEventLoop();
                turn = Math.max(BATCHES_PER_TURN, gate.queued);
            }
        }
    }

    /** Waits while sink writes are pending or the output has no credits (time counted back-pressured). */
    private async waitForOutput(): Promise<void> {
        const wait = this.outputWait();
        if (wait) await wait;
    }

    /** What the task must wait for before it takes more input (undefined: nothing, go on at once). */
    private outputWait(): Promise<void> | undefined {
        const sinkCapacity = this.chain.sink ? this.services.sinkRecordsCapacity() : undefined;
        if (this.pendingWrites.length === 0 && !this.output.blocked && !sinkCapacity) return undefined;
        return this.waitForBackpressure(sinkCapacity);
    }

    private async waitForBackpressure(sinkCapacity: Promise<void> | undefined): Promise<void> {
        this.metrics.enter('backpressured');
        // The consumer of printed records may never take more (stdout closed by `| head`): a
        // cancelled task stops waiting for it, or cancelling would time out.
        if (sinkCapacity) await Promise.race([sinkCapacity, this.whenCancelled]);
        if (this.cancelled) return;
        await this.drainWrites();
        while (this.output.blocked && !this.cancelled) await this.output.waitForCapacity();
    }

    private async drainWrites(): Promise<void> {
        while (this.pendingWrites.length > 0) {
            const writes = this.pendingWrites;
            this.pendingWrites = [];
            await Promise.all(writes);
        }
    }

    /** Watermark through the chain (after the source, when the head is a source), then downstream. */
    private forwardWatermark(watermark: number): void {
        if (watermark <= this.lastWatermark) return;
        // A paused job moves no watermark (no window fires while paused).
        if (this.debug && !this.debug.sync()) return;
        this.lastWatermark = watermark;
        this.metrics.watermark = watermark;
        const forwarded = this.chain.processWatermark(watermark, 0);
        this.output.broadcast({ kind: 'watermark', timestamp: forwarded });
    }

    /** All input consumed: final processing-time tick, then every operator flushes in order. */
    private finishChain(at: number, headHasInputs = false): void {
        if (this.mode === 'streaming') this.chain.onProcessingTime(at);
        if (headHasInputs) this.chain.endChainedInputs();
        else this.chain.endAll();
    }

    /**
     * Runs between the task's own steps (timers never interrupt a batch): fires processing-time
     * timers, then sends what waits in partly filled output batches. Without the flush, a source
     * emitting 150 records a second into a keyed exchange held them until 1,024 had gathered or
     * the input ended, so a streaming job's updates reached its sinks at the end, not as they came.
     */
    private tick(processingTime: boolean): void {
        // Processing-time timers do not fire while a debugged job is paused.
        if (this.cancelled || this.debug?.paused) return;
        try {
            if (processingTime) this.chain.onProcessingTime(Date.now());
            this.output.flush();
        } catch (error) {
            // Fail through the run loop, so the task reports its end exactly once.
            this.failure = error;
            this.cancel();
        }
    }

    private wakeUp(): void {
        const wake = this.wake;
        this.wake = undefined;
        wake?.();
    }

    private async closeQuietly(): Promise<void> {
        try {
            await this.chain.close();
        } catch {
            // Already failing or cancelled: the first error is what the user needs.
        }
    }
}

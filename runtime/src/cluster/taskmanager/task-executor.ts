/**
 * The TaskManager inside its worker thread (Flink's TaskExecutor): deploys subtasks into its
 * slots, wires their channels, forwards print/collect sink records to the JobManager in batches
 * (with acknowledgements, so a slow consumer of results slows the job instead of filling memory),
 * samples the taps the JobManager opens (worker-taps.ts), and reports task states, metrics and
 * heartbeats.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ExecutionState } from '../../../../protocol/cluster-api.js';
import { BATCH_SIZE } from '../../exchange/channel-message.js';
import { InputGate } from '../../exchange/input-gate.js';
import { OutputChannel } from '../../exchange/output-channel.js';
import { createCombiner } from '../../operators/aggregate-combiner.js';
import { OutputGate } from '../../exchange/output-gate.js';
import { createPartitioner } from '../../exchange/partitioner.js';
import type { Row } from '../../operators/operator.js';
import type { JobManagerToTaskManager, SerializedError, TaskDeployment, TaskManagerInit, TaskManagerToJobManager } from '../taskmanager-protocol.js';
import { ChannelRegistry } from './channel-registry.js';
import { nodeOfError } from './operator-chain.js';
import { StreamTask } from './stream-task.js';
import { WorkerTaps } from './worker-taps.js';
import { StateRestoreError } from '../../checkpoint/restore-failure.js';

/**
 * Printed/collected records sent to the JobManager and not yet acknowledged, at most (the sinks'
 * credit, in records like the channels' credit: a sink fed batches of any size holds no more).
 */
const MAX_UNACKED_SINK_RECORDS = 8 * BATCH_SIZE;
/** How long printed/collected records may wait to be batched. */
const SINK_FLUSH_MS = 20;

interface SinkBuffer { task: StreamTask; nodeId: string; connector: 'print' | 'collect'; rows: Row[]; lines: string[]; pendingText: string }

export class TaskExecutor {
    private readonly registry: ChannelRegistry;
    private readonly tasks = new Set<StreamTask>();
    private readonly sinkBuffers = new Map<string, SinkBuffer>();
    /** Records sent to the JobManager and not yet acknowledged. */
    private unackedSinkRecords = 0;
    /** The records of each unacknowledged sink-records message, oldest first (acks come in order). */
    private readonly unackedSizes: number[] = [];
    /** Records in the sink buffers, not yet sent. */
    private bufferedSinkRecords = 0;
    private sinkWaiters: (() => void)[] = [];
    private sinkTimer: ReturnType<typeof setTimeout> | undefined;
    private readonly timers: ReturnType<typeof setInterval>[] = [];
    private readonly taps: WorkerTaps;

    constructor(private readonly init: TaskManagerInit, private readonly post: (message: TaskManagerToJobManager, transfer?: ArrayBuffer[]) => void) {
        this.registry = new ChannelRegistry(init.index);
        this.taps = new WorkerTaps(() => this.tasks, (taps) => this.post({ type: 'tap-records', taps }));
        this.timers.push(setInterval(() => this.reportMetrics(), init.metricsIntervalMs));
        this.timers.push(setInterval(() => this.heartbeat(), 1000));
        this.post({ type: 'ready', index: init.index });
    }

    handle(message: JobManagerToTaskManager): void {
        switch (message.type) {
            case 'connect':
                for (const peer of message.peers) this.registry.connect(peer.index, peer.port as MessagePort);
                return;
            case 'deploy':
                this.deploy(message.tasks);
                return;
            case 'cancel':
                for (const task of this.tasks) if (task.deployment.jobId === message.jobId) task.cancel();
                return;
            case 'sink-ack':
                for (let i = 0; i < message.n; i++) this.unackedSinkRecords -= this.unackedSizes.shift() ?? 0;
                // Full batches held back for credit go now; the timer sends a partly filled one.
                for (const [key, buffer] of this.sinkBuffers) this.sendSink(key, buffer, 'full');
                if (this.sinkHasRoom()) {
                    const waiters = this.sinkWaiters;
                    this.sinkWaiters = [];
                    for (const resolve of waiters) resolve();
                }
                return;
            case 'tap-open':
                this.taps.open(message.tap);
                return;
            case 'tap-close':
                this.taps.close(message.tapId);
                return;
            case 'test-proceed':
                for (const task of this.tasks) if (task.deployment.jobId === message.jobId) task.test?.proceed(message.phase);
                return;
            case 'trigger-checkpoint':
                for (const task of this.tasks) {
                    if (task.deployment.jobId === message.jobId && task.deployment.checkpointing?.attempt === message.attempt && task.chain.source) task.triggerCheckpoint(message.checkpointId, message.stop);
                }
                return;
            case 'checkpoint-complete':
                for (const task of this.tasks) {
                    if (task.deployment.jobId === message.jobId && task.deployment.checkpointing?.attempt === message.attempt) task.chain.sink?.fn.checkpointComplete?.(message.checkpointId, message.committed);
                }
                return;
            case 'crash':
                // As a thread dying of a fatal error would: no task reports anything.
                process.exit(70);
                return;
            case 'shutdown':
                this.taps.stop();
                for (const task of this.tasks) task.cancel();
                for (const timer of this.timers) clearInterval(timer);
                if (this.sinkTimer) clearTimeout(this.sinkTimer);
                this.registry.close();
                return;
        }
    }

    private deploy(deployments: TaskDeployment[]): void {
        const created: StreamTask[] = [];
        for (const deployment of deployments) {
            try {
                created.push(this.createTask(deployment));
            } catch (error) {
                this.post({ type: 'task-state', jobId: deployment.jobId, attempt: deployment.attempt ?? 0, vertexId: deployment.vertexId, subtask: deployment.subtaskIndex, state: 'FAILED', error: serializeError(error) });
            }
        }
        for (const task of created) {
            this.tasks.add(task);
            this.taps.attach(task);
            void task.run().finally(() => this.tasks.delete(task));
        }
    }

    private createTask(d: TaskDeployment): StreamTask {
        const registry = this.registry;
        // At-least-once checkpoints do not align barriers (records after a barrier are not held back).
        const aligned = d.checkpointing?.mode !== 'at-least-once';
        const input = new InputGate(d.inputs.map((i) => ({ input: i.input, returnCredits: registry.creditReturn(i.channelId, i.fromTm) })), aligned);
        // Channels tell the gate when they drain; the gate is built from the channels.
        const ref: { gate?: OutputGate } = {};
        const outputs = d.outputs.map((o) => ({
            sourceNode: o.sourceNode,
            sideOutput: o.sideOutput,
            partitioner: createPartitioner(o.ship, o.keys, d.subtaskIndex),
            // Debugged and test runs show every record whole at the receiver: all its fields cross.
            channels: o.channels.map((c) => new OutputChannel(c.channelId, registry.transport(c.channelId, c.toTm, o.fields, d.debug || d.test ? null : o.shipped ?? null), () => ref.gate?.channelDrained())),
            // Debugged and test runs show and count every record at the aggregate: no combining there.
            combiner: o.combine && !d.debug && !d.test ? createCombiner(o.combine, receiverWatermark(d, o.combine.id)) : undefined
        }));
        const gate = new OutputGate(outputs, d.nodes[d.nodes.length - 1].id);
        ref.gate = gate;
        const task = new StreamTask(d, input, gate, {
            reportState: (t, state, error) => this.reportState(t, state, error),
            printText: (t, nodeId, text) => this.bufferSink(t, nodeId, 'print', undefined, text),
            collectRows: (t, nodeId, rows) => this.bufferSink(t, nodeId, 'collect', rows, undefined),
            sinkRecordsCapacity: () => this.sinkCapacity(),
            operatorFusion: this.init.operatorFusion,
            taskManagerId: this.init.id,
            postDebug: (t, message) => this.post('stop' in message
                ? { type: 'debug-stop', jobId: t.deployment.jobId, stop: message.stop }
                : { type: 'debug-log', jobId: t.deployment.jobId, line: message.line }),
            testBarrier: (t, phase) => {
                // The records before the barrier reach the JobManager before the news of it (one ordered port).
                this.flushSinks(t, false);
                this.post({ type: 'test-barrier', jobId: t.deployment.jobId, vertexId: t.deployment.vertexId, subtask: t.deployment.subtaskIndex, phase });
            },
            acknowledgeCheckpoint: (t, ack) => {
                const cd = t.deployment;
                this.post({ type: 'checkpoint-ack', jobId: cd.jobId, attempt: cd.checkpointing!.attempt, checkpointId: ack.checkpointId, vertexId: cd.vertexId, subtask: cd.subtaskIndex,
                    states: ack.states, alignmentBuffered: ack.alignmentBuffered, timing: ack.timing, error: ack.error });
            },
            sinkFinal: (t, nodeId, sink) => {
                const cd = t.deployment;
                this.post({ type: 'sink-final', jobId: cd.jobId, attempt: cd.checkpointing!.attempt, nodeId, subtask: cd.subtaskIndex, sink });
            }
        });
        d.inputs.forEach((i, index) => registry.registerReceiver(i.channelId, input, index, (bytes) => { task.metrics.bytesIn += bytes; }));
        for (const o of outputs) for (const channel of o.channels) registry.registerSender(channel.id, channel);
        return task;
    }

    private reportState(task: StreamTask, state: ExecutionState, error?: unknown): void {
        const d = task.deployment;
        const terminal = state === 'FINISHED' || state === 'CANCELED' || state === 'FAILED';
        if (terminal) {
            this.flushSinks(task);
            if (task.test) this.post({ type: 'test-coverage', jobId: d.jobId, counts: Object.fromEntries(task.test.counts) });
            // The JobManager closes a job's taps when it ends: what they sampled must be there before.
            this.taps.flushJob(d.jobId);
            this.post({ type: 'metrics', jobId: d.jobId, tasks: [this.snapshot(task, true)] });
            this.registry.unregister([...d.inputs.map((i) => i.channelId), ...d.outputs.flatMap((o) => o.channels.map((c) => c.channelId))]);
        }
        this.post({ type: 'task-state', jobId: d.jobId, attempt: d.attempt ?? 0, vertexId: d.vertexId, subtask: d.subtaskIndex, state, error: error === undefined ? undefined : serializeError(error) });
    }

    private snapshot(task: StreamTask, final: boolean): { vertexId: string; subtask: number; metrics: ReturnType<StreamTask['metrics']['snapshot']> } {
        task.metrics.bytesOut = task.output.bytesSent;
        task.metrics.inputQueueLength = task.input.queued + task.input.heldBack;
        task.metrics.outputQueueLength = task.output.queuedMessages;
        return { vertexId: task.deployment.vertexId, subtask: task.deployment.subtaskIndex, metrics: task.metrics.snapshot(final) };
    }

    private reportMetrics(): void {
        const byJob = new Map<string, ReturnType<TaskExecutor['snapshot']>[]>();
        for (const task of this.tasks) {
            const list = byJob.get(task.deployment.jobId) ?? [];
            list.push(this.snapshot(task, false));
            byJob.set(task.deployment.jobId, list);
        }
        for (const [jobId, tasks] of byJob) this.post({ type: 'metrics', jobId, tasks });
    }

    private heartbeat(): void {
        const memory = process.memoryUsage();
        const cpu = process.cpuUsage();
        this.post({ type: 'heartbeat', index: this.init.index, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, cpuTimeMs: (cpu.user + cpu.system) / 1000 });
    }

    // ---------------------------------------------------------------- print / collect sinks

    private bufferSink(task: StreamTask, nodeId: string, connector: 'print' | 'collect', rows: Row[] | undefined, text: string | undefined): void {
        const key = `${task.deployment.jobId}/${nodeId}/${task.deployment.subtaskIndex}`;
        let buffer = this.sinkBuffers.get(key);
        if (!buffer) {
            buffer = { task, nodeId, connector, rows: [], lines: [], pendingText: '' };
            this.sinkBuffers.set(key, buffer);
        }
        const before = buffer.rows.length + buffer.lines.length;
        if (rows) for (const row of rows) buffer.rows.push(row);
        if (text !== undefined) {
            // Lines are complete at each newline; a partial line waits for the rest.
            const parts = (buffer.pendingText + text).split('\n');
            buffer.pendingText = parts.pop() ?? '';
            for (const line of parts) buffer.lines.push(line);
        }
        this.bufferedSinkRecords += buffer.rows.length + buffer.lines.length - before;
        if (buffer.rows.length + buffer.lines.length >= BATCH_SIZE) this.sendSink(key, buffer, 'full');
        if (buffer.rows.length + buffer.lines.length > 0) this.sinkTimer ??= setTimeout(() => this.flushAllSinks(), SINK_FLUSH_MS);
    }

    /**
     * Sends a sink buffer's records in messages of at most BATCH_SIZE records: 'full' sends full
     * messages and 'timer' the rest too, each only while the credit (MAX_UNACKED_SINK_RECORDS)
     * allows, the rest waiting for acknowledgements; 'all' (a test barrier) and 'final' (the task
     * ended) send everything at once, since what follows must not overtake these records.
     */
    private sendSink(key: string, buffer: SinkBuffer, how: 'full' | 'timer' | 'all' | 'final'): void {
        if (how === 'final' && buffer.pendingText !== '') {
            buffer.lines.push(buffer.pendingText);
            buffer.pendingText = '';
            this.bufferedSinkRecords++;
        }
        const forced = how === 'all' || how === 'final';
        const print = buffer.connector === 'print';
        let from = 0;
        const total = print ? buffer.lines.length : buffer.rows.length;
        while (from < total) {
            const n = Math.min(BATCH_SIZE, total - from);
            if (!forced && ((how === 'full' && n < BATCH_SIZE) || this.unackedSinkRecords + n > MAX_UNACKED_SINK_RECORDS)) break;
            const d = buffer.task.deployment;
            const whole = from === 0 && n === total;
            const rows = print ? [] : whole ? buffer.rows : buffer.rows.slice(from, from + n);
            const lines = !print ? undefined : whole ? buffer.lines : buffer.lines.slice(from, from + n);
            this.post({ type: 'sink-records', jobId: d.jobId, nodeId: buffer.nodeId, connector: buffer.connector, subtask: d.subtaskIndex, rows, lines });
            this.unackedSinkRecords += n;
            this.unackedSizes.push(n);
            this.bufferedSinkRecords -= n;
            from += n;
        }
        if (from > 0) {
            if (print) buffer.lines = from === total ? [] : buffer.lines.slice(from);
            else buffer.rows = from === total ? [] : buffer.rows.slice(from);
        }
        if (how === 'final') this.sinkBuffers.delete(key);
    }

    private flushAllSinks(): void {
        this.sinkTimer = undefined;
        for (const [key, buffer] of this.sinkBuffers) this.sendSink(key, buffer, 'timer');
        // Records still held back for credit: try again after the next acknowledgements.
        for (const buffer of this.sinkBuffers.values()) {
            if (buffer.rows.length + buffer.lines.length > 0) {
                this.sinkTimer = setTimeout(() => this.flushAllSinks(), SINK_FLUSH_MS);
                break;
            }
        }
    }

    private flushSinks(task: StreamTask, final = true): void {
        for (const [key, buffer] of this.sinkBuffers) if (buffer.task === task) this.sendSink(key, buffer, final ? 'final' : 'all');
    }

    /** True while the sinks' records, sent or waiting to be, are fewer than their credit. */
    private sinkHasRoom(): boolean {
        return this.unackedSinkRecords + this.bufferedSinkRecords < MAX_UNACKED_SINK_RECORDS;
    }

    private sinkCapacity(): Promise<void> | undefined {
        if (this.sinkHasRoom()) return undefined;
        return new Promise((resolve) => this.sinkWaiters.push(resolve));
    }
}

/**
 * The highest watermark the window operator `nodeId` starts from: -Infinity in a first attempt, the
 * restored one in a restored attempt (undefined: not known; checkpoint/restored-watermarks.ts).
 */
function receiverWatermark(d: TaskDeployment, nodeId: string): number | undefined {
    const restored = d.checkpointing?.restoredWatermarks;
    return restored === undefined ? -Infinity : restored[nodeId];
}

function serializeError(error: unknown): SerializedError {
    const err = error instanceof Error ? error : new Error(String(error));
    const serialized: SerializedError = { name: err.name, message: err.message, stack: err.stack ?? `${err.name}: ${err.message}`, nodeId: nodeOfError(error) };
    if (err instanceof StateRestoreError) serialized.restore = err.restore;
    return serialized;
}

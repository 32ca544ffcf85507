/**
 * The debugger inside one subtask of a debugged job (worker side). It wraps each chain link's
 * processBatch, the source's emit and the sink's write in a probe. A probe with nothing armed on
 * its node passes whole batches through (two Atomics.loads per batch); an armed probe feeds the
 * records one at a time, checks breakpoints, and stops the whole job at a hit: it takes the
 * stop-owner word of the job's control block, posts the DebugStop, and blocks in Atomics.wait until
 * the JobManager says continue or step. Every other thread of the job blocks at its next probe
 * (or watermark) while the owner word is set, so the job pauses without losing, duplicating or
 * reordering a record.
 */
import type { DebugLogLine, DebugStop, StopReason } from '../../../protocol/job-debugging.js';
import type { SubtaskMetrics } from '../../../protocol/cluster-api.js';
import type { LogicalNode, SchemaField } from '../../../protocol/logical-graph.js';
import type { Row, StreamOperator } from '../operators/operator.js';
import type { TaskDebugDeployment } from '../cluster/taskmanager-protocol.js';
import { CANCELLED, COMMAND, CONTINUE, DebugControlBlock, OWNER, STEP, VERSION } from './debug-control-block.js';
import { compileDebugSettings, type CompiledDebugSettings } from './compiled-debug-settings.js';
import { inspectOperator, typedKey, typedRecord } from './debug-stop-builder.js';
import { failingRecord } from './failing-record.js';

/** What the agent needs from its task. */
export interface DebugTaskHost {
    readonly vertexId: string;
    readonly subtaskIndex: number;
    readonly parallelism: number;
    readonly mode: 'batch' | 'streaming';
    readonly taskManagerId: string;
    metricsSnapshot(): SubtaskMetrics;
    currentWatermark(): number | null;
    /** The job was cancelled while this thread waited: stop the task (the cancel message comes later). */
    cancelFromDebugger(): void;
    postStop(stop: DebugStop): void;
    postLog(line: DebugLogLine): void;
}

type ProbeKind = 'source' | 'operator' | 'sink';

/** One probe: a node of the chain and whether anything is armed on it. */
export class NodeProbe {
    armed = false;
    /** Records the node emitted so far (to tell that a stepped record was dropped or folded). */
    emitted = 0;
    constructor(readonly node: LogicalNode, readonly kind: ProbeKind, readonly operator: StreamOperator | undefined, readonly inputSchemas: SchemaField[][]) {}
}

/** Why to stop at a record: a reason and, for breakpoints, the ids that fired. */
interface Decision { reason: StopReason; breakpointIds: number[] }

type Process = (rows: Row[], input: number) => void;

/** How long a wait lasts before it re-checks the cancelled flag (a notify normally ends it sooner). */
const WAIT_SLICE_MS = 500;

export class TaskDebugAgent {
    private readonly block: DebugControlBlock;
    private readonly header: Int32Array;
    private readonly me: number;
    private readonly probes: NodeProbe[] = [];
    private version = -1;
    private settings!: CompiledDebugSettings;
    /** Stops this thread took; a step that saw none of its own ends by releasing the job. */
    private stopsTaken = 0;
    /** Errors a probe already stopped at (the same error passes every probe up the chain). */
    private readonly stoppedErrors = new WeakSet<object>();
    private cancelled = false;

    constructor(private readonly deployment: TaskDebugDeployment, private readonly host: DebugTaskHost) {
        this.block = new DebugControlBlock(deployment.control);
        this.header = this.block.header;
        this.me = deployment.ownerId;
        this.reload();
    }

    /** A probe for a node of the chain. */
    probe(node: LogicalNode, kind: ProbeKind, operator?: StreamOperator): NodeProbe {
        const schemas = kind === 'operator' ? this.deployment.inputSchemas[node.id] ?? [node.schema] : [node.schema];
        const probe = new NodeProbe(node, kind, operator, schemas);
        this.probes.push(probe);
        this.arm(probe);
        return probe;
    }

    /** Wraps `process` (an operator's processBatch, a sink write, a source's emit) in `probe`. */
    wrap(probe: NodeProbe, process: Process): Process {
        const header = this.header;
        return (rows, input) => {
            if (Atomics.load(header, OWNER) === 0 && Atomics.load(header, VERSION) === this.version && !probe.armed) {
                this.guarded(probe, rows, input, () => process(rows, input));
                return;
            }
            this.feed(probe, rows, input, process);
        };
    }

    /** True when none of `probes` is armed and the job runs: a fused run of them may take the batch. */
    quiet(probes: NodeProbe[]): boolean {
        if (Atomics.load(this.header, OWNER) !== 0 || Atomics.load(this.header, VERSION) !== this.version) return false;
        for (const probe of probes) if (probe.armed) return false;
        return true;
    }

    /** Whether an operator error stops the job (exception stops). */
    get stopsOnOperatorErrors(): boolean {
        return this.settings.exceptions.operatorErrors;
    }

    /** Counts what `probe`'s node emits (wraps the emit of its context). */
    counting(probe: NodeProbe, emit: (rows: Row[]) => void): (rows: Row[]) => void {
        return (rows) => {
            probe.emitted += rows.length;
            emit(rows);
        };
    }

    /**
     * Blocks while another thread holds a stop; picks up new settings. False once the job is
     * cancelled (the caller drops what it holds: the task is ending).
     */
    sync(): boolean {
        const header = this.header;
        for (;;) {
            if (this.cancelled || Atomics.load(header, CANCELLED) === 1) return this.onCancelled();
            const owner = Atomics.load(header, OWNER);
            if (owner === 0 || owner === this.me) break;
            Atomics.wait(header, OWNER, owner, WAIT_SLICE_MS);
        }
        if (Atomics.load(header, VERSION) !== this.version) this.reload();
        return true;
    }

    /** True while the job is paused (processing-time timers skip their tick). */
    get paused(): boolean {
        return Atomics.load(this.header, OWNER) !== 0;
    }

    /** A source met a bad row: stop there first when the debugger asks for bad-row stops. */
    badRow(probe: NodeProbe, bad: { file?: string; line?: number; raw: string; message: string }): void {
        if (!this.sync() || !this.settings.exceptions.badRows) return;
        const outcome = this.stopAt(probe, null, 0, { reason: 'exception', breakpointIds: [] },
            { name: 'BadInputError', message: bad.message, file: bad.file, line: bad.line, raw: bad.raw });
        if (outcome === 'step') this.release();
    }

    /**
     * The task is failing with `error` outside any record's processing (a watermark or timer
     * firing a window, the end of input, an asynchronous sink write, the source itself): an
     * exception stop without a record, before the failure is reported.
     */
    failed(nodeId: string | undefined, error: unknown): void {
        if (typeof error !== 'object' || error === null || this.stoppedErrors.has(error) || this.cancelled) return;
        if (!this.sync() || !this.settings.exceptions.operatorErrors) return;
        const probe = this.probes.find((p) => p.node.id === nodeId) ?? this.probes[0];
        if (!probe) return;
        this.stoppedErrors.add(error);
        const err = error as Error;
        const outcome = this.stopAt(probe, null, 0, { reason: 'exception', breakpointIds: [] }, { name: err.name ?? 'Error', message: err.message ?? String(error) });
        if (outcome === 'step') this.release();
    }

    // ---------------------------------------------------------------- probes, armed

    private feed(probe: NodeProbe, rows: Row[], input: number, process: Process): void {
        for (let i = 0; i < rows.length; i++) {
            if (!this.sync()) return;
            if (!probe.armed) {
                const rest = i === 0 ? rows : rows.slice(i);
                this.guarded(probe, rest, input, () => process(rest, input));
                return;
            }
            // Records no breakpoint can act on (their conditions do not hold) pass as one batch.
            const candidate = this.firstCandidate(probe, rows, i);
            if (candidate > i) {
                const run = i === 0 && candidate === rows.length ? rows : rows.slice(i, candidate);
                this.guarded(probe, run, input, () => process(run, input));
                i = candidate - 1;
                continue;
            }
            const row = rows[i];
            const decision = this.check(probe, row);
            let stepping = false;
            if (decision) {
                const outcome = this.stopAt(probe, row, input, decision);
                if (outcome === 'cancelled') return;
                stepping = outcome === 'step';
            }
            if (!stepping) {
                this.guarded(probe, [row], input, () => process([row], input));
                continue;
            }
            // Step over: this record moves on alone (every other thread stays paused); a probe it
            // reaches in this chain stops it again. If none did, the job runs on and stops at the
            // next record reaching a node after this one.
            const stops = this.stopsTaken;
            const emitted = probe.emitted;
            try {
                this.guarded(probe, [row], input, () => process([row], input));
            } catch (error) {
                // The stepped record failed the task: the job must not stay paused behind it.
                if (this.stopsTaken === stops) this.release();
                throw error;
            }
            if (this.stopsTaken !== stops || this.cancelled) continue;
            if (probe.kind === 'operator' && probe.emitted === emitted) this.noteNothingEmitted(probe);
            this.release();
        }
    }

    /** Runs `work` over `rows`; an error it throws stops the job first (exception stops), then goes on up. */
    private guarded(probe: NodeProbe, rows: Row[], input: number, work: () => void): void {
        try {
            work();
        } catch (error) {
            if (typeof error === 'object' && error !== null && !this.stoppedErrors.has(error) && this.settings.exceptions.operatorErrors && !this.cancelled) {
                this.stoppedErrors.add(error);
                const err = error as Error;
                const row = rows.length === 1 ? rows[0]
                    : probe.kind === 'operator' ? failingRecord(probe.node, this.host.mode, this.host.subtaskIndex, this.host.parallelism, rows) : null;
                const outcome = this.stopAt(probe, row, input, { reason: 'exception', breakpointIds: [] }, { name: err.name ?? 'Error', message: err.message ?? String(error) });
                if (outcome === 'step') this.release();
            }
            throw error;
        }
    }

    /**
     * The index of the first record from `from` on that a breakpoint, step, pause or entry could
     * act on: only conditional breakpoints can let records pass unchecked one by one.
     */
    private firstCandidate(probe: NodeProbe, rows: Row[], from: number): number {
        const s = this.settings;
        if (s.pause || this.stepTargets(probe) || (s.entry && probe.kind === 'source')) return from;
        const bps = s.breakpoints.get(probe.node.id);
        if (!bps) return from;
        for (const bp of bps) if (!bp.condition) return from;
        for (let j = from; j < rows.length; j++) {
            for (const bp of bps) {
                try {
                    if (bp.condition!(rows[j]) === true) return j;
                } catch {
                    return j; // check() reports the failing condition
                }
            }
        }
        return rows.length;
    }

    /** Whether to stop at `row`: breakpoints (conditions, hit counts; logpoints print), step, pause, entry. */
    private check(probe: NodeProbe, row: Row, alreadyFired?: number[]): Decision | null {
        const s = this.settings;
        const fired: number[] = [];
        for (const bp of s.breakpoints.get(probe.node.id) ?? []) {
            if (alreadyFired) {
                // A hit counted before this thread waited for another stop: not counted again.
                if (alreadyFired.includes(bp.id) && !bp.logMessage) fired.push(bp.id);
                continue;
            }
            if (bp.condition) {
                let holds: unknown;
                try {
                    holds = bp.condition(row);
                } catch (error) {
                    this.log(probe, `The condition of the breakpoint on ${probe.node.name} failed on a record: ${error instanceof Error ? error.message : String(error)}`, bp.id);
                    continue;
                }
                if (holds !== true) continue;
            }
            const hits = Atomics.add(this.block.counters, bp.counterSlot, 1) + 1;
            if (bp.hitCondition) {
                const { op, n } = bp.hitCondition;
                const due = op === '==' ? hits === n : op === '>=' ? hits >= n : n > 0 && hits % n === 0;
                if (!due) continue;
            }
            if (bp.logMessage) {
                this.log(probe, bp.logMessage(row), bp.id);
                continue;
            }
            fired.push(bp.id);
        }
        if (fired.length > 0) return { reason: 'breakpoint', breakpointIds: fired };
        if (this.stepTargets(probe)) return { reason: 'step', breakpointIds: [] };
        if (s.pause) return { reason: 'pause', breakpointIds: [] };
        if (s.entry && probe.kind === 'source') return { reason: 'entry', breakpointIds: [] };
        return null;
    }

    // ---------------------------------------------------------------- stopping

    /**
     * Takes the job's stop, posts it and waits for the JobManager's command. A thread that finds
     * the stop taken waits for it to end, then re-checks its record against the new settings
     * (the hit is not lost, nor counted twice).
     */
    private stopAt(probe: NodeProbe, row: Row | null, input: number, decision: Decision, error?: DebugStop['error']): 'continue' | 'step' | 'cancelled' {
        const header = this.header;
        let current: Decision | null = decision;
        for (;;) {
            if (!this.sync()) return 'cancelled';
            const owner = Atomics.compareExchange(header, OWNER, 0, this.me);
            if (owner === 0 || owner === this.me) break;
            Atomics.wait(header, OWNER, owner, WAIT_SLICE_MS);
            if (!this.sync()) return 'cancelled';
            // Exceptions always stop; a record re-checks what still applies.
            if (current.reason !== 'exception' && row !== null) {
                current = this.check(probe, row, current.reason === 'breakpoint' ? current.breakpointIds : []);
                if (!current) return 'continue';
            }
        }
        this.stopsTaken++;
        Atomics.store(header, COMMAND, 0);
        this.host.postStop(this.describe(probe, row, input, current, error));
        let command: number;
        for (;;) {
            Atomics.wait(header, COMMAND, 0, WAIT_SLICE_MS);
            command = Atomics.load(header, COMMAND);
            if (command !== 0) break;
            if (Atomics.load(header, CANCELLED) === 1) {
                this.onCancelled();
                return 'cancelled';
            }
        }
        Atomics.store(header, COMMAND, 0);
        if (!this.sync()) return 'cancelled';
        if (command === STEP) return 'step';
        if (command !== CONTINUE) throw new Error(`Unknown debugger command ${command}.`);
        this.release();
        return 'continue';
    }

    /** Ends this thread's stop: every paused thread runs on. */
    private release(): void {
        if (Atomics.load(this.header, OWNER) !== this.me) return;
        Atomics.store(this.header, OWNER, 0);
        Atomics.notify(this.header, OWNER);
    }

    private describe(probe: NodeProbe, row: Row | null, input: number, decision: Decision, error?: DebugStop['error']): DebugStop {
        const schema = probe.inputSchemas[input] ?? probe.inputSchemas[0] ?? probe.node.schema;
        const inspection = row !== null && probe.kind === 'operator' ? inspectOperator(probe.operator, row, input) : { windows: [], state: [] };
        const stop: DebugStop = {
            reason: decision.reason,
            breakpointIds: decision.breakpointIds,
            nodeId: probe.node.id,
            vertexId: this.host.vertexId,
            subtask: this.host.subtaskIndex,
            parallelism: this.host.parallelism,
            taskManagerId: this.host.taskManagerId,
            slot: this.deployment.slot,
            input,
            record: row === null ? null : typedRecord(row, schema),
            key: row === null || probe.kind !== 'operator' ? null : typedKey(probe.node, input, row, schema),
            watermark: this.host.currentWatermark(),
            windows: inspection.windows,
            state: inspection.state,
            metrics: this.host.metricsSnapshot()
        };
        if (error) stop.error = error;
        return stop;
    }

    private noteNothingEmitted(probe: NodeProbe): void {
        const kind = probe.node.config.kind;
        const what = kind === 'filter' || (kind === 'udf' && probe.node.config.role === 'filter') ? 'dropped the record'
            : kind === 'map' || kind === 'flatMap' || kind === 'udf' || kind === 'union' ? 'emitted nothing for the record'
                : 'folded the record into its state';
        this.log(probe, `${probe.node.name} (line ${probe.node.location.range.start.line + 1}) ${what}; stepping stops at the next record reaching the node(s) after it.`);
    }

    private log(probe: NodeProbe, text: string, breakpointId?: number): void {
        const line: DebugLogLine = { nodeId: probe.node.id, subtask: this.host.subtaskIndex, text };
        if (breakpointId !== undefined) line.breakpointId = breakpointId;
        this.host.postLog(line);
    }

    // ---------------------------------------------------------------- settings

    private reload(): void {
        const { version, published } = this.block.read();
        this.version = version;
        this.settings = compileDebugSettings(published);
        for (const probe of this.probes) this.arm(probe);
    }

    private arm(probe: NodeProbe): void {
        const s = this.settings;
        probe.armed = s.breakpoints.has(probe.node.id) || s.pause
            || (s.entry && probe.kind === 'source')
            || this.stepTargets(probe);
    }

    /** Whether a step over in progress stops at `probe`'s node (a node after the stepped one; any, from a sink). */
    private stepTargets(probe: NodeProbe): boolean {
        const step = this.settings.step;
        return step !== null && (step.targets.length === 0 || step.targets.includes(probe.node.id));
    }

    private onCancelled(): false {
        if (!this.cancelled) {
            this.cancelled = true;
            this.host.cancelFromDebugger();
        }
        return false;
    }
}

/**
 * The operators of one task, head to tail, wired by function calls: an operator's emit is the
 * next operator's processBatch, the tail's emit goes to the task's output gate. A sink at the
 * tail is wrapped as an operator whose asynchronous writes the task awaits (back-pressure).
 * Errors are tagged with the node whose operator threw, so they map back to the source.
 */
import type { LogicalNode, SinkConfig } from '../../../../protocol/logical-graph.js';
import type { OperatorContext, Row, SideOutputTag, SinkFunction, SourceFunction, StreamOperator } from '../../operators/operator.js';
import { createOperator, createSink, createSource } from '../../operators/operator-factory.js';
import { OperatorError } from '../../operators/operator-error.js';
import { canEndFusedChain, fuseStatelessChain, isFusable } from '../../operators/stateless-chain.js';
import type { AggregateOperator } from '../../operators/aggregate-operator.js';
import type { NodeProbe, TaskDebugAgent } from '../../debug/task-debug-agent.js';
import type { RecordHook } from '../../operators/stage-taps.js';
import type { FoldingTail } from '../../operators/fused-loop.js';
import { materializeRows, type ColumnBatch, type ColumnConsumer } from '../../operators/column-batch.js';

/** What the chain needs from its task. */
export interface ChainHost {
    readonly subtaskIndex: number;
    readonly parallelism: number;
    readonly mode: 'batch' | 'streaming';
    /** False: every operator runs on its own, nothing is fused (a debugging aid). */
    readonly operatorFusion: boolean;
    /** Set only in a job run under a debugger: every source, operator and sink gets a probe. */
    readonly debug?: TaskDebugAgent;
    /** Set only when the job takes checkpoints (file sinks then commit at checkpoints). */
    readonly checkpointed?: { jobId: string; attempt: number };
    /** Processing time as operators read it (frozen in a test job); absent: the clock. */
    now?(): number;
    /** Records leaving the tail (to the output gate). */
    emitTail(rows: Row[]): void;
    /** Where a fused loop ending the chain may fold its records instead of emitting them (fused-loop.ts). */
    foldingTail?(): FoldingTail | undefined;
    /** A column batch leaving the tail (a source chained straight to the output gate). Absent: rows. */
    emitTailColumns?(batch: ColumnBatch): void;
    emitSide(nodeId: string, tag: SideOutputTag, rows: Row[]): void;
    countDropped(reason: 'late' | 'skipped', n: number): void;
    /** Records written by a sink at the tail. */
    countSinkRecords(n: number): void;
    printText(nodeId: string, text: string): void;
    collectRows(nodeId: string, rows: Row[]): void;
    /** A sink write still in progress: the task waits for it before taking more input. */
    pendingWrite(write: Promise<void>): void;
}

const NODE_OF_ERROR = new WeakMap<object, string>();

/** The LogicalGraph node whose operator threw `error`, if the chain tagged it. */
export function nodeOfError(error: unknown): string | undefined {
    if (typeof error !== 'object' || error === null) return undefined;
    const own = (error as { nodeId?: unknown }).nodeId;
    return typeof own === 'string' ? own : NODE_OF_ERROR.get(error);
}

/** Tags `error` with `nodeId` unless an operator further down the chain already did. */
export function tagError(error: unknown, nodeId: string): Error {
    const err = error instanceof Error ? error : new Error(String(error));
    // An OperatorError knows its node best (inside a fused loop it is not the group's last node).
    if (!NODE_OF_ERROR.has(err)) NODE_OF_ERROR.set(err, err instanceof OperatorError ? err.nodeId : nodeId);
    return err;
}

/**
 * Where a tap attaches in a chain: the output of one node (a source or an operator). `attach`
 * sets the hook that sees each record the node produces, or removes it (null).
 */
export interface TapPoint { attach(hook: RecordHook | null): void }

/** A tap point at a node's emit: its hook is read once per batch. */
class EmitTapPoint implements TapPoint {
    hook: RecordHook | null = null;
    attach(hook: RecordHook | null): void {
        this.hook = hook;
    }
}

/** A chain link: an operator and the node it runs. */
export interface ChainLink { node: LogicalNode; operator: StreamOperator; context: OperatorContext }

export class OperatorChain {
    /** The source function when the head is a source (then `links` holds the operators after it). */
    readonly source?: { node: LogicalNode; fn: SourceFunction };
    readonly links: ChainLink[] = [];
    readonly sink?: { node: LogicalNode; fn: SinkFunction };
    /** Debugged jobs: the head operator's batch entry, through its probe. */
    private readonly debugHead?: (rows: Row[], input: number) => void;
    private readonly sourceProbe?: NodeProbe;
    /** Every source and operator node of the chain, by id: where taps attach. */
    private readonly tapPoints = new Map<string, TapPoint>();

    constructor(readonly nodes: LogicalNode[], private readonly host: ChainHost) {
        let rest = nodes;
        const debug = host.debug;
        if (nodes[0].config.kind === 'source') {
            this.source = { node: nodes[0], fn: createSource(nodes[0], host.mode) };
            rest = nodes.slice(1);
            // The source's context is made when it runs; a tap may attach before that.
            this.emitTapPoint(nodes[0]);
        }
        const last = rest.at(-1);
        if (last && last.config.kind === 'sink') {
            this.sink = { node: last, fn: createSink(last) };
            rest = rest.slice(0, -1);
        }
        if (debug) {
            // Under a debugger every node is its own link (a breakpoint target), probed.
            const built = this.buildProbed(rest, debug);
            this.links.push(...built.links);
            this.debugHead = built.head;
            this.headEmit = built.emit;
            this.sourceProbe = built.sourceProbe;
            return;
        }
        // Runs of stateless filter/map/flatMap nodes fuse into one compiled loop per batch; an
        // aggregate right after such a run is folded into the loop too (it then ends the run).
        const groups: LogicalNode[][] = [];
        for (const node of rest) {
            const previous = groups.at(-1);
            const open = host.operatorFusion && previous !== undefined && isFusable(previous[0]) && isFusable(previous[previous.length - 1]);
            if (open && (isFusable(node) || canEndFusedChain(node))) previous.push(node);
            else groups.push([node]);
        }
        // Build from the tail backwards so each context can call the next link directly.
        let next: (rows: Row[]) => void = this.sink ? this.sinkWriter(this.sink) : (rows) => host.emitTail(rows);
        const built: ChainLink[] = [];
        for (let i = groups.length - 1; i >= 0; i--) {
            const group = groups[i];
            const node = group[group.length - 1];
            const context = this.contextFor(node, next);
            let operator: StreamOperator;
            if (isFusable(group[0])) {
                // The chain's last loop folds into the gate's combiner while no tap is open on its
                // output (not without fusion: rows end to end, the reference).
                const gateTail = i === groups.length - 1 && !this.sink && host.operatorFusion ? host.foldingTail?.() : undefined;
                const outputTap = gateTail && this.emitTapPoint(node);
                const fused = fuseStatelessChain(group, gateTail && { ...gateTail, canFold: () => outputTap!.hook === null && gateTail.canFold() });
                // The group's last node is tapped at the operator's emit; the others inside the loop.
                group.slice(0, -1).forEach((inner, stage) => this.tapPoints.set(inner.id, { attach: (hook) => fused.stageTaps.set(stage, hook) }));
                operator = fused;
            } else {
                operator = createOperator(node, host.mode);
            }
            built.unshift({ node, operator, context });
            next = (rows) => {
                try {
                    operator.processBatch(rows, 0);
                } catch (error) {
                    throw tagError(error, node.id);
                }
            };
        }
        this.links.push(...built);
        this.headEmit = next;
    }

    /** Feeds the first operator after the source (or the sink, or the output). */
    readonly headEmit: (rows: Row[]) => void;

    /**
     * Feeds a column batch of the source to what follows it: as columns to an operator that reads
     * them (or to the output gate when the source is the whole chain), else as rows. A tap on the
     * source, or a debugged job, takes rows (its hooks and probes see records); so does a job run
     * without fusion (FLOWLINE_NO_FUSION: the row path end to end, the reference for the columns).
     */
    get headEmitColumns(): (batch: ColumnBatch) => void {
        // As rows, the source's tap (if one is attached) sees each record, as on the row path.
        const sourceTap = this.source ? this.emitTapPoint(this.source.node) : undefined;
        const asRows = (batch: ColumnBatch): void => {
            const rows = materializeRows(batch);
            const hook = sourceTap?.hook ?? null;
            if (hook !== null) for (let i = 0; i < rows.length; i++) hook(rows[i]);
            this.headEmit(rows);
        };
        if (this.debugHead || this.sourceProbe || !sourceTap || !this.host.operatorFusion) return asRows;
        const head = this.links[0];
        let columns: ((batch: ColumnBatch) => void) | undefined;
        if (head !== undefined) {
            const reader = head.operator as Partial<ColumnConsumer>;
            if (typeof reader.processColumns === 'function') {
                const operator = reader as ColumnConsumer;
                columns = (batch) => {
                    try {
                        operator.processColumns(batch);
                    } catch (error) {
                        throw tagError(error, head.node.id);
                    }
                };
            }
        } else if (!this.sink && this.host.emitTailColumns) {
            const host = this.host;
            columns = (batch) => host.emitTailColumns!(batch);
        }
        if (columns === undefined) return asRows;
        const direct = columns;
        return (batch) => {
            if (sourceTap.hook !== null) asRows(batch);
            else direct(batch);
        };
    }

    /**
     * The chain of a debugged job: every node its own link with a probe around its source emit,
     * operator or sink write. A run of filter/map/flatMap nodes also gets its fused loop, taken for
     * a batch while nothing in the run is armed (stateless: either path gives the same records).
     */
    private buildProbed(rest: LogicalNode[], debug: TaskDebugAgent): { links: ChainLink[]; head: (rows: Row[], input: number) => void; emit: (rows: Row[]) => void; sourceProbe?: NodeProbe } {
        let next: (rows: Row[]) => void = this.host.emitTail.bind(this.host);
        if (this.sink) {
            const write = this.sinkWriter(this.sink);
            const probed = debug.wrap(debug.probe(this.sink.node, 'sink'), (rows) => write(rows));
            next = (rows) => probed(rows, 0);
        }
        const links: ChainLink[] = [];
        const probes: NodeProbe[] = [];
        let head: (rows: Row[], input: number) => void = (rows) => next(rows);
        // Where the current run of fusable nodes (built backwards) emits, once it ends; when an
        // aggregate ends the run (as fusion would fold it in), the aggregate with the run's stages.
        let runEnd: { index: number; emit: (rows: Row[]) => void; terminal?: AggregateOperator } | undefined;
        for (let i = rest.length - 1; i >= 0; i--) {
            const node = rest[i];
            let operator: StreamOperator;
            let runNode: (rows: Row[], input: number) => void;
            if (canEndFusedChain(node) && i > 0 && isFusable(rest[i - 1])) {
                let start = i - 1;
                while (start > 0 && isFusable(rest[start - 1])) start--;
                const terminal = fuseStatelessChain(rest.slice(start, i + 1)) as AggregateOperator;
                runEnd = { index: i, emit: next, terminal };
                operator = terminal;
                runNode = (rows) => terminal.foldBatch(rows);
            } else {
                if (isFusable(node)) runEnd ??= { index: i, emit: next };
                const created = createOperator(node, this.host.mode);
                operator = created;
                runNode = (rows, input) => created.processBatch(rows, input);
            }
            const probe = debug.probe(node, 'operator', operator);
            probes.unshift(probe);
            const context = this.contextFor(node, debug.counting(probe, next));
            links.unshift({ node, operator, context });
            head = debug.wrap(probe, (rows, input) => {
                try {
                    runNode(rows, input);
                } catch (error) {
                    throw tagError(error, node.id);
                }
            });
            if (runEnd && runEnd.index !== i && (i === 0 || !isFusable(rest[i - 1]))) {
                head = this.fusedWhenQuiet(rest.slice(i, runEnd.index + 1), probes.slice(0, runEnd.index - i + 1), runEnd.emit, head, debug, runEnd.terminal);
                runEnd = undefined;
            } else if (runEnd && runEnd.index === i && !runEnd.terminal && (i === 0 || !isFusable(rest[i - 1]))) {
                runEnd = undefined;
            }
            const process = head;
            next = (rows) => process(rows, 0);
        }
        if (!this.source) return { links, head, emit: next };
        const sourceProbe = debug.probe(this.source.node, 'source');
        const afterSource = next;
        const probedEmit = debug.wrap(sourceProbe, (rows) => afterSource(rows));
        return { links, head, emit: (rows) => probedEmit(rows, 0), sourceProbe };
    }

    /**
     * A run of stateless nodes in a debugged job: its fused loop while none of its probes is
     * armed, the probed nodes one by one otherwise. A fused loop that throws has emitted nothing
     * (it emits once per batch), so the batch is run again through the probed nodes, where the
     * error stops the job at the right node and record. A tap on a node inside the run also
     * takes the probed path (the fused loop does not call the inner nodes' emits); the last
     * node's tap point is shared by both paths.
     */
    private fusedWhenQuiet(nodes: LogicalNode[], probes: NodeProbe[], emit: (rows: Row[]) => void, probed: (rows: Row[], input: number) => void, debug: TaskDebugAgent, terminal?: AggregateOperator): (rows: Row[], input: number) => void {
        // An aggregate ending the run is the aggregate's own link (opened with the chain), whose
        // state both paths fold into; a stateless run gets a loop of its own.
        const fused: StreamOperator = terminal ?? fuseStatelessChain(nodes);
        if (!terminal) void fused.open?.(this.contextFor(nodes[nodes.length - 1], emit));
        const innerTaps = nodes.slice(0, -1).map((n) => this.emitTapPoint(n));
        return (rows, input) => {
            // A loop that throws after folding part of a batch into the aggregate cannot be
            // replayed: with exception stops on, such a run goes one operator at a time.
            if (!debug.quiet(probes) || innerTaps.some((t) => t.hook !== null) || (terminal && debug.stopsOnOperatorErrors)) {
                probed(rows, input);
                return;
            }
            try {
                fused.processBatch(rows, input);
            } catch (error) {
                if (terminal || !debug.stopsOnOperatorErrors) throw tagError(error, nodes[nodes.length - 1].id);
                probed(rows, input);
                throw tagError(error, nodes[nodes.length - 1].id);
            }
        };
    }

    /** Where a tap on `nodeId`'s output attaches, when the node runs in this chain (sinks have none). */
    tapPoint(nodeId: string): TapPoint | undefined {
        return this.tapPoints.get(nodeId);
    }

    /** The context a node's operator or source function sees (its emit is the node's tap point). */
    contextFor(node: LogicalNode, emit: (rows: Row[]) => void): OperatorContext {
        const host = this.host;
        return {
            node,
            subtaskIndex: host.subtaskIndex,
            parallelism: host.parallelism,
            mode: host.mode,
            checkpointed: host.checkpointed,
            emit: node.config.kind === 'sink' ? emit : this.tappable(node, emit),
            emitSide: (tag, rows) => host.emitSide(node.id, tag, rows),
            processingTime: host.now ? () => host.now!() : () => Date.now(),
            countDropped: (reason, n) => host.countDropped(reason, n),
            output: (text) => host.printText(node.id, text),
            collect: (rows) => host.collectRows(node.id, rows),
            debugBadRow: host.debug && this.sourceProbe && node === this.source?.node
                ? (bad) => host.debug!.badRow(this.sourceProbe!, bad) : undefined
        };
    }

    /** Opens the source, operators and sink, head first. */
    async open(): Promise<void> {
        for (const link of this.links) {
            try {
                await link.operator.open?.(link.context);
            } catch (error) {
                throw tagError(error, link.node.id);
            }
        }
        if (this.sink) {
            try {
                await this.sink.fn.open?.(this.contextFor(this.sink.node, () => {}));
            } catch (error) {
                throw tagError(error, this.sink.node.id);
            }
        }
    }

    /** The head operator (an aggregate) got partial aggregates from its senders' combiners. */
    mergeHeadPartials(partials: Row[]): void {
        const head = this.links[0];
        if (!head?.operator.mergePartials) throw new Error(`${head?.node.id ?? 'this task'} received partial aggregates but cannot merge them`);
        try {
            head.operator.mergePartials(partials);
        } catch (error) {
            throw tagError(error, head.node.id);
        }
    }

    /**
     * Input `input` of the head operator got a column batch from the network: read as columns
     * by a head that reads them (not debugged, fused), else as rows built from the columns.
     */
    processHeadColumns(batch: ColumnBatch, input: number): void {
        const head = this.links[0];
        const reader = head?.operator as Partial<ColumnConsumer> | undefined;
        if (this.debugHead || !this.host.operatorFusion || typeof reader?.processColumns !== 'function' || input !== 0) {
            this.processHead(materializeRows(batch), input);
            return;
        }
        try {
            reader.processColumns(batch);
        } catch (error) {
            throw tagError(error, head!.node.id);
        }
    }

    /** Input `input` of the head operator got a batch. */
    processHead(rows: Row[], input: number): void {
        if (this.debugHead) {
            this.debugHead(rows, input);
            return;
        }
        const head = this.links[0];
        if (!head) {
            this.headEmit(rows);
            return;
        }
        try {
            head.operator.processBatch(rows, input);
        } catch (error) {
            throw tagError(error, head.node.id);
        }
    }

    /**
     * The combined watermark advanced: each operator in chain order, from `from`. An operator may
     * hold the watermark back (interval joins); the rest of the chain and the output get that one.
     * Returns the watermark to send downstream.
     */
    processWatermark(watermark: number, from = 0): number {
        let current = watermark;
        for (let i = from; i < this.links.length; i++) {
            const link = this.links[i];
            try {
                const held = link.operator.processWatermark?.(current);
                if (typeof held === 'number' && held < current) current = held;
            } catch (error) {
                throw tagError(error, link.node.id);
            }
        }
        return current;
    }

    /** Processing-time tick for every operator. */
    onProcessingTime(now: number): void {
        for (const link of this.links) {
            try {
                link.operator.onProcessingTime?.(now);
            } catch (error) {
                throw tagError(error, link.node.id);
            }
        }
    }

    /** Input `input` of the head ended. */
    endHeadInput(input: number): void {
        const head = this.links[0];
        if (!head) return;
        try {
            head.operator.endOfInput?.(input);
        } catch (error) {
            throw tagError(error, head.node.id);
        }
    }

    /** Every input of the head ended: the chained operators after it flush, in order. */
    endChainedInputs(): void {
        for (let i = 1; i < this.links.length; i++) {
            const link = this.links[i];
            try {
                link.operator.endOfInput?.(0);
            } catch (error) {
                throw tagError(error, link.node.id);
            }
        }
    }

    /** The source ended: every operator flushes, in chain order. */
    endAll(): void {
        for (const link of this.links) {
            try {
                link.operator.endOfInput?.(0);
            } catch (error) {
                throw tagError(error, link.node.id);
            }
        }
    }

    /** Bounded input done: make sink output visible. */
    async commit(): Promise<void> {
        if (!this.sink) return;
        try {
            await this.sink.fn.commit?.();
        } catch (error) {
            throw tagError(error, this.sink.node.id);
        }
    }

    /** Failed or cancelled: discard partial sink output. Never throws. */
    async abort(): Promise<void> {
        try {
            await this.sink?.fn.abort?.();
        } catch {
            // The task already failed or was cancelled; the abort error must not hide that.
        }
    }

    /** Closes every operator; the first error is rethrown after all were closed. */
    async close(): Promise<void> {
        let first: unknown;
        for (const link of this.links) {
            try {
                await link.operator.close?.();
            } catch (error) {
                first ??= tagError(error, link.node.id);
            }
        }
        if (first !== undefined) throw first;
    }

    /** True when the sink is print or collect (its records go to the JobManager). */
    get sinkConnector(): SinkConfig['connector'] | undefined {
        return this.sink?.node.config.kind === 'sink' ? this.sink.node.config.connector : undefined;
    }

    /** `emit`, handing each record to the node's tap hook first while one is attached (checked once per batch). */
    private tappable(node: LogicalNode, emit: (rows: Row[]) => void): (rows: Row[]) => void {
        const point = this.emitTapPoint(node);
        return (rows) => {
            const hook = point.hook;
            if (hook !== null) for (let i = 0; i < rows.length; i++) hook(rows[i]);
            emit(rows);
        };
    }

    /** The tap point at `node`'s emit, created on first use. */
    private emitTapPoint(node: LogicalNode): EmitTapPoint {
        const known = this.tapPoints.get(node.id);
        if (known instanceof EmitTapPoint) return known;
        const point = new EmitTapPoint();
        this.tapPoints.set(node.id, point);
        return point;
    }

    private sinkWriter(sink: { node: LogicalNode; fn: SinkFunction }): (rows: Row[]) => void {
        const host = this.host;
        return (rows) => {
            let result: void | Promise<void>;
            try {
                result = sink.fn.write(rows);
            } catch (error) {
                throw tagError(error, sink.node.id);
            }
            host.countSinkRecords(rows.length);
            if (result instanceof Promise) host.pendingWrite(result.catch((error: unknown) => { throw tagError(error, sink.node.id); }));
        };
    }
}

/**
 * The output side of a task: for each outgoing edge, a partitioner filling one buffer per
 * downstream channel. A buffer is sent when it holds a batch's worth of rows, or when the task
 * flushes (before control messages, and whenever it runs out of input, so latency stays low).
 */
import { materializeRows, type ColumnBatch } from '../operators/column-batch.js';
import type { FoldingTail } from '../operators/fused-loop.js';
import type { Row, SideOutputTag } from '../operators/operator.js';
import { BATCH_SIZE, type ChannelMessage } from './channel-message.js';
import type { Combiner } from './combiner.js';
import { ColumnBuffer, scatterColumns } from './column-buffer.js';
import type { OutputChannel } from './output-channel.js';
import type { Partitioner } from './partitioner.js';

/** One outgoing edge of a task. */
export interface EdgeOutput {
    /** The node of the chain whose output the edge carries. */
    sourceNode: string;
    sideOutput?: SideOutputTag;
    partitioner: Partitioner;
    /** Indexed by downstream subtask (for FORWARD, the one channel to the same index). */
    channels: OutputChannel[];
    /** A keyBy into an aggregate that can take partial aggregates (see combiner.ts). */
    combiner?: Combiner;
}

interface LiveEdge extends EdgeOutput {
    buffers: Row[][];
    /** Column batches routed by key (keyed edges fed by column batches), one per channel. */
    columnBuffers: ColumnBuffer[] | null;
}

export class OutputGate {
    private readonly edges: LiveEdge[];
    private readonly main: LiveEdge[];
    private waiters: (() => void)[] = [];

    constructor(edges: EdgeOutput[], tailNode: string) {
        this.edges = edges.map((e) => ({ ...e, buffers: e.channels.map(() => []), columnBuffers: null }));
        this.main = this.edges.filter((e) => e.sourceNode === tailNode && e.sideOutput === undefined);
    }

    /** True when the tail's records go nowhere (the chain ends in a sink). */
    get hasMainOutput(): boolean {
        return this.main.length > 0;
    }

    /** Routes records of the chain's tail. */
    emit(rows: Row[]): void {
        for (const edge of this.main) this.route(edge, rows);
    }

    /**
     * Routes a column batch of the chain's tail: folded in as columns where the only edge
     * combines, routed by key group into per-channel column batches where the only edge is keyed
     * by fields of the batch, else as rows.
     */
    emitColumns(batch: ColumnBatch): void {
        const only = this.main.length === 1 ? this.main[0] : undefined;
        const combiner = only?.combiner;
        if (only !== undefined && combiner !== undefined && combiner.active) {
            combiner.addColumns(batch);
            if (combiner.full) this.drainCombiner(only);
            return;
        }
        if (only !== undefined && only.partitioner.channelsOfColumns !== undefined && this.routeColumns(only, batch)) return;
        if (this.main.length > 0) this.emit(materializeRows(batch));
    }

    /**
     * The chain's tail may fold its records into the only main edge's combiner instead of emitting
     * them, when that combiner offers a fused-loop terminal; `counted` gets the records folded.
     */
    foldingTail(counted: (records: number) => void): FoldingTail | undefined {
        const only = this.main.length === 1 ? this.main[0] : undefined;
        const combiner = only?.combiner;
        if (only === undefined || combiner?.terminal === undefined) return undefined;
        return {
            terminal: combiner.terminal,
            state: combiner,
            canFold: () => combiner.active,
            folded: () => {
                counted(combiner.takeRecords!());
                if (combiner.full) this.drainCombiner(only);
            }
        };
    }

    private targets = new Int32Array(BATCH_SIZE);

    /** Routes a column batch by key group, column by column (no row objects); false if the keys are not columns. */
    private routeColumns(edge: LiveEdge, batch: ColumnBatch): boolean {
        const n = batch.length;
        if (this.targets.length < n) this.targets = new Int32Array(n);
        const targets = this.targets;
        const channels = edge.channels.length;
        if (!edge.partitioner.channelsOfColumns!(batch, targets, channels)) return false;
        // Rows buffered before keep their place ahead of these records.
        this.sendRowBuffers(edge);
        let buffers = edge.columnBuffers;
        if (buffers !== null && !sameFields(buffers[0].fields, batch.fields)) {
            this.sendColumnBuffers(edge);
            buffers = null;
        }
        if (buffers === null) {
            const fields = batch.fields.slice();
            buffers = edge.columnBuffers = edge.channels.map(() => new ColumnBuffer(fields));
        }
        scatterColumns(batch, targets, buffers);
        for (let c = 0; c < channels; c++) if (buffers[c].length >= BATCH_SIZE) this.sendColumnBuffer(edge, c);
        return true;
    }

    /** Routes records of a side output of `nodeId`; returns false when no edge consumes it. */
    emitSide(nodeId: string, tag: SideOutputTag, rows: Row[]): boolean {
        let routed = false;
        for (const edge of this.edges) {
            if (edge.sourceNode === nodeId && edge.sideOutput === tag) {
                this.route(edge, rows);
                routed = true;
            }
        }
        return routed;
    }

    /** Sends every non-empty buffer. */
    flush(): void {
        for (const edge of this.edges) {
            this.sendRowBuffers(edge);
            this.sendColumnBuffers(edge);
        }
    }

    private sendRowBuffers(edge: LiveEdge): void {
        for (let c = 0; c < edge.buffers.length; c++) {
            if (edge.buffers[c].length > 0) this.sendBuffer(edge, c);
        }
    }

    private sendColumnBuffers(edge: LiveEdge): void {
        const buffers = edge.columnBuffers;
        if (buffers === null) return;
        for (let c = 0; c < buffers.length; c++) if (buffers[c].length > 0) this.sendColumnBuffer(edge, c);
    }

    /** Hands channel c's column buffer over whole (the channel's receiver may keep it) and starts a new one. */
    private sendColumnBuffer(edge: LiveEdge, c: number): void {
        const buffers = edge.columnBuffers!;
        const full = buffers[c];
        buffers[c] = new ColumnBuffer(full.fields);
        edge.channels[c].send({ kind: 'data', columns: full });
    }

    /** Flushes (combiners included), then sends a control message on every channel. */
    broadcast(message: ChannelMessage): void {
        for (const edge of this.edges) {
            if (!edge.combiner) continue;
            // A watermark needs only what its receivers could fire; barriers, idleness and the end need everything.
            const before = message.kind === 'watermark' && message.idle !== true ? edge.combiner.drainBefore?.(message.timestamp) : undefined;
            this.drainCombiner(edge, before);
            // A window combiner folds only records its receivers cannot find late (window-combiner.ts).
            if (message.kind === 'watermark') edge.combiner.watermarkSent?.(message.timestamp, message.idle === true);
        }
        this.flush();
        for (const edge of this.edges) for (const channel of edge.channels) channel.send(message);
    }

    /** True while some channel waits for credits. */
    get blocked(): boolean {
        for (const edge of this.edges) for (const channel of edge.channels) if (channel.blocked) return true;
        return false;
    }

    /** Messages waiting for credits on every channel (Flink's buffers.outputQueueLength). */
    get queuedMessages(): number {
        let n = 0;
        for (const edge of this.edges) for (const channel of edge.channels) n += channel.backlogLength;
        return n;
    }

    /** Resolves once no channel waits for credits. */
    waitForCapacity(): Promise<void> {
        if (!this.blocked) return Promise.resolve();
        return new Promise((resolve) => this.waiters.push(resolve));
    }

    /** Called by a channel whose backlog drained. */
    channelDrained(): void {
        if (this.waiters.length === 0 || this.blocked) return;
        const waiters = this.waiters;
        this.waiters = [];
        for (const resolve of waiters) resolve();
    }

    /** Bytes sent across threads so far. */
    get bytesSent(): number {
        let bytes = 0;
        for (const edge of this.edges) for (const channel of edge.channels) bytes += channel.bytesSent;
        return bytes;
    }

    private route(edge: LiveEdge, rows: Row[]): void {
        const combiner = edge.combiner;
        if (combiner !== undefined && combiner.active) {
            combiner.add(rows);
            if (combiner.full) this.drainCombiner(edge);
            return;
        }
        // Column batches buffered before keep their place ahead of these records.
        if (edge.columnBuffers !== null) this.sendColumnBuffers(edge);
        const buffers = edge.buffers;
        if (buffers.length === 1 && buffers[0].length === 0 && rows.length >= BATCH_SIZE) {
            // A full batch on a single channel goes as it is, without copying.
            edge.channels[0].send({ kind: 'data', rows });
            return;
        }
        edge.partitioner.partition(rows, buffers);
        for (let c = 0; c < buffers.length; c++) {
            if (buffers[c].length >= BATCH_SIZE) this.sendBuffer(edge, c);
        }
    }

    /** Sends a combiner's partial aggregates, each to the channel its group's records go to. */
    private drainCombiner(edge: LiveEdge, partials: Row[] = edge.combiner!.drain()): void {
        if (partials.length === 0) return;
        const channelOf = edge.partitioner.channelOf;
        if (channelOf === undefined) throw new Error(`a combiner needs a keyed (HASH) edge; ${edge.sourceNode}'s edge is not`);
        const perChannel: Row[][] = edge.channels.map(() => []);
        const n = perChannel.length;
        for (let i = 0; i < partials.length; i++) {
            const partial = partials[i];
            perChannel[channelOf.call(edge.partitioner, partial.$r as Row, n)].push(partial);
        }
        for (let c = 0; c < n; c++) {
            const list = perChannel[c];
            if (list.length === 0) continue;
            // Records buffered before the combiner started (none today) keep their order.
            if (edge.buffers[c].length > 0) this.sendBuffer(edge, c);
            const columns = edge.columnBuffers?.[c];
            if (columns !== undefined && columns.length > 0) this.sendColumnBuffer(edge, c);
            for (let i = 0; i < list.length; i += BATCH_SIZE) {
                edge.channels[c].send({ kind: 'data', rows: list.slice(i, i + BATCH_SIZE), partial: true });
            }
        }
    }

    private sendBuffer(edge: LiveEdge, c: number): void {
        const rows = edge.buffers[c];
        edge.buffers[c] = [];
        edge.channels[c].send({ kind: 'data', rows });
    }
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
}

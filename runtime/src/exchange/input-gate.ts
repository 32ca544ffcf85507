/**
 * The input side of a task: the receiving ends of its channels, one FIFO queue in arrival order
 * (order within each channel is kept), the combined watermark (minimum over active channels,
 * ignoring idle and ended ones), end-of-data tracking per operator input, and checkpoint barrier
 * alignment: a barrier passes once every open channel delivered it; while aligning (exactly-once),
 * whatever a channel sends after its barrier is held back until the barrier passes, so the
 * task's snapshot holds the effect of exactly the records before the barrier (Flink's aligned
 * checkpoints). Without alignment (at-least-once) those records are processed at once.
 */
import type { ColumnBatch } from '../operators/column-batch.js';
import { creditOf, recordsOf, type ChannelMessage } from './channel-message.js';

/** The receiving end of one channel. */
export interface InputChannel {
    /** The operator input this channel feeds (0, or 1 for a join's right side). */
    input: number;
    /** Returns credits to the sender once a batch is taken (creditOf: one per buffer of records). */
    returnCredits(n: number): void;
}

interface ChannelState extends InputChannel {
    watermark: number;
    /** The highest barrier id delivered (-1: none). */
    barrier: number;
    idle: boolean;
    ended: boolean;
}

/** What the task must do after a control message. */
export type InputEvent =
    | { kind: 'data'; input: number; rows: import('../operators/operator.js').Row[]; partial?: true; columns?: undefined }
    | { kind: 'data'; input: number; columns: ColumnBatch; rows?: undefined; partial?: undefined }
    | { kind: 'watermark'; timestamp: number }
    | { kind: 'input-ended'; input: number; allEnded: boolean }
    | { kind: 'barrier'; checkpointId: number }
    | { kind: 'none' };

export class InputGate {
    private readonly channels: ChannelState[];
    private queue: { channel: number; message: ChannelMessage }[] = [];
    private head = 0;
    private combined = -Infinity;
    private combinedBarrier = -1;
    /** Messages of channels that delivered a barrier still waiting for the others (aligned mode). */
    private held: { channel: number; message: ChannelMessage }[] = [];
    /** Events to hand out before the queue (a barrier an end of data completed). */
    private readonly ready: InputEvent[] = [];
    onAvailable: () => void = () => {};

    /** `aligned`: hold back a channel's messages after its barrier until every channel delivered it. */
    constructor(channels: InputChannel[], private readonly aligned = true) {
        this.channels = channels.map((c) => ({ ...c, watermark: -Infinity, barrier: -1, idle: false, ended: false }));
    }

    /**
     * Records held back while aligning for the barrier that passed last (Flink's
     * alignment_buffered, in records): read when the barrier passes, after they were released.
     */
    alignmentBuffered = 0;

    /** The operator inputs of this task. */
    get inputs(): number[] {
        return [...new Set(this.channels.map((c) => c.input))].sort((a, b) => a - b);
    }

    get isEmpty(): boolean {
        return this.head >= this.queue.length && this.ready.length === 0;
    }

    /** True when every channel delivered its end of data (or the task has no inputs). */
    get allEnded(): boolean {
        return this.channels.every((c) => c.ended);
    }

    /** Messages queued and not yet consumed. */
    get queued(): number {
        return this.queue.length - this.head;
    }

    /** Messages held back while aligning for a barrier (received, not yet consumed). */
    get heldBack(): number {
        return this.held.length;
    }

    /** A message arrived on `channel` (index into the channels given to the constructor). */
    deliver(channel: number, message: ChannelMessage): void {
        this.queue.push({ channel, message });
        if (this.queue.length - this.head === 1) this.onAvailable();
    }

    /** Takes the next message and turns it into what the task must do. */
    poll(): InputEvent {
        if (this.ready.length > 0) return this.ready.shift()!;
        if (this.head >= this.queue.length) return { kind: 'none' };
        const { channel, message } = this.queue[this.head];
        this.queue[this.head++] = undefined as never;
        if (this.head > 4096 && this.head * 2 > this.queue.length) {
            this.queue = this.queue.slice(this.head);
            this.head = 0;
        }
        const state = this.channels[channel];
        // Aligning: a channel whose barrier came first sends nothing on until the others' come.
        if (this.aligned && state.barrier > this.combinedBarrier) {
            this.held.push({ channel, message });
            return { kind: 'none' };
        }
        switch (message.kind) {
            case 'data':
                state.returnCredits(creditOf(message));
                if (message.columns !== undefined) return { kind: 'data', input: state.input, columns: message.columns };
                return message.partial ? { kind: 'data', input: state.input, rows: message.rows, partial: true } : { kind: 'data', input: state.input, rows: message.rows };
            case 'watermark':
                state.idle = message.idle === true;
                if (!state.idle && message.timestamp > state.watermark) state.watermark = message.timestamp;
                return this.advance();
            case 'barrier': {
                // A barrier passes once every channel still open delivered it (a minimum, as for
                // watermarks; test runs, job-test-run.ts): the senders send nothing after it until told.
                if (message.checkpointId > state.barrier) state.barrier = message.checkpointId;
                return this.barrierPassed() ?? { kind: 'none' };
            }
            case 'end-of-data': {
                state.ended = true;
                // A channel that ends no longer holds a barrier back.
                const passed = this.barrierPassed();
                if (passed) this.ready.push(passed);
                const inputEnded = this.channels.every((c) => c.input !== state.input || c.ended);
                if (inputEnded) return { kind: 'input-ended', input: state.input, allEnded: this.allEnded };
                const advanced = this.advance();
                if (advanced.kind === 'none' && this.ready.length > 0) return this.ready.shift()!;
                return advanced;
            }
        }
    }

    /** The barrier every open channel has now delivered, if it is new; releases what alignment held. */
    private barrierPassed(): InputEvent | undefined {
        let min = Infinity;
        for (const c of this.channels) if (!c.ended && c.barrier < min) min = c.barrier;
        if (min === Infinity || min <= this.combinedBarrier) return undefined;
        this.combinedBarrier = min;
        let buffered = 0;
        for (const h of this.held) if (h.message.kind === 'data') buffered += recordsOf(h.message);
        this.alignmentBuffered = buffered;
        if (this.held.length > 0) {
            // Back to the front of the queue, in their order (each channel's order is kept).
            const held = this.held;
            this.held = [];
            this.queue.splice(this.head, 0, ...held);
        }
        return { kind: 'barrier', checkpointId: min };
    }

    /** The combined watermark after an end of input (ended channels no longer hold it back). */
    advance(): InputEvent {
        let min = Infinity;
        let active = 0;
        for (const c of this.channels) {
            if (c.ended || c.idle) continue;
            active++;
            if (c.watermark < min) min = c.watermark;
        }
        // Infinity is a watermark too: the end of event time every channel sent (stop --drain).
        if (active === 0 || min <= this.combined) return { kind: 'none' };
        this.combined = min;
        return { kind: 'watermark', timestamp: min };
    }
}

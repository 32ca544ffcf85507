/**
 * The input side of a task: the receiving ends of its channels, one FIFO queue in arrival order
 * (order within each channel is kept), the combined watermark (minimum over active channels,
 * ignoring idle and ended ones) and end-of-data tracking per operator input.
 */
import type { ChannelMessage } from './channel-message.js';

/** The receiving end of one channel. */
export interface InputChannel {
    /** The operator input this channel feeds (0, or 1 for a join's right side). */
    input: number;
    /** Returns credits to the sender once batches are consumed. */
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
    | { kind: 'data'; input: number; rows: import('../operators/operator.js').Row[]; partial?: true }
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
    onAvailable: () => void = () => {};

    constructor(channels: InputChannel[]) {
        this.channels = channels.map((c) => ({ ...c, watermark: -Infinity, barrier: -1, idle: false, ended: false }));
    }

    /** The operator inputs of this task. */
    get inputs(): number[] {
        return [...new Set(this.channels.map((c) => c.input))].sort((a, b) => a - b);
    }

    get isEmpty(): boolean {
        return this.head >= this.queue.length;
    }

    /** True when every channel delivered its end of data (or the task has no inputs). */
    get allEnded(): boolean {
        return this.channels.every((c) => c.ended);
    }

    /** Messages queued and not yet consumed. */
    get queued(): number {
        return this.queue.length - this.head;
    }

    /** A message arrived on `channel` (index into the channels given to the constructor). */
    deliver(channel: number, message: ChannelMessage): void {
        this.queue.push({ channel, message });
        if (this.queue.length - this.head === 1) this.onAvailable();
    }

    /** Takes the next message and turns it into what the task must do. */
    poll(): InputEvent {
        if (this.head >= this.queue.length) return { kind: 'none' };
        const { channel, message } = this.queue[this.head];
        this.queue[this.head++] = undefined as never;
        if (this.head > 4096 && this.head * 2 > this.queue.length) {
            this.queue = this.queue.slice(this.head);
            this.head = 0;
        }
        const state = this.channels[channel];
        switch (message.kind) {
            case 'data':
                state.returnCredits(1);
                return message.partial ? { kind: 'data', input: state.input, rows: message.rows, partial: true } : { kind: 'data', input: state.input, rows: message.rows };
            case 'watermark':
                state.idle = message.idle === true;
                if (!state.idle && message.timestamp > state.watermark) state.watermark = message.timestamp;
                return this.advance();
            case 'barrier': {
                // A barrier passes once every channel still open delivered it (a minimum, as for
                // watermarks; test runs, job-test-run.ts): the senders send nothing after it until told.
                if (message.checkpointId > state.barrier) state.barrier = message.checkpointId;
                let min = Infinity;
                for (const c of this.channels) if (!c.ended && c.barrier < min) min = c.barrier;
                if (min === Infinity || min <= this.combinedBarrier) return { kind: 'none' };
                this.combinedBarrier = min;
                return { kind: 'barrier', checkpointId: min };
            }
            case 'end-of-data': {
                state.ended = true;
                const inputEnded = this.channels.every((c) => c.input !== state.input || c.ended);
                if (inputEnded) return { kind: 'input-ended', input: state.input, allEnded: this.allEnded };
                return this.advance();
            }
        }
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
        if (active === 0 || min === Infinity || min <= this.combined) return { kind: 'none' };
        this.combined = min;
        return { kind: 'watermark', timestamp: min };
    }
}

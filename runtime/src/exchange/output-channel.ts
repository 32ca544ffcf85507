/**
 * The sending end of one channel (one upstream subtask -> one downstream subtask), with
 * credit-based flow control: a data batch needs a credit, the receiver returns the credit once it
 * consumed the batch, and messages wait in a backlog while no credit is left. A non-empty backlog
 * means the sending task is back-pressured and must stop producing.
 */
import { CREDITS_PER_CHANNEL, type ChannelMessage } from './channel-message.js';

/** Delivers a message to the receiving end (in-thread queue or another thread); returns the bytes sent. */
export type ChannelTransport = (message: ChannelMessage) => number;

export class OutputChannel {
    private credits = CREDITS_PER_CHANNEL;
    private readonly backlog: ChannelMessage[] = [];
    bytesSent = 0;

    constructor(readonly id: number, private readonly transport: ChannelTransport, private readonly onDrained: () => void) {}

    /** Sends now if a credit allows (control messages need none but keep their order), else queues. */
    send(message: ChannelMessage): void {
        if (this.backlog.length > 0 || (message.kind === 'data' && this.credits === 0)) {
            this.backlog.push(message);
            return;
        }
        this.deliver(message);
    }

    /** The receiver consumed `n` batches. */
    addCredits(n: number): void {
        this.credits += n;
        if (this.backlog.length === 0) return;
        while (this.backlog.length > 0 && (this.backlog[0].kind !== 'data' || this.credits > 0)) {
            this.deliver(this.backlog.shift()!);
        }
        if (this.backlog.length === 0) this.onDrained();
    }

    /** Messages waiting for credits (the task's outputQueueLength sums them). */
    get backlogLength(): number {
        return this.backlog.length;
    }

    /** True while messages wait for credits. */
    get blocked(): boolean {
        return this.backlog.length > 0;
    }

    private deliver(message: ChannelMessage): void {
        if (message.kind === 'data') this.credits--;
        this.bytesSent += this.transport(message);
    }
}

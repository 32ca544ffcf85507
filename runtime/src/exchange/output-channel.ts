/**
 * The sending end of one channel (one upstream subtask -> one downstream subtask), with
 * credit-based flow control: a credit stands for a buffer of up to BUFFER_RECORDS records, so a
 * data batch takes one credit per BUFFER_RECORDS records or part of them (creditOf); the receiver
 * returns them once it took the batch, and messages wait in a backlog while the credits left do
 * not cover them. A batch needing more credits than are left is cut: the records the credits
 * cover (a whole number of buffers) go now, the rest waits at the head of the backlog, with the
 * control messages sent after it behind it. So a channel never has more than
 * CREDIT_RECORDS_PER_CHANNEL records (nor CREDITS_PER_CHANNEL messages) in flight, whatever the
 * batch size. A non-empty backlog means the sending task is back-pressured and must stop producing.
 */
import { BUFFER_RECORDS, creditOf, CREDITS_PER_CHANNEL, splitData, type ChannelMessage } from './channel-message.js';

/** Delivers a message to the receiving end (in-thread queue or another thread); returns the bytes sent. */
export type ChannelTransport = (message: ChannelMessage) => number;

export class OutputChannel {
    private credits: number;
    private readonly backlog: ChannelMessage[] = [];
    bytesSent = 0;

    /** `window`: the channel's credits (buffers of BUFFER_RECORDS records). */
    constructor(readonly id: number, private readonly transport: ChannelTransport, private readonly onDrained: () => void, window = CREDITS_PER_CHANNEL) {
        this.credits = window;
    }

    /** Sends now what the credits allow (control messages need none but keep their order), queues the rest. */
    send(message: ChannelMessage): void {
        if (this.backlog.length > 0) {
            this.backlog.push(message);
            return;
        }
        if (message.kind !== 'data') {
            this.deliver(message, 0);
            return;
        }
        const needed = creditOf(message);
        if (needed <= this.credits) {
            this.deliver(message, needed);
            return;
        }
        this.backlog.push(message);
        this.sendBacklog();
    }

    /** The receiver took batches that held `n` credits. */
    addCredits(n: number): void {
        this.credits += n;
        if (this.backlog.length === 0) return;
        this.sendBacklog();
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

    private sendBacklog(): void {
        const backlog = this.backlog;
        while (backlog.length > 0) {
            const head = backlog[0];
            if (head.kind !== 'data') {
                backlog.shift();
                this.deliver(head, 0);
                continue;
            }
            const needed = creditOf(head);
            if (needed <= this.credits) {
                backlog.shift();
                this.deliver(head, needed);
                continue;
            }
            // Larger than the credits left: the buffers they cover go now, the rest when more return.
            if (this.credits > 0) {
                const [now, later] = splitData(head, this.credits * BUFFER_RECORDS);
                backlog[0] = later;
                this.deliver(now, this.credits);
            }
            return;
        }
    }

    private deliver(message: ChannelMessage, credits: number): void {
        this.credits -= credits;
        this.bytesSent += this.transport(message);
    }
}

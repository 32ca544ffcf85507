/**
 * The channels of one TaskManager: which channel id ends in which task's input gate, which
 * output channel gets the credits a receiver returns, and the MessagePorts to the other
 * TaskManagers. Channels inside the thread are plain queues; channels to another thread send
 * columnar batches (see batch-codec.ts) and credits over the peer's port.
 */
import { decodeBatch, decodeColumns, encodeBatch, encodeColumns } from '../../exchange/batch-codec.js';
import type { ChannelMessage } from '../../exchange/channel-message.js';
import type { InputGate } from '../../exchange/input-gate.js';
import type { ChannelTransport, OutputChannel } from '../../exchange/output-channel.js';
import type { MessagePort } from 'node:worker_threads';
import type { PeerMessage } from '../taskmanager-protocol.js';

interface Receiver { gate: InputGate; index: number; onBytes: (bytes: number) => void }

export class ChannelRegistry {
    private readonly peers = new Map<number, MessagePort>();
    private readonly receivers = new Map<number, Receiver>();
    private readonly senders = new Map<number, OutputChannel>();
    private readonly early = new Map<number, ChannelMessage[]>();
    private readonly earlyCredits = new Map<number, number>();

    constructor(private readonly self: number) {}

    /** Starts listening to another TaskManager. */
    connect(index: number, port: MessagePort): void {
        this.peers.set(index, port);
        port.on('message', (message: PeerMessage) => this.onPeerMessage(message));
    }

    /**
     * How a sender reaches channel `channelId` on TaskManager `toTm`. Across threads, only the
     * fields `shipped` names are sent when given (the receiver reads no other: shipped-fields.ts).
     */
    transport(channelId: number, toTm: number, fields: string[] | null, shipped: string[] | null = null): ChannelTransport {
        if (toTm === this.self) {
            return (message) => {
                this.deliver(channelId, message, 0);
                return 0;
            };
        }
        const port = this.peerPort(toTm);
        return (message) => {
            if (message.kind === 'data') {
                if (message.partial) {
                    // Accumulators (few: one per group) travel as they are, by structured clone.
                    const { batch, bytes } = encodeBatch(message.rows, null);
                    port.postMessage({ type: 'data', channel: channelId, batch, bytes, partial: true } satisfies PeerMessage);
                    return bytes;
                }
                const { batch, transfer, bytes } = message.columns !== undefined ? encodeColumns(message.columns, shipped) : encodeBatch(message.rows, shipped ?? fields);
                port.postMessage({ type: 'data', channel: channelId, batch, bytes } satisfies PeerMessage, transfer);
                return bytes;
            }
            port.postMessage({ ...message, type: message.kind, channel: channelId } as PeerMessage);
            return 0;
        };
    }

    /** How a receiver returns credits for channel `channelId` to the TaskManager `fromTm`. */
    creditReturn(channelId: number, fromTm: number): (n: number) => void {
        if (fromTm === this.self) return (n) => this.addCredits(channelId, n);
        const port = this.peerPort(fromTm);
        return (n) => port.postMessage({ type: 'credit', channel: channelId, n } satisfies PeerMessage);
    }

    registerReceiver(channelId: number, gate: InputGate, index: number, onBytes: (bytes: number) => void): void {
        this.receivers.set(channelId, { gate, index, onBytes });
        const waiting = this.early.get(channelId);
        if (waiting) {
            this.early.delete(channelId);
            for (const message of waiting) gate.deliver(index, message);
        }
    }

    registerSender(channelId: number, channel: OutputChannel): void {
        this.senders.set(channelId, channel);
        const credits = this.earlyCredits.get(channelId);
        if (credits) {
            this.earlyCredits.delete(channelId);
            channel.addCredits(credits);
        }
    }

    /** Closes the ports to the other TaskManagers (shutdown). */
    close(): void {
        for (const port of this.peers.values()) port.close();
        this.peers.clear();
    }

    /** Forgets a finished task's channels. */
    unregister(channelIds: number[]): void {
        for (const id of channelIds) {
            this.receivers.delete(id);
            this.senders.delete(id);
            this.early.delete(id);
            this.earlyCredits.delete(id);
        }
    }

    private onPeerMessage(message: PeerMessage): void {
        switch (message.type) {
            case 'credit':
                this.addCredits(message.channel, message.n);
                return;
            case 'data': {
                if (message.partial) {
                    this.deliver(message.channel, { kind: 'data', rows: decodeBatch(message.batch), partial: true }, message.bytes);
                    return;
                }
                // Decoded lazily: the receiving task reads the columns, or builds rows if its head needs them.
                const columns = decodeColumns(message.batch);
                this.deliver(message.channel, columns !== undefined ? { kind: 'data', columns } : { kind: 'data', rows: decodeBatch(message.batch) }, message.bytes);
                return;
            }
            case 'watermark':
                this.deliver(message.channel, { kind: 'watermark', timestamp: message.timestamp, idle: message.idle }, 0);
                return;
            case 'barrier':
                this.deliver(message.channel, { kind: 'barrier', checkpointId: message.checkpointId }, 0);
                return;
            case 'end-of-data':
                this.deliver(message.channel, { kind: 'end-of-data' }, 0);
                return;
        }
    }

    private deliver(channelId: number, message: ChannelMessage, bytes: number): void {
        const receiver = this.receivers.get(channelId);
        if (!receiver) {
            // The receiving task is not deployed yet: keep the message (bounded by the sender's credits).
            const list = this.early.get(channelId) ?? [];
            list.push(message);
            this.early.set(channelId, list);
            return;
        }
        if (bytes > 0) receiver.onBytes(bytes);
        receiver.gate.deliver(receiver.index, message);
    }

    private addCredits(channelId: number, n: number): void {
        const sender = this.senders.get(channelId);
        if (sender) sender.addCredits(n);
        else this.earlyCredits.set(channelId, (this.earlyCredits.get(channelId) ?? 0) + n);
    }

    private peerPort(index: number): MessagePort {
        const port = this.peers.get(index);
        if (!port) throw new Error(`TaskManager ${this.self} has no connection to TaskManager ${index}.`);
        return port;
    }
}

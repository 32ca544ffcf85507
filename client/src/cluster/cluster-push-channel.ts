/**
 * The cluster's push channel: a WebSocket that delivers job, subtask, metrics and sink-record
 * messages as they happen, so the views never poll.
 */
import * as vscode from 'vscode';
import WebSocket from 'ws';
import { PUSH_PATH, type PushMessage } from '../../../protocol/cluster-api.js';

/** One connection to the push channel. */
export class ClusterPushChannel implements vscode.Disposable {
    private readonly messageEmitter = new vscode.EventEmitter<PushMessage>();
    private readonly closeEmitter = new vscode.EventEmitter<void>();
    /** Every message, in the order the cluster sent them. */
    readonly onMessage = this.messageEmitter.event;
    /** The connection closed (the cluster stopped or crashed). */
    readonly onClose = this.closeEmitter.event;
    private socket: WebSocket | undefined;

    constructor(private readonly baseUrl: string, private readonly token: string, private readonly log: vscode.OutputChannel) {}

    /** Opens the connection; resolves once it is open. */
    connect(): Promise<void> {
        const url = new URL(PUSH_PATH, this.baseUrl);
        url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
        url.searchParams.set('token', this.token);
        const socket = new WebSocket(url);
        this.socket = socket;
        socket.on('message', (data) => this.dispatch(data.toString()));
        socket.on('close', () => this.closeEmitter.fire());
        return new Promise((resolve, reject) => {
            socket.once('open', () => resolve());
            socket.once('error', (err) => reject(new Error(`Could not open the cluster's push channel at ${PUSH_PATH}: ${err.message}`)));
        });
    }

    dispose(): void {
        this.socket?.close();
        this.messageEmitter.dispose();
        this.closeEmitter.dispose();
    }

    private dispatch(text: string): void {
        let message: PushMessage;
        try {
            message = JSON.parse(text) as PushMessage;
        } catch {
            this.log.appendLine(`[push] ignored a message that is not JSON: ${text.slice(0, 200)}`);
            return;
        }
        this.messageEmitter.fire(message);
    }
}

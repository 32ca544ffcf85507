/**
 * One tap on a running job, as the Peek Records view uses it: opened through REST, fed by the
 * push channel's `tap-records` messages, re-opened with a new filter, closed through REST when
 * the view closes. A tap ends by itself when its job ends (`tap-closed`) or the cluster goes away.
 */
import * as vscode from 'vscode';
import type { PushMessage, TapInfo, TapRecordsMessage, TapRequest } from '../../../protocol/cluster-api.js';
import type { Expr } from '../../../protocol/logical-graph.js';
import type { ClusterConnection } from './local-cluster-manager.js';

/** What to tap: a stream (or source) by name, or a LogicalGraph node by id. */
export type TapTarget = { stream: string } | { nodeId: string };

/** A tap session; `info` changes when the filter does (a new tap replaces the old one). */
export class StreamTap implements vscode.Disposable {
    private readonly recordsEmitter = new vscode.EventEmitter<TapRecordsMessage>();
    private readonly endEmitter = new vscode.EventEmitter<string>();
    /** Sampled records (and the tap's running counts). */
    readonly onRecords = this.recordsEmitter.event;
    /** The tap ended by itself; the argument says why. */
    readonly onEnd = this.endEmitter.event;
    private readonly subscriptions: vscode.Disposable[];
    private ended = false;

    private constructor(private readonly connection: ClusterConnection, readonly jid: string, private current: TapInfo,
        private readonly recordsPerSecond: number) {
        this.subscriptions = [
            connection.push.onMessage((message) => this.onPush(message)),
            connection.push.onClose(() => this.end('the local cluster stopped'))
        ];
    }

    /** Opens a tap (REST errors, such as an unknown stream or a job no longer running, are thrown). */
    static async open(connection: ClusterConnection, jid: string, target: TapTarget, recordsPerSecond: number): Promise<StreamTap> {
        const info = await connection.rest.openTap(jid, { ...target, recordsPerSecond });
        return new StreamTap(connection, jid, info, recordsPerSecond);
    }

    get info(): TapInfo { return this.current; }

    /** Replaces the tap by one on the same node with another filter (undefined: none). */
    async setFilter(filter: Expr | undefined): Promise<TapInfo> {
        const request: TapRequest = { nodeId: this.current.nodeId, recordsPerSecond: this.recordsPerSecond, filter };
        const next = await this.connection.rest.openTap(this.jid, request);
        const previous = this.current;
        this.current = next;
        await this.connection.rest.closeTap(this.jid, previous.id).catch(() => undefined);
        return next;
    }

    /** Closes the tap on the cluster (if it is still open) and stops listening. */
    async close(): Promise<void> {
        this.dispose();
        if (this.ended) return;
        this.ended = true;
        await this.connection.rest.closeTap(this.jid, this.current.id).catch(() => undefined);
    }

    dispose(): void {
        for (const s of this.subscriptions) s.dispose();
        this.recordsEmitter.dispose();
        this.endEmitter.dispose();
    }

    private onPush(message: PushMessage): void {
        if (message.type === 'tap-records' && message.tapId === this.current.id) this.recordsEmitter.fire(message);
        else if (message.type === 'tap-closed' && message.tapId === this.current.id && message.reason === 'job-ended') this.end('the job ended');
    }

    private end(reason: string): void {
        if (this.ended) return;
        this.ended = true;
        this.endEmitter.fire(reason);
    }
}

/**
 * Owns the one local cluster of the window: starts it on first use (reused across runs),
 * connects its REST client and push channel, and tells the user why it went away if it crashes.
 * The next run after a crash starts a new process.
 */
import * as vscode from 'vscode';
import { Config } from '../config.js';
import { ClusterPushChannel } from './cluster-push-channel.js';
import { ClusterRestClient } from './cluster-rest-client.js';
import { LocalClusterProcess } from './local-cluster-process.js';

/** A started cluster: its process, REST client and push channel. */
export interface ClusterConnection {
    process: LocalClusterProcess;
    rest: ClusterRestClient;
    push: ClusterPushChannel;
}

/** Starts, reuses and stops the local cluster. */
export class LocalClusterManager implements vscode.Disposable {
    private current: ClusterConnection | undefined;
    private starting: Promise<ClusterConnection> | undefined;
    private readonly changeEmitter = new vscode.EventEmitter<ClusterConnection | undefined>();
    /** Fires with the new connection when the cluster starts, and with undefined when it stops. */
    readonly onDidChange = this.changeEmitter.event;

    constructor(
        private readonly extensionUri: vscode.Uri,
        private readonly config: Config,
        private readonly log: vscode.OutputChannel
    ) {}

    get connection(): ClusterConnection | undefined { return this.current; }

    /** The running cluster, started now if there is none. */
    ensureStarted(): Promise<ClusterConnection> {
        if (this.current?.process.running) return Promise.resolve(this.current);
        this.starting ??= this.start().finally(() => { this.starting = undefined; });
        return this.starting;
    }

    /** Stops the cluster if it runs. */
    async stop(): Promise<void> {
        const connection = this.current;
        if (!connection) return;
        this.current = undefined;
        connection.push.dispose();
        await connection.process.stop();
        this.changeEmitter.fire(undefined);
        void vscode.commands.executeCommand('setContext', 'flowline.clusterRunning', false);
    }

    dispose(): void {
        void this.stop();
        this.changeEmitter.dispose();
    }

    private async start(): Promise<ClusterConnection> {
        const modulePath = vscode.Uri.joinPath(this.extensionUri, 'dist', 'cluster.mjs').fsPath;
        const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? this.extensionUri.fsPath;
        const process = await LocalClusterProcess.start({
            modulePath,
            cwd,
            taskManagers: this.config.taskManagers,
            slotsPerTaskManager: this.config.slotsPerTaskManager,
            restPort: this.config.restPort
        }, this.log);
        const rest = new ClusterRestClient(process.hello.url, process.hello.token);
        const push = new ClusterPushChannel(process.hello.url, process.hello.token, this.log);
        try {
            await push.connect();
        } catch (err) {
            await process.stop();
            throw err;
        }
        const connection: ClusterConnection = { process, rest, push };
        process.onExit((exit) => {
            if (this.current !== connection) return;
            this.current = undefined;
            push.dispose();
            this.changeEmitter.fire(undefined);
            void vscode.commands.executeCommand('setContext', 'flowline.clusterRunning', false);
            if (!exit.requested) {
                const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${String(exit.code)}`;
                const last = exit.stderrTail.slice(-3).join(' | ');
                void vscode.window.showErrorMessage(
                    `The Flowline local cluster ${how}${last ? `: ${last}` : ''}. The next run starts a new one.`, 'Show Log'
                ).then((choice) => { if (choice) this.log.show(true); });
            }
        });
        this.current = connection;
        this.changeEmitter.fire(connection);
        void vscode.commands.executeCommand('setContext', 'flowline.clusterRunning', true);
        return connection;
    }
}

/**
 * The one object that owns everything the extension starts: the language client, the local
 * cluster, the job store, views, output channels and their disposables. Commands receive it.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { JobStore } from './cluster/job-store.js';
import { LocalClusterManager } from './cluster/local-cluster-manager.js';
import { Config } from './config.js';
import { FlinkMonitor } from './flink/flink-monitor.js';
import { FlinkSqlDocuments } from './flink/flink-sql-documents.js';
import { createFlowLanguageClient } from './language/flow-language-client.js';

/** Shared state of the activated extension. */
export class FlowlineContext implements vscode.Disposable {
    readonly config = new Config();
    /** The extension's own log (cluster process, push channel, activation). */
    readonly log: vscode.OutputChannel;
    /** Records of print sinks. */
    readonly output: vscode.OutputChannel;
    readonly client: LanguageClient;
    readonly cluster: LocalClusterManager;
    readonly jobs: JobStore;
    /** Runtime failures shown on the source line the runtime named. */
    readonly runtimeDiagnostics: vscode.DiagnosticCollection;
    /** The Flink cluster the editor deploys to, as the views show it. */
    readonly flink: FlinkMonitor;
    /** The generated Flink SQL documents and their "Flink" diagnostics. */
    readonly flinkSql: FlinkSqlDocuments;
    private readonly disposables: vscode.Disposable[] = [];

    constructor(readonly extension: vscode.ExtensionContext) {
        this.log = this.track(vscode.window.createOutputChannel('Flowline'));
        this.output = this.track(vscode.window.createOutputChannel('Flowline Output'));
        const serverLog = this.track(vscode.window.createOutputChannel('Flowline Language Server', { log: true }));
        this.client = createFlowLanguageClient(extension.extensionUri, serverLog);
        this.cluster = this.track(new LocalClusterManager(extension.extensionUri, this.config, this.log));
        this.jobs = this.track(new JobStore(this.log));
        this.runtimeDiagnostics = this.track(vscode.languages.createDiagnosticCollection('flowline-runtime'));
        this.flink = this.track(new FlinkMonitor(this.config, this.log));
        this.flinkSql = this.track(new FlinkSqlDocuments(this.client));
        this.track(this.cluster.onDidChange((connection) => {
            this.jobs.attach(connection?.rest);
            connection?.push.onMessage((message) => this.jobs.handle(message));
        }));
    }

    get extensionUri(): vscode.Uri { return this.extension.extensionUri; }

    /** Keeps a disposable until the extension deactivates. */
    track<T extends vscode.Disposable>(disposable: T): T {
        this.disposables.push(disposable);
        return disposable;
    }

    async dispose(): Promise<void> {
        await this.cluster.stop();
        if (this.client.isRunning()) await this.client.stop();
        for (const d of this.disposables.reverse()) d.dispose();
    }
}

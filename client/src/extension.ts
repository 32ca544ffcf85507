/**
 * Flowline for VS Code: the entry point. Builds the context (language client, local cluster,
 * jobs), registers commands, the debug type, views, the CodeLens, the status bar item and the
 * webview serializer, then starts the language server.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands/command-table.js';
import { Config } from './config.js';
import { registerDebugging } from './debugging/register-debugging.js';
import { JobFailureReporter } from './diagnostics/job-failure-reporter.js';
import { SkippedRowsReporter } from './diagnostics/skipped-rows-reporter.js';
import { PeekCodeLensProvider } from './editor/peek-code-lens.js';
import { PipelineCodeLensProvider } from './editor/pipeline-code-lens.js';
import type { FlinkMonitor } from './flink/flink-monitor.js';
import { FlowlineContext } from './flowline-context.js';
import { FLOW_LANGUAGE_ID } from './language/flow-language-client.js';
import { PrintSinkOutput } from './results/print-sink-output.js';
import { registerTesting, type FlowlineTesting } from './testing/register-testing.js';
import { JobStatusBar } from './status/job-status-bar.js';
import { ClusterTreeProvider } from './views/cluster-tree.js';
import { JobsTreeProvider } from './views/jobs-tree.js';
import { JOB_GRAPH_VIEW_TYPE, JobGraphPanel } from './webviews/job-graph/job-graph-panel.js';
import { PeekRecordsPanel } from './webviews/peek-records/peek-records-panel.js';

let context: FlowlineContext | undefined;

/** The API the extension returns, for the in-host tests. */
export interface FlowlineApi {
    context: FlowlineContext;
    /** Milliseconds activate() took (the language server starts in the background). */
    activationMs: number;
    /** Resolves with the milliseconds from activation until the language server was ready. */
    serverReady: Promise<number>;
    /** The open job graph panel, if any (its `lastRendered` tells what it drew). */
    jobGraph: () => JobGraphPanel | undefined;
    /** The Jobs view's data (its items are what the user reads). */
    jobsTree: JobsTreeProvider;
    /** The open Peek Records views. */
    peekPanels: () => PeekRecordsPanel[];
    /** The Flink cluster as the views show it. */
    flink: FlinkMonitor;
    /** The pipeline tests of the Testing view. */
    testing: FlowlineTesting;
}

/** Called by VS Code on the first .flow file or Flowline command. */
export function activate(extension: vscode.ExtensionContext): FlowlineApi {
    const started = performance.now();
    const ctx = new FlowlineContext(extension);
    context = ctx;
    registerCommands(ctx);
    registerDebugging(ctx);
    const codeLenses = ctx.track(new PipelineCodeLensProvider());
    ctx.track(vscode.languages.registerCodeLensProvider({ language: FLOW_LANGUAGE_ID }, codeLenses));
    ctx.track(vscode.languages.registerCodeLensProvider({ language: FLOW_LANGUAGE_ID }, ctx.track(new PeekCodeLensProvider(ctx.jobs))));
    const clusterView = ctx.track(vscode.window.createTreeView('flowline.cluster', { treeDataProvider: ctx.track(new ClusterTreeProvider(ctx.cluster, ctx.jobs, ctx.log, ctx.flink)) }));
    const jobsTree = ctx.track(new JobsTreeProvider(ctx.jobs, ctx.flink));
    const jobsView = ctx.track(vscode.window.createTreeView('flowline.jobs', { treeDataProvider: jobsTree }));
    // The Flink cluster is polled only while a view that shows it is visible.
    for (const [id, view] of [['flowline.cluster', clusterView], ['flowline.jobs', jobsView]] as const) {
        ctx.flink.setViewVisible(id, view.visible);
        ctx.track(view.onDidChangeVisibility((e) => ctx.flink.setViewVisible(id, e.visible)));
    }
    ctx.track(new JobStatusBar(ctx.jobs));
    ctx.track(new PrintSinkOutput(ctx.output, ctx.jobs));
    ctx.track(new JobFailureReporter(ctx.jobs, ctx.cluster, ctx.runtimeDiagnostics));
    ctx.track(new SkippedRowsReporter(ctx.jobs));
    ctx.track(vscode.window.registerWebviewPanelSerializer(JOB_GRAPH_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: { documentUri: string; pipeline?: string } | undefined) => {
            JobGraphPanel.revive(panel, ctx.extensionUri, ctx.client, ctx.jobs, ctx.config, state);
        }
    }));
    ctx.track(vscode.workspace.onDidChangeConfiguration((event) => {
        void offerClusterRestart(ctx, event);
        if (Config.affectsFlink(event)) void ctx.flink.refresh();
    }));
    void vscode.commands.executeCommand('setContext', 'flowline.clusterRunning', false);
    // The language server starts in the background: activation does not wait for it.
    const serverReady = ctx.client.start().then(() => {
        const readyMs = Math.round(performance.now() - started);
        ctx.log.appendLine(`Flowline language server ready ${readyMs} ms after activation started.`);
        // The lenses of the file that activated the extension were asked for before now.
        codeLenses.refresh();
        return readyMs;
    });
    const testing = registerTesting(ctx, serverReady);
    const activationMs = Math.round(performance.now() - started);
    ctx.log.appendLine(`Flowline activated in ${activationMs} ms.`);
    return { context: ctx, activationMs, serverReady, jobGraph: () => JobGraphPanel.instance, jobsTree, peekPanels: () => PeekRecordsPanel.panels, flink: ctx.flink, testing };
}

/** Cluster settings apply when the cluster starts: offer to restart a running one. */
async function offerClusterRestart(ctx: FlowlineContext, event: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!Config.affectsCluster(event) || !ctx.cluster.connection) return;
    const choice = await vscode.window.showInformationMessage(
        'The Flowline cluster settings changed; they apply when the local cluster restarts (running jobs are canceled).', 'Restart Cluster');
    if (choice) {
        await ctx.cluster.stop();
        await vscode.commands.executeCommand('flowline.startCluster');
    }
}

/** Stops the cluster process and the language server. */
export async function deactivate(): Promise<void> {
    await context?.dispose();
    context = undefined;
}

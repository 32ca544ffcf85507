/**
 * The job graph panel (extension side): asks the language server for the LogicalGraphs of the
 * active .flow document (debounced while typing), forwards them and the live state of the
 * pipeline's job to the webview, and acts on the webview's clicks (select the node's source
 * range), edge clicks while the job runs (Peek Records) and exports (save the SVG). Drawing
 * and layout happen in the webview.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { LogicalGraph } from '../../../../protocol/logical-graph.js';
import type { FromGraphView, ToGraphView } from '../../../../protocol/webview-messages.js';
import type { JobStore, TrackedJob } from '../../cluster/job-store.js';
import { runningJobOf } from '../../cluster/running-job.js';
import type { Config } from '../../config.js';
import { FLOW_LANGUAGE_ID, requestLogicalGraphs } from '../../language/flow-language-client.js';
import { RefreshThrottle } from '../../views/refresh-throttle.js';
import type { PeekTarget } from '../peek-records/peek-records-panel.js';
import { webviewHtml } from '../webview-html.js';

/** The webview panel's view type (also used to revive it after a reload). */
export const JOB_GRAPH_VIEW_TYPE = 'flowline.jobGraph';

interface GraphPanelState { documentUri: string; pipeline?: string }

/** The one job graph panel of the window. */
export class JobGraphPanel implements vscode.Disposable {
    private static current: JobGraphPanel | undefined;
    private readonly disposables: vscode.Disposable[] = [];
    private readonly lastGoodGraphs = new Map<string, LogicalGraph[]>();
    private debounce: ReturnType<typeof setTimeout> | undefined;
    private ready = false;
    private queued: ToGraphView[] = [];
    private readonly changedJobs = new Set<TrackedJob>();
    private readonly jobThrottle = new RefreshThrottle(500, () => {
        for (const job of this.changedJobs) this.postJob(job);
        this.changedJobs.clear();
    });
    /** Set when the webview has drawn something; the in-host tests read it. */
    lastRendered: Extract<FromGraphView, { type: 'rendered' }> | undefined;

    private constructor(
        private readonly panel: vscode.WebviewPanel,
        extensionUri: vscode.Uri,
        private readonly client: LanguageClient,
        private readonly store: JobStore,
        private readonly config: Config,
        private state: GraphPanelState
    ) {
        panel.webview.options = {
            enableScripts: true,
            localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webviews')]
        };
        panel.webview.html = webviewHtml(panel.webview, extensionUri, 'job-graph', 'Job Graph');
        panel.iconPath = vscode.Uri.joinPath(extensionUri, 'client', 'icons', 'flow-file.svg');
        this.disposables.push(
            panel.onDidDispose(() => this.dispose()),
            panel.webview.onDidReceiveMessage((m: FromGraphView) => void this.onMessage(m)),
            vscode.workspace.onDidChangeTextDocument((e) => {
                if (e.document.uri.toString() === this.state.documentUri) this.scheduleUpdate();
            }),
            vscode.window.onDidChangeActiveTextEditor((editor) => {
                if (editor?.document.languageId === FLOW_LANGUAGE_ID && editor.document.uri.toString() !== this.state.documentUri) {
                    this.state = { documentUri: editor.document.uri.toString() };
                    this.scheduleUpdate(0);
                }
            }),
            store.onDidChange((job) => { if (job) { this.changedJobs.add(job); this.jobThrottle.request(); } })
        );
    }

    /** Shows the panel beside the editor for a document (and pipeline), creating it if needed. */
    static createOrShow(extensionUri: vscode.Uri, client: LanguageClient, store: JobStore, config: Config,
        documentUri: vscode.Uri, pipeline?: string): JobGraphPanel {
        const state: GraphPanelState = { documentUri: documentUri.toString(), pipeline };
        const existing = JobGraphPanel.current;
        if (existing) {
            existing.state = state;
            existing.panel.reveal(vscode.ViewColumn.Beside, true);
            existing.scheduleUpdate(0);
            return existing;
        }
        const panel = vscode.window.createWebviewPanel(JOB_GRAPH_VIEW_TYPE, 'Job Graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
            enableScripts: true, retainContextWhenHidden: true,
            localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webviews')]
        });
        JobGraphPanel.current = new JobGraphPanel(panel, extensionUri, client, store, config, state);
        JobGraphPanel.current.scheduleUpdate(0);
        return JobGraphPanel.current;
    }

    /** Restores a panel VS Code kept across a reload. */
    static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, client: LanguageClient, store: JobStore, config: Config,
        state: GraphPanelState | undefined): void {
        const documentUri = state?.documentUri ?? vscode.window.activeTextEditor?.document.uri.toString();
        if (!documentUri) { panel.dispose(); return; }
        JobGraphPanel.current = new JobGraphPanel(panel, extensionUri, client, store, config, { documentUri, pipeline: state?.pipeline });
        JobGraphPanel.current.scheduleUpdate(0);
    }

    /** The open panel, if any. */
    static get instance(): JobGraphPanel | undefined { return JobGraphPanel.current; }

    dispose(): void {
        if (JobGraphPanel.current === this) JobGraphPanel.current = undefined;
        if (this.debounce) clearTimeout(this.debounce);
        this.jobThrottle.dispose();
        for (const d of this.disposables) d.dispose();
        this.panel.dispose();
    }

    private scheduleUpdate(delay = this.config.graphUpdateDelay): void {
        if (this.debounce) clearTimeout(this.debounce);
        this.debounce = setTimeout(() => { this.debounce = undefined; void this.update(); }, delay);
    }

    private async update(): Promise<void> {
        const { documentUri, pipeline } = this.state;
        this.panel.title = `Job Graph: ${decodeURIComponent(documentUri.split('/').pop() ?? '')}`;
        let result;
        try {
            result = await requestLogicalGraphs(this.client, { uri: documentUri });
        } catch (err) {
            this.post({ type: 'graph', documentUri, graphs: this.lastGoodGraphs.get(documentUri) ?? [], pipeline, stale: true,
                diagnostics: [{ severity: 'error', message: `The language server could not build the graph: ${err instanceof Error ? err.message : String(err)}`,
                    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] });
            return;
        }
        const hasErrors = result.diagnostics.some((d) => d.severity === 'error');
        if (!hasErrors && result.graphs.length > 0) this.lastGoodGraphs.set(documentUri, result.graphs);
        const graphs = hasErrors ? this.lastGoodGraphs.get(documentUri) ?? [] : result.graphs;
        this.post({ type: 'graph', documentUri, graphs, diagnostics: result.diagnostics, pipeline, stale: hasErrors });
        for (const job of this.store.all()) if (job.documentUri === documentUri) this.postJob(job);
    }

    private postJob(job: TrackedJob): void {
        if (!job.graph || job.documentUri !== this.state.documentUri || !job.details) return;
        // Only the newest job of a pipeline is overlaid.
        const newest = this.store.all().find((j) => j.graph?.pipeline === job.graph?.pipeline && j.documentUri === job.documentUri);
        if (newest !== job) return;
        this.post({ type: 'job', pipeline: job.graph.pipeline, overlay: { details: job.details, vertices: [...job.vertices.values()], ...(job.checkpoints ? { checkpoints: job.checkpoints } : {}) } });
    }

    private post(message: ToGraphView): void {
        if (!this.ready) { this.queued.push(message); return; }
        void this.panel.webview.postMessage(message);
    }

    private async onMessage(message: FromGraphView): Promise<void> {
        switch (message.type) {
            case 'ready':
                this.ready = true;
                for (const m of this.queued.splice(0)) void this.panel.webview.postMessage(m);
                break;
            case 'reveal-node':
                await this.revealNode(message.pipeline, message.nodeId);
                break;
            case 'peek-edge':
                await this.peekEdge(message.pipeline, message.nodeId);
                break;
            case 'export-svg':
                await this.exportSvg(message.pipeline, message.svg);
                break;
            case 'rendered':
                this.lastRendered = message;
                break;
        }
    }

    private async revealNode(pipeline: string, nodeId: string): Promise<void> {
        const graph = this.lastGoodGraphs.get(this.state.documentUri)?.find((g) => g.pipeline === pipeline);
        const node = graph?.nodes.find((n) => n.id === nodeId);
        if (!node) return;
        const { start, end } = node.location.range;
        const range = new vscode.Range(start.line, start.character, end.line, end.character);
        const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(node.location.uri));
        const column = vscode.window.visibleTextEditors.find((e) => e.document === document)?.viewColumn ?? vscode.ViewColumn.One;
        const editor = await vscode.window.showTextDocument(document, { viewColumn: column, selection: range });
        editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }

    /** Peek Records on the edge leaving `nodeId`, in the pipeline's running job. */
    private async peekEdge(pipeline: string, nodeId: string): Promise<void> {
        const job = runningJobOf(this.store, this.state.documentUri, pipeline);
        if (!job) {
            void vscode.window.showInformationMessage(`Peek Records shows the records of a running job, and no job of ${pipeline} runs now.`);
            return;
        }
        const node = job.graph?.nodes.find((n) => n.id === nodeId);
        // Operator ids are `<pipeline>/<stream>/<index>-<kind>`: name the stream too.
        const [, group] = nodeId.split('/');
        const label = !node ? nodeId : group === 'source' || group === 'sink' ? node.name : `${node.name} in stream ${group}`;
        const target: PeekTarget = { jid: job.jid, pipeline, documentUri: this.state.documentUri, target: { nodeId }, label };
        await vscode.commands.executeCommand('flowline.peekRecords', target);
    }

    private async exportSvg(pipeline: string, svg: string): Promise<void> {
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        const target = await vscode.window.showSaveDialog({
            defaultUri: folder ? vscode.Uri.joinPath(folder, `${pipeline}.svg`) : undefined,
            filters: { 'SVG image': ['svg'] },
            title: `Export the graph of ${pipeline}`
        });
        if (!target) return;
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(svg));
        void vscode.window.showInformationMessage(`Saved the graph of ${pipeline} to ${vscode.workspace.asRelativePath(target)}.`);
    }
}

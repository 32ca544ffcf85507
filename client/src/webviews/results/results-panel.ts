/**
 * The results view (extension side): the rows that a job's collect sinks returned, as a paged
 * table with the sink's schema as header. Pages are cut here so a large result never floods the
 * webview; export writes every row as CSV (csv-stringify) or JSON.
 */
import { stringify } from 'csv-stringify/sync';
import * as vscode from 'vscode';
import type { FromResultsView, ToResultsView } from '../../../../protocol/webview-messages.js';
import type { CollectedResult, JobStore, TrackedJob } from '../../cluster/job-store.js';
import type { Config } from '../../config.js';
import { RefreshThrottle } from '../../views/refresh-throttle.js';
import { webviewHtml } from '../webview-html.js';

export const RESULTS_VIEW_TYPE = 'flowline.results';

/** The one results panel of the window; it follows one job at a time. */
export class ResultsPanel implements vscode.Disposable {
    private static current: ResultsPanel | undefined;
    private readonly disposables: vscode.Disposable[] = [];
    private ready = false;
    private pages = new Map<string, number>();
    private readonly throttle = new RefreshThrottle(300, () => this.refresh());

    private constructor(private readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri,
        private readonly store: JobStore, private readonly config: Config, private jid: string) {
        panel.webview.html = webviewHtml(panel.webview, extensionUri, 'results', 'Results');
        panel.iconPath = vscode.Uri.joinPath(extensionUri, 'client', 'icons', 'flow-file.svg');
        this.disposables.push(
            panel.onDidDispose(() => this.dispose()),
            panel.webview.onDidReceiveMessage((m: FromResultsView) => void this.onMessage(m)),
            store.onDidChangeState((job) => { if (!job || job.jid === this.jid) this.throttle.request(); }),
            store.onRecords((m) => { if (m.jid === this.jid && m.connector === 'collect') this.throttle.request(); })
        );
    }

    /** Shows the results of a job, creating the panel if needed. */
    static show(extensionUri: vscode.Uri, store: JobStore, config: Config, jid: string): ResultsPanel {
        const existing = ResultsPanel.current;
        if (existing) {
            existing.jid = jid;
            existing.pages.clear();
            existing.panel.reveal(undefined, true);
            existing.refresh();
            return existing;
        }
        const panel = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, 'Results', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
            enableScripts: true, retainContextWhenHidden: true,
            localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webviews')]
        });
        ResultsPanel.current = new ResultsPanel(panel, extensionUri, store, config, jid);
        return ResultsPanel.current;
    }

    /** The job whose results are shown. */
    get jobId(): string { return this.jid; }

    dispose(): void {
        if (ResultsPanel.current === this) ResultsPanel.current = undefined;
        this.throttle.dispose();
        for (const d of this.disposables) d.dispose();
        this.panel.dispose();
    }

    private job(): TrackedJob | undefined { return this.store.get(this.jid); }

    private refresh(): void {
        if (!this.ready) return;
        const job = this.job();
        if (!job) return;
        const sets = [...job.results.values()].map((result) => {
            const node = job.graph?.nodes.find((n) => n.id === result.nodeId);
            const table = result.table;
            return {
                nodeId: result.nodeId, name: node?.name ?? result.nodeId, schema: node?.schema ?? [], total: rowsOf(result).length, notKept: result.notKept,
                ...(table ? { updating: { keyFields: [...table.keyFields], changes: table.changes } } : {})
            };
        });
        this.panel.title = `Results: ${job.details?.name ?? job.jid}`;
        this.post({ type: 'result-sets', jobName: job.details?.name ?? job.jid, jobState: job.details?.state ?? '', sets });
        for (const set of sets) this.postPage(set.nodeId, this.pages.get(set.nodeId) ?? 0);
    }

    private postPage(nodeId: string, page: number): void {
        const result = this.job()?.results.get(nodeId);
        const rows = result ? rowsOf(result) : [];
        const pageSize = this.config.resultsPageSize;
        const last = Math.max(0, Math.ceil(rows.length / pageSize) - 1);
        const clamped = Math.min(Math.max(0, page), last);
        this.pages.set(nodeId, clamped);
        this.post({ type: 'page', nodeId, page: clamped, pageSize, total: rows.length, rows: rows.slice(clamped * pageSize, (clamped + 1) * pageSize) });
    }

    private post(message: ToResultsView): void { void this.panel.webview.postMessage(message); }

    private async onMessage(message: FromResultsView): Promise<void> {
        switch (message.type) {
            case 'ready':
                this.ready = true;
                this.refresh();
                break;
            case 'request-page':
                this.postPage(message.nodeId, message.page);
                break;
            case 'export':
                await this.export(message.nodeId, message.format);
                break;
        }
    }

    private async export(nodeId: string, format: 'csv' | 'json'): Promise<void> {
        const job = this.job();
        const result = job?.results.get(nodeId);
        const rows = result ? rowsOf(result) : [];
        const schema = job?.graph?.nodes.find((n) => n.id === nodeId)?.schema;
        const columns = schema?.map((f) => f.name) ?? Object.keys(rows[0] ?? {});
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        const name = `${job?.details?.name ?? 'results'}-${nodeId.replace(/[^\w-]+/g, '_')}.${format}`;
        const target = await vscode.window.showSaveDialog({
            defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
            filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
            title: `Export ${rows.length} rows`
        });
        if (!target) return;
        const text = format === 'csv'
            ? stringify(rows.map((row) => columns.map((c) => cell(row[c]))), { header: true, columns })
            : JSON.stringify(rows, null, 2) + '\n';
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
        void vscode.window.showInformationMessage(`Exported ${rows.length} rows to ${vscode.workspace.asRelativePath(target)}.`);
    }
}

/** The rows a result shows: an updating sink's current table, or every row received. */
function rowsOf(result: CollectedResult): Record<string, unknown>[] {
    return result.table ? result.table.rows() : result.rows;
}

/** A CSV cell: nested values (arrays, records) are written as JSON. */
function cell(value: unknown): string | number | boolean | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'object') return JSON.stringify(value);
    return value as string | number | boolean;
}

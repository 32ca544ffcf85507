/**
 * The job graph of a Flink job, in the job graph webview: the job's vertices as Flink planned them
 * (`/jobs/:id/plan`, read once) with their state, records in/out and back-pressure from the Flink
 * monitor's readings, which go on while the panel is visible. A panel of its own beside the
 * .flow documents' graph panel, which follows the active editor.
 */
import * as vscode from 'vscode';
import { FlinkRestClient } from '../../../../flink/src/rest/flink-rest-client.js';
import type { FromGraphView, ToGraphView } from '../../../../protocol/webview-messages.js';
import type { FlinkJobPlan } from '../../flink/flink-cluster-snapshot.js';
import { flinkJobDrawing } from '../../flink/flink-job-drawing.js';
import type { FlinkMonitor, FlinkReading } from '../../flink/flink-monitor.js';
import { webviewHtml } from '../webview-html.js';

const VIEW_ID = 'flowline.flinkJobGraph';

/** The one Flink job graph panel of the window. */
export class FlinkJobGraphPanel implements vscode.Disposable {
    private static current: FlinkJobGraphPanel | undefined;
    private readonly disposables: vscode.Disposable[] = [];
    private ready = false;
    private plan: FlinkJobPlan | undefined;
    /** What the webview drew last (the in-host tests and the e2e suite read it). */
    lastRendered: Extract<FromGraphView, { type: 'rendered' }> | undefined;

    private constructor(private readonly panel: vscode.WebviewPanel, private readonly flink: FlinkMonitor, private jid: string, private restUrl: string) {
        this.disposables.push(
            panel.onDidDispose(() => this.dispose()),
            panel.onDidChangeViewState((e) => flink.setViewVisible(VIEW_ID, e.webviewPanel.visible)),
            panel.webview.onDidReceiveMessage((m: FromGraphView) => {
                if (m.type === 'ready') { this.ready = true; this.update(flink.last); }
                if (m.type === 'rendered') this.lastRendered = m;
            }),
            flink.onDidChange((reading) => this.update(reading))
        );
        flink.setViewVisible(VIEW_ID, true);
    }

    /** Shows the graph of a Flink job beside the editor. */
    static async show(extensionUri: vscode.Uri, flink: FlinkMonitor, restUrl: string, jid: string): Promise<void> {
        let target = FlinkJobGraphPanel.current;
        if (target) {
            target.jid = jid;
            target.restUrl = restUrl;
            target.plan = undefined;
            target.panel.reveal(vscode.ViewColumn.Beside, true);
        } else {
            const panel = vscode.window.createWebviewPanel(VIEW_ID, 'Flink Job Graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
                enableScripts: true, retainContextWhenHidden: true,
                localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webviews')]
            });
            panel.webview.html = webviewHtml(panel.webview, extensionUri, 'job-graph', 'Flink Job Graph');
            target = new FlinkJobGraphPanel(panel, flink, jid, restUrl);
            FlinkJobGraphPanel.current = target;
        }
        await target.readPlan();
    }

    static get instance(): FlinkJobGraphPanel | undefined { return FlinkJobGraphPanel.current; }

    dispose(): void {
        if (FlinkJobGraphPanel.current === this) FlinkJobGraphPanel.current = undefined;
        this.flink.setViewVisible(VIEW_ID, false);
        for (const d of this.disposables) d.dispose();
        this.panel.dispose();
    }

    private async readPlan(): Promise<void> {
        const jid = this.jid;
        try {
            const plan = await new FlinkRestClient(this.restUrl).jobPlan(jid);
            if (jid !== this.jid) return;
            this.plan = plan;
            this.panel.title = `Flink Job Graph: ${plan.plan.name}`;
        } catch (err) {
            void vscode.window.showErrorMessage(`Could not read the plan of Flink job ${jid}: ${err instanceof Error ? err.message : String(err)}`);
            return;
        }
        await this.flink.refresh();
        this.update(this.flink.last);
    }

    private update(reading: FlinkReading): void {
        if (!this.ready || !this.plan || reading.kind !== 'snapshot') return;
        const job = reading.snapshot.jobs.find((j) => j.overview.jid === this.jid);
        if (!job) return;
        const message: ToGraphView = { type: 'flink-job', drawing: flinkJobDrawing(this.plan, job) };
        void this.panel.webview.postMessage(message);
    }
}

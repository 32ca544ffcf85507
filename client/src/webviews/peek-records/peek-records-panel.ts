/**
 * The Peek Records view (extension side): opens a tap on a running job's stream (or on the node
 * an edge of the job graph leaves), forwards the sampled records to the webview at most four
 * times a second, stops forwarding while paused (counting what it did not show), checks a filter
 * typed in the view with the language server's type checker before re-opening the tap with it,
 * and closes the tap when the panel closes.
 */
import * as vscode from 'vscode';
import type { TappedRecord } from '../../../../protocol/cluster-api.js';
import { TERMINAL_JOB_STATES } from '../../../../protocol/cluster-api.js';
import { FlowRequests, type CompileExpressionParams, type CompileExpressionResult } from '../../../../protocol/lsp-requests.js';
import type { FromPeekView, ToPeekView } from '../../../../protocol/webview-messages.js';
import { StreamTap, type TapTarget } from '../../cluster/stream-tap.js';
import type { FlowlineContext } from '../../flowline-context.js';
import { RefreshThrottle } from '../../views/refresh-throttle.js';
import { webviewHtml } from '../webview-html.js';

export const PEEK_RECORDS_VIEW_TYPE = 'flowline.peekRecords';

/** The webview keeps this many records; the extension never sends more at once. */
export const PEEK_RECORDS_KEPT = 500;

/** What a Peek Records panel shows. */
export interface PeekTarget {
    jid: string;
    pipeline: string;
    /** The document the pipeline came from (the filter is checked against it). */
    documentUri: string;
    target: TapTarget;
    /** For the title, e.g. `stream big` or `filter in stream big`. */
    label: string;
}

/** One Peek Records panel: one tap. */
export class PeekRecordsPanel implements vscode.Disposable {
    private static readonly open = new Map<string, PeekRecordsPanel>();
    private readonly disposables: vscode.Disposable[] = [];
    private ready = false;
    private paused = false;
    private missed = 0;
    private pending: TappedRecord[] = [];
    private counts = { seen: 0, matched: 0, sampled: 0 };
    private filterText = '';
    private endedReason: string | undefined;
    private readonly throttle = new RefreshThrottle(250, () => this.flush());
    /** Every record forwarded to the webview so far (the in-host tests read it). */
    forwarded = 0;

    private constructor(private readonly ctx: FlowlineContext, private readonly panel: vscode.WebviewPanel,
        readonly target: PeekTarget, readonly tap: StreamTap) {
        panel.webview.html = webviewHtml(panel.webview, ctx.extensionUri, 'peek-records', 'Peek Records');
        panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'client', 'icons', 'flow-file.svg');
        this.disposables.push(
            panel.onDidDispose(() => this.dispose()),
            panel.webview.onDidReceiveMessage((m: FromPeekView) => void this.onMessage(m)),
            tap.onRecords((m) => {
                this.counts = { seen: m.seen, matched: m.matched, sampled: m.sampled };
                if (this.paused) this.missed += m.records.length;
                else this.pending.push(...m.records);
                if (this.pending.length > PEEK_RECORDS_KEPT) this.pending.splice(0, this.pending.length - PEEK_RECORDS_KEPT);
                this.throttle.request();
            }),
            tap.onEnd((reason) => this.end(reason)),
            ctx.jobs.onDidChangeState((job) => {
                const state = job?.jid === target.jid ? job.details?.state : undefined;
                if (state && TERMINAL_JOB_STATES.includes(state)) this.end(`the job is ${state}`);
            })
        );
    }

    /** Shows the records of a running job's stream or node, opening a tap (or revealing the panel that has it). */
    static async show(ctx: FlowlineContext, target: PeekTarget): Promise<PeekRecordsPanel> {
        const key = `${target.jid}\n${JSON.stringify(target.target)}`;
        const existing = PeekRecordsPanel.open.get(key);
        if (existing) {
            existing.panel.reveal(undefined, false);
            return existing;
        }
        const connection = ctx.cluster.connection;
        if (!connection) throw new Error('The local cluster is not running, so no job runs to peek into.');
        const tap = await StreamTap.open(connection, target.jid, target.target, ctx.config.peekRecordsPerSecond);
        const panel = vscode.window.createWebviewPanel(PEEK_RECORDS_VIEW_TYPE, `Peek: ${target.label}`,
            { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
                enableScripts: true, retainContextWhenHidden: true,
                localResourceRoots: [vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'webviews')]
            });
        const created = new PeekRecordsPanel(ctx, panel, target, tap);
        PeekRecordsPanel.open.set(key, created);
        created.disposables.push({ dispose: () => PeekRecordsPanel.open.delete(key) });
        return created;
    }

    /** The open panels (the in-host tests read them). */
    static get panels(): PeekRecordsPanel[] { return [...PeekRecordsPanel.open.values()]; }

    dispose(): void {
        this.throttle.dispose();
        for (const d of this.disposables.splice(0)) d.dispose();
        void this.tap.close();
        this.panel.dispose();
    }

    private post(message: ToPeekView): void {
        if (this.ready) void this.panel.webview.postMessage(message);
    }

    private postTap(): void {
        const info = this.tap.info;
        this.post({
            type: 'tap', title: `${this.target.label} · ${this.target.pipeline}`, fields: info.fields,
            recordsPerSecond: info.recordsPerSecond, filter: this.filterText
        });
    }

    private flush(): void {
        if (!this.ready) return;
        const records = this.pending.splice(0);
        this.forwarded += records.length;
        this.post({ type: 'records', records, ...this.counts });
    }

    private end(reason: string): void {
        if (this.endedReason) return;
        this.endedReason = reason;
        this.flush();
        this.post({ type: 'ended', reason });
    }

    private async onMessage(message: FromPeekView): Promise<void> {
        switch (message.type) {
            case 'ready':
                this.ready = true;
                this.postTap();
                this.flush();
                if (this.endedReason) this.post({ type: 'ended', reason: this.endedReason });
                break;
            case 'pause':
            case 'resume':
                // What arrived before the pause is still shown, before the view says it paused.
                if (message.type === 'pause') this.flush();
                this.paused = message.type === 'pause';
                if (!this.paused) this.missed = 0;
                this.post({ type: 'paused', paused: this.paused, missed: this.missed });
                break;
            case 'set-filter':
                await this.setFilter(message.text.trim());
                break;
        }
    }

    /** Checks the filter against the tapped node's output schema, then re-opens the tap with it. */
    private async setFilter(text: string): Promise<void> {
        if (this.endedReason) return;
        let expr;
        if (text !== '') {
            const params: CompileExpressionParams = {
                uri: this.target.documentUri, pipeline: this.target.pipeline, nodeId: this.tap.info.nodeId, text, at: 'output', expect: 'condition'
            };
            let result: CompileExpressionResult;
            try {
                result = await this.ctx.client.sendRequest<CompileExpressionResult>(FlowRequests.compileExpression, params);
            } catch (err) {
                result = { errors: [{ message: `The language server could not check the filter: ${err instanceof Error ? err.message : String(err)}`, column: 0, endColumn: text.length }] };
            }
            if ('errors' in result) {
                this.post({ type: 'filter-errors', text, errors: result.errors });
                return;
            }
            expr = result.expr;
        }
        try {
            await this.tap.setFilter(expr);
        } catch (err) {
            this.post({ type: 'filter-errors', text, errors: [{ message: `The cluster refused the filter: ${err instanceof Error ? err.message : String(err)}`, column: 0, endColumn: text.length }] });
            return;
        }
        this.filterText = text;
        this.pending = [];
        this.counts = { seen: 0, matched: 0, sampled: 0 };
        this.postTap();
    }
}

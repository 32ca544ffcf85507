/**
 * A status bar item for the running job: its state and its sources' records/s (the job's input
 * rate); a click opens its graph.
 * Hidden when no job of this window runs.
 */
import * as vscode from 'vscode';
import { TERMINAL_JOB_STATES } from '../../../protocol/cluster-api.js';
import { sourceRecordsPerSecond } from '../cluster/job-figures.js';
import type { JobStore, TrackedJob } from '../cluster/job-store.js';
import { formatRate } from '../views/execution-state-icons.js';
import { RefreshThrottle } from '../views/refresh-throttle.js';

/** The status bar item of the current job. */
export class JobStatusBar implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem('flowline.job', vscode.StatusBarAlignment.Left, 50);
    private readonly subscription: vscode.Disposable;
    private shown: TrackedJob | undefined;
    private lastChanged: TrackedJob | undefined;
    private readonly throttle = new RefreshThrottle(500, () => this.update(this.lastChanged));

    constructor(private readonly store: JobStore) {
        this.item.name = 'Flowline Job';
        this.subscription = store.onDidChange((job) => { this.lastChanged = job; this.throttle.request(); });
    }

    dispose(): void {
        this.throttle.dispose();
        this.subscription.dispose();
        this.item.dispose();
    }

    private update(changed: TrackedJob | undefined): void {
        // Follow the running job; once it ends keep showing its final state until another starts.
        const job = this.store.latestRunning() ?? (changed?.graph ? changed : this.shown);
        if (!job?.details || !this.store.get(job.jid)) {
            this.item.hide();
            this.shown = undefined;
            return;
        }
        this.shown = job;
        const { state, name } = job.details;
        const rate = sourceRecordsPerSecond(job.vertices.values());
        const running = !TERMINAL_JOB_STATES.includes(state);
        const icon = running ? '$(sync~spin)' : state === 'FINISHED' ? '$(pass)' : state === 'FAILED' ? '$(error)' : '$(circle-slash)';
        this.item.text = `${icon} ${name}: ${state}${running && rate > 0 ? ` · ${formatRate(rate)} rec/s` : ''}`;
        this.item.tooltip = `Flowline job ${name} (${job.jid})${running && rate > 0 ? `: its sources emit ${formatRate(rate)} records/s` : ''} — click to show its graph`;
        this.item.command = job.documentUri
            ? { title: 'Show Job Graph', command: 'flowline.showJobGraph', arguments: [vscode.Uri.parse(job.documentUri), job.graph?.pipeline] }
            : undefined;
        this.item.backgroundColor = state === 'FAILED' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
        this.item.show();
    }
}

/**
 * When a job of this window ends having skipped bad rows (`onError skip`), a warning says how many
 * and from which source, so dropped rows are never silent in the editor either.
 */
import * as vscode from 'vscode';
import { TERMINAL_JOB_STATES } from '../../../protocol/cluster-api.js';
import type { JobStore, TrackedJob } from '../cluster/job-store.js';
import { skippedRowsWarning } from '../views/connector-counts.js';

/** Warns once per job. */
export class SkippedRowsReporter implements vscode.Disposable {
    private readonly reported = new Set<string>();
    private readonly subscription: vscode.Disposable;

    constructor(store: JobStore) {
        this.subscription = store.onDidChangeState((job) => { if (job) this.check(job); });
    }

    dispose(): void { this.subscription.dispose(); }

    private check(job: TrackedJob): void {
        const details = job.details;
        // A failed job already gets an error; a job of another window is not ours to announce.
        if (!details || !job.graph || details.state === 'FAILED' || !TERMINAL_JOB_STATES.includes(details.state) || this.reported.has(job.jid)) return;
        this.reported.add(job.jid);
        const warning = skippedRowsWarning(details);
        if (warning) void vscode.window.showWarningMessage(warning);
    }
}

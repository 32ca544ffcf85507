/**
 * When a job of this window fails: a notification with the runtime's message, and a diagnostic
 * on the source line the runtime named (the exception's location, else the failing node's).
 */
import * as vscode from 'vscode';
import type { ExceptionHistoryEntry } from '../../../protocol/cluster-api.js';
import type { JobStore, TrackedJob } from '../cluster/job-store.js';
import type { LocalClusterManager } from '../cluster/local-cluster-manager.js';

/** Reports job failures once per job. */
export class JobFailureReporter implements vscode.Disposable {
    private readonly reported = new Set<string>();
    private readonly subscription: vscode.Disposable;

    constructor(store: JobStore, private readonly cluster: LocalClusterManager, private readonly diagnostics: vscode.DiagnosticCollection) {
        this.subscription = store.onDidChangeState((job) => { if (job) void this.check(job); });
    }

    dispose(): void { this.subscription.dispose(); }

    private async check(job: TrackedJob): Promise<void> {
        if (job.details?.state !== 'FAILED' || !job.graph || this.reported.has(job.jid)) return;
        this.reported.add(job.jid);
        const rest = this.cluster.connection?.rest;
        const entries = rest ? (await rest.exceptions(job.jid).catch(() => undefined))?.exceptionHistory.entries ?? [] : [];
        const entry = entries[0];
        const message = entry?.message ?? 'The job failed; the cluster gave no exception.';
        const location = this.locationOf(job, entry);
        if (location) {
            const uri = vscode.Uri.parse(location.uri);
            const { start, end } = location.range;
            const diagnostic = new vscode.Diagnostic(new vscode.Range(start.line, start.character, end.line, end.character),
                `Job ${job.details.name} failed here: ${message}`, vscode.DiagnosticSeverity.Error);
            diagnostic.source = 'flowline run';
            this.diagnostics.set(uri, [...(this.diagnostics.get(uri) ?? []), diagnostic]);
        }
        const where = location ? ` (line ${location.range.start.line + 1})` : '';
        void vscode.window.showErrorMessage(`Job ${job.details.name} failed${where}: ${message}`);
    }

    private locationOf(job: TrackedJob, entry: ExceptionHistoryEntry | undefined): ExceptionHistoryEntry['location'] {
        if (entry?.location) return entry.location;
        const node = entry?.nodeId ? job.graph?.nodes.find((n) => n.id === entry.nodeId) : undefined;
        return node?.location;
    }
}

/** Open Results: shows the collect-sink results of a job (the given one, else the newest). */
import * as vscode from 'vscode';
import type { FlowlineContext } from '../flowline-context.js';
import { ResultsPanel } from '../webviews/results/results-panel.js';

/** Opens the results view. */
export function openResults(ctx: FlowlineContext) {
    return (node?: unknown): void => {
        const given = (node as { job?: { jid?: string } } | undefined)?.job?.jid;
        const jid = given ?? ctx.jobs.all().find((job) => job.results.size > 0)?.jid ?? ctx.jobs.all()[0]?.jid;
        if (!jid) {
            void vscode.window.showInformationMessage('No job has run yet. Results appear here when a pipeline with a `collect` sink runs.');
            return;
        }
        ResultsPanel.show(ctx.extensionUri, ctx.jobs, ctx.config, jid);
    };
}

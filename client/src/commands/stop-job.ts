/**
 * Stop Job: cancels a job (Flink's PATCH /jobs/:jid?mode=cancel): the one given by the Jobs
 * view, else the newest running job of this window.
 */
import * as vscode from 'vscode';
import type { FlowlineContext } from '../flowline-context.js';

/** Cancels a running job. */
export function stopJob(ctx: FlowlineContext) {
    return async (node?: unknown): Promise<void> => {
        const jid = jobIdOf(node) ?? ctx.jobs.latestRunning()?.jid;
        const rest = ctx.cluster.connection?.rest;
        if (!jid || !rest) {
            void vscode.window.showInformationMessage('No Flowline job is running.');
            return;
        }
        try {
            await rest.cancel(jid);
            ctx.log.appendLine(`[run] cancel requested for job ${jid}`);
        } catch (err) {
            void vscode.window.showErrorMessage(`Could not stop job ${jid}: ${err instanceof Error ? err.message : String(err)}`);
        }
    };
}

/** The job id of a Jobs view node (`{ job: { jid } }`) or a plain id string. */
function jobIdOf(node: unknown): string | undefined {
    if (typeof node === 'string') return node;
    const job = (node as { job?: { jid?: unknown } } | undefined)?.job;
    return typeof job?.jid === 'string' ? job.jid : undefined;
}

/**
 * Actions on the Flink rows of the views: open the cluster's or a job's page in Flink's Web UI,
 * cancel a running Flink job, and explain a Flink that does not answer.
 */
import * as vscode from 'vscode';
import { FlinkRestClient, flinkWebUiJobUrl } from '../../../flink/src/rest/flink-rest-client.js';
import type { FlinkViewNode } from '../flink/flink-tree-item.js';
import { explainFlinkUnreachable } from '../flink/flink-unreachable.js';
import { currentFlinkEndpoints } from '../flink/local-flink-endpoints.js';
import type { FlowlineContext } from '../flowline-context.js';

/** Opens Flink's Web UI: a job's page from a job row (or a job id), else the cluster's overview. */
export function openFlinkWebUi(ctx: FlowlineContext) {
    return async (target?: FlinkViewNode | string): Promise<void> => {
        const endpoints = currentFlinkEndpoints(ctx.config);
        const jid = typeof target === 'string' ? target : target?.node.row.jid;
        await vscode.env.openExternal(vscode.Uri.parse(jid ? flinkWebUiJobUrl(endpoints.webUiUrl, jid) : `${endpoints.webUiUrl}/#/overview`));
    };
}

/** Cancels the Flink job of a job row (or a job id). */
export function cancelFlinkJob(ctx: FlowlineContext) {
    return async (target?: FlinkViewNode | string): Promise<void> => {
        const jid = typeof target === 'string' ? target : target?.node.row.jid;
        if (!jid) return;
        const endpoints = currentFlinkEndpoints(ctx.config);
        try {
            await new FlinkRestClient(endpoints.restUrl).cancel(jid);
            ctx.log.appendLine(`[flink] asked ${endpoints.restUrl} to cancel job ${jid}`);
        } catch (err) {
            void vscode.window.showErrorMessage(`Could not cancel Flink job ${jid}: ${err instanceof Error ? err.message : String(err)}`);
        }
        await ctx.flink.refresh();
    };
}

/** Explains the "not answering" row of the views. */
export function explainFlinkUnreachableCommand(ctx: FlowlineContext) {
    return async (): Promise<void> => {
        const reading = ctx.flink.last;
        const endpoints = reading.kind === 'none' ? currentFlinkEndpoints(ctx.config) : reading.endpoints;
        await explainFlinkUnreachable(endpoints, 'REST API', reading.kind === 'unreachable' ? reading.message : 'no answer');
    };
}

/** Start Local Cluster: starts the cluster process now (runs start it on demand anyway). */
import * as vscode from 'vscode';
import type { FlowlineContext } from '../flowline-context.js';
import { ensureTrustedForRun } from '../trust/restricted-mode.js';

/** Starts the local cluster. */
export function startCluster(ctx: FlowlineContext) {
    return async (): Promise<void> => {
        if (!(await ensureTrustedForRun())) return;
        try {
            const connection = await vscode.window.withProgress(
                { location: vscode.ProgressLocation.Window, title: 'Flowline: starting the local cluster' },
                () => ctx.cluster.ensureStarted());
            void vscode.window.setStatusBarMessage(`Flowline cluster running at ${connection.rest.baseUrl}`, 5000);
        } catch (err) {
            void vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err));
        }
    };
}

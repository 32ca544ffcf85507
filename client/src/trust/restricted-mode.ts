/**
 * Workspace Trust: in Restricted Mode the language features work but nothing runs, because a
 * run starts the cluster process, executes user functions (`fn("udfs.ts", ...)`) and writes sink
 * files. This explains that to the user and offers to manage trust.
 */
import * as vscode from 'vscode';

/** Why running is disabled, in one sentence. */
export const RESTRICTED_MODE_EXPLANATION =
    'Running pipelines is disabled in Restricted Mode: a run starts a local cluster process, executes user functions and writes sink files. Trust this folder to run pipelines; diagnostics, completion and the job graph work either way.';

/** True when running is allowed; otherwise tells the user why not and returns false. */
export async function ensureTrustedForRun(): Promise<boolean> {
    if (vscode.workspace.isTrusted) return true;
    await explainRestrictedMode();
    return false;
}

/** Shows the explanation with a way to manage trust. */
export async function explainRestrictedMode(): Promise<void> {
    const choice = await vscode.window.showWarningMessage(RESTRICTED_MODE_EXPLANATION, 'Manage Workspace Trust');
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
}

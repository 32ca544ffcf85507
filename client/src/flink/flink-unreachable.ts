/**
 * What the user reads when no Flink answers: where the editor looked (and why there), and two
 * ways on: start the local Flink (`flowline flink start` in a terminal) or set the URLs.
 */
import * as vscode from 'vscode';
import type { FlinkEndpoints } from './flink-endpoints.js';

/** The terminal command that starts the local Flink session cluster. */
export const START_LOCAL_FLINK_COMMAND = 'flowline flink start';

/** Tells the user no Flink answers at `endpoints` and offers the ways on. */
export async function explainFlinkUnreachable(endpoints: FlinkEndpoints, what: string, detail: string): Promise<void> {
    const where = endpoints.from === 'settings' ? 'the flowline.flink settings'
        : endpoints.from === 'local Flink' ? 'the local Flink that `flowline flink start` started (it has stopped?)'
            : 'Flink\'s default ports, as neither the flowline.flink settings nor `flowline flink start` name one';
    const choice = await vscode.window.showErrorMessage(
        `No Flink ${what} answers at ${what === 'SQL Gateway' ? endpoints.sqlGatewayUrl : endpoints.restUrl} (from ${where}): ${detail}`,
        'Start Local Flink', 'Open Settings');
    if (choice === 'Start Local Flink') {
        const terminal = vscode.window.createTerminal({ name: 'Flink (local)' });
        terminal.show();
        terminal.sendText(START_LOCAL_FLINK_COMMAND);
    } else if (choice === 'Open Settings') {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'flowline.flink');
    }
}

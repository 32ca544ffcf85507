/**
 * Starts the Flowline debug adapter (dist/debug-adapter.mjs, the same program as
 * `flowline debug-adapter`) as a child process speaking DAP over stdio. It runs on the extension
 * host's own Node: in VS Code desktop `process.execPath` is Electron, which behaves as plain Node
 * with ELECTRON_RUN_AS_NODE (as the local cluster process is started).
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';

/** Describes how VS Code starts the adapter for each `flowline` debug session. */
export class FlowDebugAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
    constructor(private readonly extensionUri: vscode.Uri) {}

    createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
        const adapter = vscode.Uri.joinPath(this.extensionUri, 'dist', 'debug-adapter.mjs').fsPath;
        if (!existsSync(adapter)) {
            throw new Error(`The Flowline debug adapter is missing from this installation (${adapter}); reinstall the extension or run "node scripts/build.mjs".`);
        }
        const cwd = session.workspaceFolder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
        return new vscode.DebugAdapterExecutable(process.execPath, [adapter], { env: { ELECTRON_RUN_AS_NODE: '1' }, cwd });
    }
}

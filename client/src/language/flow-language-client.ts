/**
 * Starts the bundled language server (dist/server.mjs) in its own Node process over IPC and
 * declares the `flowline/` custom requests on the client side.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { FlowRequests, type LogicalGraphParams, type LogicalGraphResult } from '../../../protocol/lsp-requests.js';
import type { DiscoveredTest, DiscoverTestsParams } from '../../../protocol/pipeline-tests.js';
import { LANGUAGE_SERVER_NODE_FLAGS } from './server-node-flags.js';

/** The language id contributed in package.json. */
export const FLOW_LANGUAGE_ID = 'flow';

/** Creates (but does not start) the client of the Flowline language server. */
export function createFlowLanguageClient(extensionUri: vscode.Uri, output: vscode.LogOutputChannel): LanguageClient {
    const serverModule = vscode.Uri.joinPath(extensionUri, 'dist', 'server.mjs').fsPath;
    const serverOptions: ServerOptions = {
        run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...LANGUAGE_SERVER_NODE_FLAGS] } },
        debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...LANGUAGE_SERVER_NODE_FLAGS, '--nolazy', '--inspect=6019'] } }
    };
    const clientOptions: LanguageClientOptions = {
        documentSelector: [{ language: FLOW_LANGUAGE_ID }],
        outputChannel: output,
        synchronize: { configurationSection: 'flowline' }
    };
    return new LanguageClient('flowline', 'Flowline Language Server', serverOptions, clientOptions);
}

/** Asks the server for the LogicalGraphs (and diagnostics) of a document. */
export function requestLogicalGraphs(client: LanguageClient, params: LogicalGraphParams): Promise<LogicalGraphResult> {
    return client.sendRequest<LogicalGraphResult>(FlowRequests.logicalGraph, params);
}

/** Asks the server for the pipeline tests of a document (open, or read from disk). */
export function requestDiscoveredTests(client: LanguageClient, params: DiscoverTestsParams): Promise<DiscoveredTest[]> {
    return client.sendRequest<DiscoveredTest[]>(FlowRequests.discoverTests, params);
}

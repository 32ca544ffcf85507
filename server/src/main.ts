/**
 * The Flowline language server: Langium's LSP features for .flow plus the `flowline/` custom
 * requests. Started by the extension (IPC) or by any LSP client with `--stdio`.
 */
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createFlowLspServices } from '../../language/src/lsp/flow-lsp-module.js';
import { registerCustomRequests } from './custom-requests.js';

const connection = createConnection(ProposedFeatures.all);
const { shared, Flow } = createFlowLspServices({ connection, ...NodeFileSystem });
registerCustomRequests(connection, shared, Flow);
startLanguageServer(shared);

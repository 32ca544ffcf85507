/**
 * What Langium's core (not `langium/lsp`) takes from vscode-languageserver-protocol: the
 * cancellation token, the event emitter, ResponseError and two LSP error codes. Importing the
 * protocol package evaluates all of it (~170 KB: every LSP request and notification type) in
 * every process that checks a `.flow` file, `flowline run` included. scripts/build.mjs points
 * those three Langium files' import here instead; the objects are vscode-jsonrpc's, resolved from
 * the protocol package's folder, so they are the very objects the protocol re-exports (the
 * language server, which loads the whole protocol, sees one CancellationToken, one Emitter).
 * test/language/langium-core-protocol.test.ts checks both against the protocol package.
 */
export { CancellationToken, CancellationTokenSource, Emitter, ResponseError } from 'vscode-jsonrpc';

/** The LSP error codes, as vscode-languageserver-protocol defines them (LSP 3.17). */
export const LSPErrorCodes = {
    lspReservedErrorRangeStart: -32899,
    RequestFailed: -32803,
    ServerCancelled: -32802,
    ContentModified: -32801,
    RequestCancelled: -32800,
    lspReservedErrorRangeEnd: -32800
} as const;

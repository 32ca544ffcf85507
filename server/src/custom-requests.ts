/**
 * The `flowline/` custom requests the server answers besides standard LSP (declared in
 * protocol/lsp-requests.ts).
 */
import { DocumentState, URI, type LangiumDocument } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { DiagnosticSeverity, ResponseError, ErrorCodes, type Connection, type Diagnostic } from 'vscode-languageserver';
import type { FlowServices } from '../../language/src/flow-module.js';
import { isPipeline, type Model } from '../../language/src/generated/ast.js';
import { LogicalGraphBuilder } from '../../language/src/graph/build-logical-graph.js';
import { FlowRequests, type FlowDiagnostic, type LogicalGraphParams, type LogicalGraphResult } from '../../protocol/lsp-requests.js';

/** Registers every `flowline/` request handler on the connection. */
export function registerCustomRequests(connection: Connection, shared: LangiumSharedServices, flow: FlowServices): void {
    const builder = new LogicalGraphBuilder(flow);
    connection.onRequest(FlowRequests.logicalGraph, async (params: LogicalGraphParams): Promise<LogicalGraphResult> => {
        const document = await validatedDocument(shared, params.uri);
        const diagnostics = (document.diagnostics ?? []).map(toFlowDiagnostic);
        const pipelines = (document.parseResult.value as Model).elements.filter(isPipeline);
        const chosen = params.pipeline === undefined ? pipelines : pipelines.filter((p) => p.name === params.pipeline);
        if (params.pipeline !== undefined && chosen.length === 0) {
            const names = pipelines.map((p) => p.name);
            throw new ResponseError(ErrorCodes.InvalidParams,
                `${params.uri} has no pipeline '${params.pipeline}'; it has ${names.length > 0 ? names.join(', ') : 'none'}.`);
        }
        // An unchecked pipeline has no trustworthy graph: the client shows the diagnostics instead.
        if (diagnostics.some((d) => d.severity === 'error')) return { graphs: [], diagnostics };
        return { graphs: chosen.map((p) => builder.build(p)), diagnostics };
    });
}

/** The document at `uri` once validated; loaded from disk when it is outside the workspace. */
async function validatedDocument(shared: LangiumSharedServices, uri: string): Promise<LangiumDocument> {
    const parsed = URI.parse(uri);
    const workspace = shared.workspace;
    // The workspace's first build (every file indexed and linked) must be done before one file is checked.
    await workspace.WorkspaceManager.ready;
    await workspace.DocumentBuilder.waitUntil(DocumentState.IndexedReferences);
    let document = workspace.LangiumDocuments.getDocument(parsed);
    if (!document) {
        try {
            document = await workspace.LangiumDocuments.getOrCreateDocument(parsed);
        } catch (error) {
            throw new ResponseError(ErrorCodes.InvalidParams, `Cannot read ${uri}: ${(error as Error).message}`);
        }
    }
    // Files the editor has not opened are indexed and linked but not validated: validate them now.
    // A read action waits for the builds the editor's changes start, and cancels none of them.
    if (document.state < DocumentState.Validated) {
        const target = document;
        await workspace.WorkspaceLock.read(() => workspace.DocumentBuilder.build([target], { validation: true }));
    }
    return document;
}

const SEVERITIES: Record<number, FlowDiagnostic['severity']> = {
    [DiagnosticSeverity.Error]: 'error', [DiagnosticSeverity.Warning]: 'warning',
    [DiagnosticSeverity.Information]: 'information', [DiagnosticSeverity.Hint]: 'hint'
};

function toFlowDiagnostic(d: Diagnostic): FlowDiagnostic {
    return {
        severity: SEVERITIES[d.severity ?? DiagnosticSeverity.Error] ?? 'error',
        code: String(d.code ?? (d.data as { code?: string } | undefined)?.code ?? '') || undefined,
        message: typeof d.message === 'string' ? d.message : d.message.value,
        range: d.range
    };
}

/**
 * The `flowline/` custom requests the server answers besides standard LSP (declared in
 * protocol/lsp-requests.ts).
 */
import { DocumentState, URI, type LangiumDocument } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { DiagnosticSeverity, ResponseError, ErrorCodes, type Connection, type Diagnostic } from 'vscode-languageserver';
import type { FlowServices } from '../../language/src/flow-module.js';
import { FlowRequests, type FlowDiagnostic, type LogicalGraphParams, type LogicalGraphResult } from '../../protocol/lsp-requests.js';

/** Registers every `flowline/` request handler on the connection. */
export function registerCustomRequests(connection: Connection, shared: LangiumSharedServices, _flow: FlowServices): void {
    connection.onRequest(FlowRequests.logicalGraph, async (params: LogicalGraphParams): Promise<LogicalGraphResult> => {
        const document = await validatedDocument(shared, params.uri);
        const diagnostics = (document.diagnostics ?? []).map(toFlowDiagnostic);
        throw new ResponseError(ErrorCodes.InternalError,
            `The LogicalGraph builder (language/src/graph/) is not built yet; the document has ${diagnostics.length} diagnostic(s).`);
    });
}

/** The document at `uri`, loaded from disk when no editor has it open, once validated. */
async function validatedDocument(shared: LangiumSharedServices, uri: string): Promise<LangiumDocument> {
    const parsed = URI.parse(uri);
    const documents = shared.workspace.LangiumDocuments;
    let document = documents.getDocument(parsed);
    if (!document) {
        try {
            document = await documents.getOrCreateDocument(parsed);
        } catch (error) {
            throw new ResponseError(ErrorCodes.InvalidParams, `Cannot read ${uri}: ${(error as Error).message}`);
        }
    }
    if (document.state < DocumentState.Validated) {
        await shared.workspace.DocumentBuilder.build([document], { validation: true });
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
        code: d.code === undefined ? undefined : String(d.code),
        message: typeof d.message === 'string' ? d.message : d.message.value,
        range: d.range
    };
}

/**
 * The `flowline/` custom requests the server answers besides standard LSP (declared in
 * protocol/lsp-requests.ts): the LogicalGraphs of a document, an expression compiled in the
 * context of one of its nodes, a pipeline's Flink SQL (flink-sql-request.ts) and the test blocks
 * of a document (discover-tests-request.ts).
 */
import { DocumentState, URI, type LangiumDocument } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { DiagnosticSeverity, ResponseError, ErrorCodes, type Connection, type Diagnostic } from 'vscode-languageserver';
import type { FlowServices } from '../../language/src/flow-module.js';
import { isPipeline, type Model } from '../../language/src/generated/ast.js';
import { LogicalGraphBuilder } from '../../language/src/graph/build-logical-graph.js';
import { compileNodeExpression, UnknownNodeError } from '../../language/src/graph/node-expression.js';
import { streamOutputNode } from '../../protocol/stream-nodes.js';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import {
    FlowRequests, type CompileExpressionParams, type CompileExpressionResult, type FlowDiagnostic, type LogicalGraphParams, type LogicalGraphResult
} from '../../protocol/lsp-requests.js';
import { registerDiscoverTestsRequest } from './discover-tests-request.js';
import { registerFlinkSqlRequest } from './flink-sql-request.js';

/** Registers every `flowline/` request handler on the connection. */
export function registerCustomRequests(connection: Connection, shared: LangiumSharedServices, flow: FlowServices): void {
    const builder = new LogicalGraphBuilder(flow);
    registerFlinkSqlRequest(connection, builder, (uri) => validatedDocument(shared, uri), toFlowDiagnostic);
    registerDiscoverTestsRequest(connection, (uri) => validatedDocument(shared, uri));
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

    // A tap's filter (or any expression) checked in its node's context, over the editor's text.
    connection.onRequest(FlowRequests.compileExpression, async (params: CompileExpressionParams): Promise<CompileExpressionResult> => {
        const document = await validatedDocument(shared, params.uri);
        let nodeId = params.nodeId;
        if (nodeId === undefined) {
            if (params.stream === undefined) throw new ResponseError(ErrorCodes.InvalidParams, 'flowline/compileExpression needs a nodeId or a stream.');
            const pipeline = (document.parseResult.value as Model).elements.filter(isPipeline).find((p) => p.name === params.pipeline);
            if (!pipeline) throw new ResponseError(ErrorCodes.InvalidParams, `${params.uri} has no pipeline '${params.pipeline}'.`);
            nodeId = lastNodeOf(builder.build(pipeline), params.pipeline, params.stream);
        }
        try {
            const result = await compileNodeExpression({
                uri: params.uri, documentText: document.textDocument.getText(), pipeline: params.pipeline, nodeId, text: params.text, at: params.at,
                expect: params.expect
            });
            return 'errors' in result ? { errors: result.errors } : { expr: result.expr, type: result.type };
        } catch (error) {
            if (error instanceof UnknownNodeError) throw new ResponseError(ErrorCodes.InvalidParams, error.message);
            throw error;
        }
    });
}

/** The node whose output is a stream's records (protocol/stream-nodes.ts, as taps resolve it). */
function lastNodeOf(graph: LogicalGraph, pipeline: string, stream: string): string {
    const node = streamOutputNode(graph, stream);
    if (!node) throw new ResponseError(ErrorCodes.InvalidParams, `The pipeline '${pipeline}' has no source or stream '${stream}' with an operator.`);
    return node.id;
}

/** The document at `uri` once validated; loaded from disk when it is outside the workspace. */
export async function validatedDocument(shared: LangiumSharedServices, uri: string): Promise<LangiumDocument> {
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

export function toFlowDiagnostic(d: Diagnostic): FlowDiagnostic {
    return {
        severity: SEVERITIES[d.severity ?? DiagnosticSeverity.Error] ?? 'error',
        code: String(d.code ?? (d.data as { code?: string } | undefined)?.code ?? '') || undefined,
        message: typeof d.message === 'string' ? d.message : d.message.value,
        range: d.range
    };
}

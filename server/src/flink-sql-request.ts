/**
 * `flowline/flinkSql`: one pipeline of a document as a Flink SQL script (flink/src/sql), for the
 * editor's "Show Flink SQL" and "Deploy to Flink". Constructs Flink cannot run come back as
 * diagnostics with their file and range; a document with errors gets its errors and no script.
 */
import type { LangiumDocument } from 'langium';
import { ErrorCodes, ResponseError, type Connection, type Diagnostic } from 'vscode-languageserver';
import { readCsvHeader } from '../../flink/src/sql/csv-header.js';
import { translatePipeline } from '../../flink/src/sql/translate-pipeline.js';
import { isPipeline, type Model } from '../../language/src/generated/ast.js';
import type { LogicalGraphBuilder } from '../../language/src/graph/build-logical-graph.js';
import type { FlinkSqlDiagnostic } from '../../flink/src/sql/flink-sql-script.js';
import { FlowRequests, type FlinkSqlDiagnosticInfo, type FlinkSqlParams, type FlinkSqlResult, type FlowDiagnostic } from '../../protocol/lsp-requests.js';

export function registerFlinkSqlRequest(
    connection: Connection,
    builder: LogicalGraphBuilder,
    validatedDocument: (uri: string) => Promise<LangiumDocument>,
    toFlowDiagnostic: (d: Diagnostic) => FlowDiagnostic
): void {
    connection.onRequest(FlowRequests.flinkSql, async (params: FlinkSqlParams): Promise<FlinkSqlResult> => {
        const document = await validatedDocument(params.uri);
        const pipelines = (document.parseResult.value as Model).elements.filter(isPipeline);
        const names = pipelines.map((p) => p.name);
        const pipeline = params.pipeline === undefined
            ? (pipelines.length === 1 ? pipelines[0] : undefined)
            : pipelines.find((p) => p.name === params.pipeline);
        if (!pipeline) {
            const which = params.pipeline === undefined ? `${names.length} pipelines: name one` : `no pipeline '${params.pipeline}'`;
            throw new ResponseError(ErrorCodes.InvalidParams, `${params.uri} has ${which}; it has ${names.length > 0 ? names.join(', ') : 'none'}.`);
        }
        const errors = (document.diagnostics ?? []).map(toFlowDiagnostic).filter((d) => d.severity === 'error');
        if (errors.length > 0) {
            return {
                pipeline: pipeline.name, script: '', statements: [], notes: [], dataFiles: [],
                diagnostics: errors.map((d) => ({ uri: params.uri, range: d.range, severity: 'error', code: d.code ?? 'error', message: d.message }))
            };
        }
        const result = translatePipeline(builder.build(pipeline), { csvHeader: readCsvHeader });
        return {
            pipeline: pipeline.name,
            script: result.script,
            statements: result.statements,
            diagnostics: result.diagnostics.map((d) => diagnosticInfo(d, 'error')),
            notes: result.notes.map((d) => diagnosticInfo(d, 'warning')),
            dataFiles: result.dataFiles
        };
    });
}

function diagnosticInfo(d: FlinkSqlDiagnostic, severity: 'error' | 'warning'): FlinkSqlDiagnosticInfo {
    return { uri: d.location.uri, range: d.location.range, severity, code: d.code, message: d.message, construct: d.construct, nodeId: d.nodeId };
}

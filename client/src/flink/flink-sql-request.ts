/**
 * Asks the language server for a pipeline's Flink SQL (`flowline/flinkSql`): the statements the
 * SQL Gateway runs one by one, the script shown to the user, and a diagnostic for every construct
 * Flink cannot run (then the pipeline cannot be deployed).
 */
import type { LanguageClient } from 'vscode-languageclient/node';
import { FlowRequests, type FlinkSqlParams, type FlinkSqlResult } from '../../../protocol/lsp-requests.js';

/** The Flink SQL of one pipeline of a document. */
export function requestFlinkSql(client: LanguageClient, params: FlinkSqlParams): Promise<FlinkSqlResult> {
    return client.sendRequest<FlinkSqlResult>(FlowRequests.flinkSql, params);
}

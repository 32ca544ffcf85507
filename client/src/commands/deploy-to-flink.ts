/**
 * Deploy to Flink: translates the pipeline to Flink SQL through the language server, refuses
 * (with the reasons in the Problems panel) when Flink cannot run it, and otherwise sends the
 * statements one by one to the Flink SQL Gateway in one session, the last starting the job.
 * Then shows the job in the Jobs view, with a way to its page in Flink's Web UI.
 */
import * as vscode from 'vscode';
import { FlinkRestError } from '../../../flink/src/rest/rest-request.js';
import { SqlGatewayClient, SqlStatementError } from '../../../flink/src/rest/sql-gateway-client.js';
import { submitFlinkSql } from '../../../flink/src/submit-pipeline.js';
import { explainFlinkUnreachable } from '../flink/flink-unreachable.js';
import { currentFlinkEndpoints } from '../flink/local-flink-endpoints.js';
import type { FlowlineContext } from '../flowline-context.js';
import { ensureTrustedForRun } from '../trust/restricted-mode.js';
import { resolvePipelineTarget } from './pipeline-target.js';

/** Deploys the given pipeline (CodeLens, menu) or the one at the cursor; resolves with the Flink job id. */
export function deployToFlink(ctx: FlowlineContext) {
    return async (uri?: unknown, pipelineName?: unknown): Promise<string | undefined> => {
        if (!(await ensureTrustedForRun())) return undefined;
        const target = await resolvePipelineTarget(uri, pipelineName, true);
        if (!target?.pipeline) return undefined;
        const { document, pipeline } = target;
        let sql;
        try {
            sql = await ctx.flinkSql.translate(document.uri, pipeline);
        } catch (err) {
            void vscode.window.showErrorMessage(`Could not translate ${pipeline} to Flink SQL: ${err instanceof Error ? err.message : String(err)}`);
            return undefined;
        }
        if (sql.diagnostics.length > 0 || sql.statements.length === 0) {
            const first = sql.diagnostics[0];
            const why = first ? `${sql.diagnostics.length} problem${sql.diagnostics.length > 1 ? 's' : ''} (line ${first.range.start.line + 1}: ${first.construct ? `${first.construct}: ` : ''}${first.message})` : 'it produced no statement';
            void vscode.window.showErrorMessage(`${pipeline} cannot be deployed to Flink: ${why}.`, 'Show Problems', 'Show Flink SQL').then((choice) => {
                if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
                if (choice === 'Show Flink SQL') void ctx.flinkSql.show(document.uri, pipeline);
            });
            return undefined;
        }
        const endpoints = currentFlinkEndpoints(ctx.config);
        const gateway = new SqlGatewayClient(endpoints.sqlGatewayUrl);
        try {
            await gateway.info();
        } catch (err) {
            void explainFlinkUnreachable(endpoints, 'SQL Gateway', err instanceof Error ? err.message : String(err));
            return undefined;
        }
        return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deploying ${pipeline} to Flink at ${endpoints.restUrl}` }, async (progress) => {
            let sent = 0;
            let job;
            try {
                // One SQL Gateway session, as `flowline submit` does; the job outlives the session.
                // The data files the script reads (watermarked values) are written first.
                job = await submitFlinkSql(sql.statements, endpoints, {
                    jobName: pipeline,
                    dataFiles: sql.dataFiles ?? [],
                    onStatement: () => progress.report({ message: `statement ${++sent} of ${sql.statements.length}` })
                });
            } catch (err) {
                const message = err instanceof SqlStatementError ? `Flink refused the statement "${firstLine(err.statement)}": ${err.message}`
                    : err instanceof FlinkRestError || err instanceof Error ? err.message : String(err);
                ctx.log.appendLine(`[flink] deploying ${pipeline} failed: ${message}`);
                void vscode.window.showErrorMessage(`Could not deploy ${pipeline} to Flink: ${message}`, 'Show Flink SQL', 'Show Log').then((choice) => {
                    if (choice === 'Show Flink SQL') void ctx.flinkSql.show(document.uri, pipeline);
                    if (choice === 'Show Log') ctx.log.show(true);
                });
                return undefined;
            }
            const { jobId, webUiUrl } = job;
            ctx.log.appendLine(`[flink] deployed ${pipeline} as Flink job ${jobId} at ${endpoints.restUrl}`);
            ctx.flink.remember(jobId, document.uri.toString(), pipeline);
            await ctx.flink.refresh();
            await vscode.commands.executeCommand('flowline.jobs.focus');
            void vscode.window.showInformationMessage(`Deployed ${pipeline} to Flink as job ${jobId}.`, 'Open Flink Web UI').then((choice) => {
                if (choice) void vscode.env.openExternal(vscode.Uri.parse(webUiUrl));
            });
            return jobId;
        });
    };
}

function firstLine(statement: string): string {
    const line = statement.split('\n')[0];
    return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

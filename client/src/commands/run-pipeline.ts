/**
 * Run Pipeline: asks the language server for the pipeline's LogicalGraph, starts (or reuses)
 * the local cluster, submits the graph through REST and follows the job on the push channel.
 */
import * as vscode from 'vscode';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import type { FlowlineContext } from '../flowline-context.js';
import { requestLogicalGraphs } from '../language/flow-language-client.js';
import { ensureTrustedForRun } from '../trust/restricted-mode.js';
import { ResultsPanel } from '../webviews/results/results-panel.js';
import { resolvePipelineTarget } from './pipeline-target.js';

/** Runs the pipeline given by a CodeLens (uri, name) or the one at the cursor. */
export function runPipeline(ctx: FlowlineContext) {
    return async (uri?: unknown, pipelineName?: unknown): Promise<string | undefined> => {
        if (!(await ensureTrustedForRun())) return undefined;
        const target = await resolvePipelineTarget(uri, pipelineName, true);
        if (!target?.pipeline) return undefined;
        const { document, pipeline } = target;
        let result;
        try {
            result = await requestLogicalGraphs(ctx.client, { uri: document.uri.toString(), pipeline });
        } catch (err) {
            void vscode.window.showErrorMessage(`Could not get the graph of ${pipeline} from the language server: ${err instanceof Error ? err.message : String(err)}`);
            return undefined;
        }
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length > 0) {
            const first = errors[0];
            void vscode.window.showErrorMessage(
                `${pipeline} cannot run: ${vscode.workspace.asRelativePath(document.uri)} has ${errors.length} error${errors.length > 1 ? 's' : ''} (line ${first.range.start.line + 1}: ${first.message}).`,
                'Show Problems'
            ).then((choice) => { if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems'); });
            return undefined;
        }
        const graph = result.graphs.find((g) => g.pipeline === pipeline);
        if (!graph) {
            void vscode.window.showErrorMessage(`The language server returned no graph for pipeline ${pipeline}.`);
            return undefined;
        }
        applyDefaultMode(graph, document, ctx.config.defaultMode);
        ctx.runtimeDiagnostics.delete(document.uri);
        return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Flowline: running ${pipeline}` }, async () => {
            try {
                const connection = await ctx.cluster.ensureStarted();
                const submitted = await connection.rest.submit(graph);
                ctx.log.appendLine(`[run] submitted ${pipeline} as job ${submitted.jobid}`);
                ctx.output.appendLine(`--- ${pipeline} (job ${submitted.jobid}) ---`);
                await ctx.jobs.track(submitted.jobid, graph, document.uri.toString());
                if (graph.nodes.some((n) => n.config.kind === 'sink' && n.config.connector === 'collect')) {
                    ResultsPanel.show(ctx.extensionUri, ctx.jobs, ctx.config, submitted.jobid);
                }
                // Show the Jobs view, then give the focus back to the editor the run came from.
                await vscode.commands.executeCommand('flowline.jobs.focus');
                const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
                if (editor) await vscode.window.showTextDocument(document, { viewColumn: editor.viewColumn, preserveFocus: false });
                return submitted.jobid;
            } catch (err) {
                const message = err instanceof Error ? err.message : String(err);
                void vscode.window.showErrorMessage(`Could not run ${pipeline}: ${message}`, 'Show Log')
                    .then((choice) => { if (choice) ctx.log.show(true); });
                return undefined;
            }
        });
    };
}

/**
 * `flowline.run.defaultMode` applies to pipelines that do not choose a mode themselves; the
 * graph does not record whether `mode` was written, so the pipeline's text is checked for it.
 */
function applyDefaultMode(graph: LogicalGraph, document: vscode.TextDocument, mode: 'automatic' | 'batch' | 'streaming'): void {
    if (mode === 'automatic') return;
    const { start, end } = graph.location.range;
    const text = document.getText(new vscode.Range(start.line, start.character, end.line, end.character));
    if (!/^\s*mode\s+(batch|streaming)\b/m.test(text)) graph.mode = mode;
}

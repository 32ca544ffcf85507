/** Show Job Graph: opens the graph webview beside the editor for a document (and pipeline). */
import * as vscode from 'vscode';
import type { FlowlineContext } from '../flowline-context.js';
import type { FlinkViewNode } from '../flink/flink-tree-item.js';
import { FlinkJobGraphPanel } from '../webviews/job-graph/flink-job-graph-panel.js';
import { JobGraphPanel } from '../webviews/job-graph/job-graph-panel.js';
import { resolvePipelineTarget } from './pipeline-target.js';

/** Opens the job graph of the given or active document. */
export function showJobGraph(ctx: FlowlineContext) {
    return async (uri?: unknown, pipeline?: unknown): Promise<void> => {
        // From a Flink job's row: that job's vertices, as Flink planned them.
        const flinkRow = (uri as Partial<FlinkViewNode> | undefined)?.kind === 'flink' ? (uri as FlinkViewNode).node.row : undefined;
        if (flinkRow?.jid && ctx.flink.last.kind === 'snapshot') {
            await FlinkJobGraphPanel.show(ctx.extensionUri, ctx.flink, ctx.flink.last.endpoints.restUrl, flinkRow.jid);
            return;
        }
        // From the Jobs view: the job's own document and pipeline.
        const job = (uri as { job?: { documentUri?: string; graph?: { pipeline: string } } } | undefined)?.job;
        if (job?.documentUri) {
            uri = vscode.Uri.parse(job.documentUri);
            pipeline = job.graph?.pipeline;
        }
        const target = await resolvePipelineTarget(uri, pipeline, false);
        if (!target) return;
        JobGraphPanel.createOrShow(ctx.extensionUri, ctx.client, ctx.jobs, ctx.config, target.document.uri, target.pipeline);
    };
}

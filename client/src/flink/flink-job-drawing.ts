/**
 * A Flink job as the job graph view draws it: one box per vertex of the job's plan
 * (`/jobs/:id/plan`; Flink chains operators into vertices itself), an arrow per input with its
 * ship strategy, and each box's live figures from the job's vertices (state, records in/out,
 * back-pressure level) and, while it runs, Flink's metrics (records/s, lowest input watermark). No vscode import: unit tests draw the captured Flink answers.
 */
import type { FlinkJobDrawing } from '../../../protocol/webview-messages.js';
import type { FlinkJob, FlinkJobPlan } from './flink-cluster-snapshot.js';
import { isFlinkSource } from './flink-tree-model.js';

/** The drawing of a job from its plan and its latest reading. */
export function flinkJobDrawing(plan: FlinkJobPlan, job: FlinkJob): FlinkJobDrawing {
    const consumed = new Set(plan.plan.nodes.flatMap((n) => (n.inputs ?? []).map((i) => i.id)));
    const summaries = new Map((job.details?.vertices ?? []).map((v) => [v.id, v]));
    const nodes: FlinkJobDrawing['graph']['nodes'] = [];
    const edges: FlinkJobDrawing['graph']['edges'] = [];
    const states: FlinkJobDrawing['states'] = {};
    for (const node of plan.plan.nodes) {
        const summary = summaries.get(node.id);
        const name = summary?.name ?? firstOperator(node.description);
        const source = (node.inputs ?? []).length === 0;
        nodes.push({
            id: node.id,
            label: name,
            detail: operatorsOf(node.description).join(' → '),
            shape: source ? 'source' : consumed.has(node.id) ? 'operator' : 'sink',
            parallelism: node.parallelism,
            nodeIds: [node.id],
            vertexId: node.id
        });
        for (const input of node.inputs ?? []) {
            edges.push({ id: `${input.id}->${node.id}#${input.num}`, source: input.id, target: node.id, label: input.ship_strategy, sourceNode: input.id });
        }
        if (summary && summary.status !== 'RECONCILING') {
            const live = job.live.get(node.id);
            const sink = !source && !consumed.has(node.id);
            states[node.id] = {
                state: summary.status,
                recordsIn: source || isFlinkSource(summary) ? undefined : summary.metrics['read-records'],
                recordsOut: summary.metrics['write-records'],
                // A sink vertex sends nothing on: its rate is what it takes in.
                recordsPerSecond: sink ? live?.recordsInPerSecond : live?.recordsOutPerSecond,
                backpressure: job.backpressure.get(node.id)?.['backpressure-level'] ?? 'ok',
                watermark: live?.watermark ?? null
            };
        }
    }
    return { jid: job.overview.jid, name: job.overview.name, state: job.overview.state, graph: { nodes, edges }, states };
}

/** The operators of a plan node's description (Flink writes `[4]:TableSourceScan(...)<br/>+- [5]:Calc(...)`). */
function operatorsOf(description: string): string[] {
    return description.split('<br/>').map((line) => line.replace(/^[\s+\-|]*/, '').replace(/^\[\d+\]:/, '').replace(/\(.*$/, '').trim()).filter(Boolean);
}

function firstOperator(description: string): string {
    return operatorsOf(description)[0] ?? description;
}

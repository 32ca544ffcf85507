/**
 * What a running job adds to each box: its state, records in/out, records/s, back-pressure
 * level and watermark, from Flink-shaped vertex and subtask metrics. Levels follow Flink: the
 * share of time back-pressured is OK up to 10 %, LOW up to 50 %, HIGH above.
 */
import type { BackpressureLevel, SubtaskInfo } from '../../../../../protocol/cluster-api.js';
import { isSourceVertex } from '../../../../../protocol/cluster-api.js';
import type { JobGraphBoxFigures, JobOverlay } from '../../../../../protocol/webview-messages.js';
import type { DrawNode } from './graph-levels.js';

/** The live figures of one box (the same shape a Flink job's drawing carries). */
export type NodeState = JobGraphBoxFigures;

/** Flink's back-pressure level of a back-pressured-time ratio (0..1). */
export function backpressureLevel(ratio: number): BackpressureLevel {
    return ratio > 0.5 ? 'high' : ratio > 0.1 ? 'low' : 'ok';
}

/** The state of a box, or undefined when the job does not run the box's operators. */
export function nodeState(node: DrawNode, overlay: JobOverlay): NodeState | undefined {
    // The job's vertex that contains the box's first operator (chaining may differ from the preview).
    const summary = overlay.details.vertices.find((v) => v.nodeIds.includes(node.nodeIds[0]));
    if (!summary) return undefined;
    const details = overlay.vertices.find((v) => v.id === summary.id);
    let subtasks: SubtaskInfo[] = details?.subtasks ?? [];
    if (node.subtask !== undefined) subtasks = subtasks.filter((s) => s.subtask === node.subtask);
    const withMetrics = subtasks.filter((s) => s.metrics);
    const sum = (pick: (s: SubtaskInfo) => number): number => withMetrics.reduce((total, s) => total + pick(s), 0);
    const ratio = withMetrics.reduce((max, s) => Math.max(max, s.metrics.backPressuredTimeMsPerSecond / 1000), 0);
    const watermarks = withMetrics.map((s) => s.metrics.currentInputWatermark).filter((w): w is number => w !== null);
    // A vertex counts records once, as Flink does: in at its head, out at its tail. A box that is
    // only part of a chain (the logical level) shows the figure its end of the chain has, if any.
    const head = summary.nodeIds[0] === node.nodeIds[0];
    const tail = summary.nodeIds[summary.nodeIds.length - 1] === node.nodeIds[node.nodeIds.length - 1];
    const source = isSourceVertex(overlay.details, summary.id);
    return {
        state: node.subtask !== undefined && subtasks[0] ? subtasks[0].status : summary.status,
        recordsIn: head && !source ? (withMetrics.length ? sum((s) => s.metrics['read-records']) : summary.metrics['read-records']) : undefined,
        recordsOut: tail ? (withMetrics.length ? sum((s) => s.metrics['write-records']) : summary.metrics['write-records']) : undefined,
        recordsPerSecond: tail ? sum((s) => s.metrics['write-records-per-second']) : undefined,
        backpressure: backpressureLevel(ratio),
        watermark: watermarks.length ? Math.min(...watermarks) : null
    };
}

/**
 * Figures the views derive from a job's Flink-shaped REST payloads: the job's source rate, and a running job's duration now. No vscode import: the views, the
 * status bar and the graph webview all use these, and unit tests run them on plain payloads.
 */
import type { JobDetails, SubtaskInfo, VertexDetails } from '../../../protocol/cluster-api.js';
import { TERMINAL_JOB_STATES } from '../../../protocol/cluster-api.js';

/**
 * The job's input rate: records per second its sources emit, summed over the source subtasks.
 * Not the vertices' out rate (an operator chained after the source, a filter say, would lower
 * it) and not a sum over every vertex (a record counted at each vertex it passes would multiply
 * the rate by the pipeline's length).
 */
export function sourceRecordsPerSecond(vertices: Iterable<VertexDetails>): number {
    let rate = 0;
    for (const vertex of vertices) {
        for (const subtask of vertex.subtasks) rate += subtask.metrics?.sourceRecordsPerSecond ?? 0;
    }
    return rate;
}

/** Records in/out of one subtask as the views print them; a source shows no "in". */
export function subtaskRecords(subtask: SubtaskInfo, source: boolean): string {
    return subtask.metrics ? recordsInOut(subtask.metrics, source) : '';
}

/** Records in/out of a vertex or subtask as the views print them; a source shows no "in". */
export function recordsInOut(metrics: { 'read-records': number; 'write-records': number }, source: boolean): string {
    return source ? `out ${metrics['write-records']}` : `in ${metrics['read-records']} · out ${metrics['write-records']}`;
}

/**
 * How long the job has run: REST's figure for an ended job; for a running one, counted on from
 * the moment REST answered (its `now`; the cluster runs on this machine, so the clocks agree),
 * so the figure keeps ticking between reads.
 */
export function jobDuration(details: JobDetails, nowMs: number): number {
    if (TERMINAL_JOB_STATES.includes(details.state) || details['start-time'] <= 0) return details.duration;
    return details.duration + Math.max(0, nowMs - details.now);
}

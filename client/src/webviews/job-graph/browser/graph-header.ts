/**
 * The job graph's header texts: the pipeline's fault-tolerance settings (from its LogicalGraph,
 * so they show before any run) and, while a job of it runs or after, its state with its last
 * checkpoint. Pure functions, unit tested on captured REST payloads.
 */
import type { LogicalGraph } from '../../../../../protocol/logical-graph.js';
import type { JobOverlay } from '../../../../../protocol/webview-messages.js';
import { effectiveRestartStrategy } from '../../../../../protocol/checkpoints.js';
import { describeCheckpointing, describeRestartStrategy, formatAge, formatBytes, formatMs, summarizeCheckpoints } from '../../../../../protocol/fault-tolerance-text.js';

/** `checkpoint every 10s, exactly once · restart: fixed delay: up to 3 restarts, 1s apart`, or '' for a pipeline with neither. */
export function settingsText(graph: LogicalGraph): string {
    if (!graph.checkpointing && !graph.restartStrategy) return '';
    const parts: string[] = [];
    if (graph.checkpointing) parts.push(`checkpoint ${describeCheckpointing(graph.checkpointing)}`);
    parts.push(`restart: ${describeRestartStrategy(effectiveRestartStrategy(graph.restartStrategy, graph.checkpointing))}`);
    return parts.join(' · ');
}

/** `Job RUNNING · checkpoint #13 2.1s ago (66ms, 593 B)`; the checkpoint part only when the job takes checkpoints. */
export function jobText(overlay: JobOverlay, now: number): string {
    const state = `Job ${overlay.details.state}`;
    if (!overlay.checkpoints) return state;
    const summary = summarizeCheckpoints(overlay.checkpoints);
    const latest = summary.latest;
    const last = latest
        ? `${latest.savepoint ? 'savepoint' : 'checkpoint'} #${latest.id} ${formatAge(now - latest.completedAt)} ago (${formatMs(latest.durationMs)}, ${formatBytes(latest.sizeBytes)})`
        : 'no checkpoint yet';
    return `${state} · ${last}${summary.failed > 0 ? ` · ${summary.failed} failed` : ''}`;
}

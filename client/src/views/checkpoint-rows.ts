/**
 * The Checkpoints section of a job in the Jobs view, from GET /jobs/:jid/checkpoints (Flink's
 * CheckpointingStatistics): a one-line description for the section and one row per figure (last
 * completed checkpoint, its duration and size, counts, failures, the restore). vscode-free, so
 * it is unit tested on captured REST payloads.
 */
import type { CheckpointingStatistics } from '../../../protocol/checkpoints.js';
import { formatAge, formatBytes, formatMs, summarizeCheckpoints } from '../../../protocol/fault-tolerance-text.js';

/** One row under a job's Checkpoints section. */
export interface CheckpointRow {
    label: string;
    description: string;
    tooltip?: string;
    /** A row that reports a failure (shown with a warning icon). */
    warning?: boolean;
}

/** The section's description: `13 completed · last #13 2.1s ago` (or that none completed yet). */
export function checkpointsDescription(stats: CheckpointingStatistics, now: number): string {
    const summary = summarizeCheckpoints(stats);
    const parts = [`${summary.completed} completed`];
    if (summary.failed > 0) parts.push(`${summary.failed} failed`);
    parts.push(summary.latest ? `last #${summary.latest.id} ${formatAge(now - summary.latest.completedAt)} ago` : 'none completed yet');
    return parts.join(' · ');
}

/** The rows of the section. */
export function checkpointRows(stats: CheckpointingStatistics, now: number): CheckpointRow[] {
    const summary = summarizeCheckpoints(stats);
    const rows: CheckpointRow[] = [];
    const latest = summary.latest;
    if (latest) {
        rows.push({
            label: latest.savepoint ? 'Last savepoint' : 'Last completed',
            description: `#${latest.id} · ${formatAge(now - latest.completedAt)} ago`,
            tooltip: `${latest.savepoint ? 'Savepoint' : 'Checkpoint'} ${latest.id}, completed ${new Date(latest.completedAt).toISOString()}${latest.path ? `\n${latest.path}` : ''}`
        });
        const durations = stats.summary.end_to_end_duration;
        rows.push({
            label: 'Duration', description: formatMs(latest.durationMs),
            tooltip: `From trigger to the last acknowledgement. Over the completed checkpoints: min ${formatMs(durations.min)}, avg ${formatMs(durations.avg)}, max ${formatMs(durations.max)}`
        });
        rows.push({ label: 'Size', description: formatBytes(latest.sizeBytes), tooltip: `State written for this checkpoint; largest so far ${formatBytes(stats.summary.state_size.max)}` });
    } else {
        rows.push({ label: 'Last completed', description: 'none yet' });
    }
    const counts = [`${summary.completed} completed`, `${summary.inProgress} in progress`, `${summary.failed} failed`];
    rows.push({ label: 'Counts', description: counts.join(' · '), tooltip: `${stats.counts.total} triggered` });
    if (summary.lastFailure) {
        rows.push({
            label: 'Last failure', description: `#${summary.lastFailure.id} · ${formatAge(now - summary.lastFailure.at)} ago: ${summary.lastFailure.message}`,
            tooltip: summary.lastFailure.message, warning: true
        });
    }
    const restored = stats.latest.restored;
    if (restored) {
        rows.push({
            label: 'Restored', description: `from ${restored.is_savepoint ? 'savepoint' : 'checkpoint'} #${restored.id} · ${formatAge(now - restored.restore_timestamp)} ago`,
            tooltip: restored.external_path
        });
    }
    return rows;
}

/**
 * Checkpointing and restart settings, and checkpoint figures, in words: one reading shared by the
 * language server's hover, the job graph's header, the Jobs view and `flowline run`'s display,
 * so every place says the same thing about a job. Dependency-free.
 */
import {
    DEFAULT_RESTART_ATTEMPTS_WITH_CHECKPOINTING, type CheckpointingSettings, type CheckpointingStatistics, type RestartStrategySettings
} from './checkpoints.js';

/** A checkpointing setting in words, e.g. "every 10s, exactly once". */
export function describeCheckpointing(settings: CheckpointingSettings): string {
    return `every ${formatMs(settings.intervalMs)}, ${settings.mode === 'exactly-once' ? 'exactly once' : 'at least once'}`;
}

/** A restart strategy in words, e.g. "fixed delay: up to 3 restarts, 1s apart". */
export function describeRestartStrategy(strategy: RestartStrategySettings): string {
    switch (strategy.kind) {
        case 'fixed-delay':
            return strategy.attempts >= DEFAULT_RESTART_ATTEMPTS_WITH_CHECKPOINTING
                ? `fixed delay: restarts without limit, ${formatMs(strategy.delayMs)} apart`
                : `fixed delay: up to ${plural(strategy.attempts, 'restart')}, ${formatMs(strategy.delayMs)} apart`;
        case 'exponential-delay':
            return `exponential delay: ${formatMs(strategy.initialMs)}, then ×${strategy.multiplier} per failure up to ${formatMs(strategy.maxMs)}`
                + (strategy.resetAfterMs !== undefined ? `, back to ${formatMs(strategy.initialMs)} after ${formatMs(strategy.resetAfterMs)} without failure` : '')
                + (strategy.attempts !== undefined ? `; at most ${plural(strategy.attempts, 'restart')}` : '; no limit of restarts');
        case 'failure-rate':
            return `failure rate: restart ${formatMs(strategy.delayMs)} after a failure; more than ${plural(strategy.maxFailures, 'failure')} within ${formatMs(strategy.intervalMs)} fail the job`;
        case 'none':
            return 'no restarts: the first failure fails the job';
    }
}

/** Milliseconds as the shortest duration literal that reads them (`90000` -> `1m30s`, `0` -> `0s`). */
export function formatMs(ms: number): string {
    if (!(ms > 0)) return '0s';
    const units: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
    let rest = Math.round(ms);
    let text = '';
    for (const [unit, size] of units) {
        const amount = Math.floor(rest / size);
        if (amount > 0) {
            text += `${amount}${unit}`;
            rest -= amount * size;
        }
    }
    return text;
}

/** Bytes as people read them: `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function formatBytes(bytes: number): string {
    if (bytes < 1024) return `${bytes} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The figures of a job's checkpoints that the views show (from GET /jobs/:jid/checkpoints). */
export interface CheckpointSummary {
    completed: number;
    failed: number;
    inProgress: number;
    restored: number;
    /** The latest completed checkpoint (or savepoint), if any. */
    latest?: { id: number; savepoint: boolean; completedAt: number; durationMs: number; sizeBytes: number; path?: string };
    /** The latest failed checkpoint's id and message, if any. */
    lastFailure?: { id: number; at: number; message: string };
}

/** Reads the figures the views show out of Flink's CheckpointingStatistics payload. */
export function summarizeCheckpoints(stats: CheckpointingStatistics): CheckpointSummary {
    const summary: CheckpointSummary = {
        completed: stats.counts.completed, failed: stats.counts.failed, inProgress: stats.counts.in_progress, restored: stats.counts.restored
    };
    // The newest of the latest checkpoint and the latest savepoint.
    const latest = [stats.latest.completed, stats.latest.savepoint]
        .filter((c): c is NonNullable<typeof c> => c !== null)
        .sort((a, b) => b.latest_ack_timestamp - a.latest_ack_timestamp)[0];
    if (latest) {
        summary.latest = {
            id: latest.id, savepoint: latest.is_savepoint, completedAt: latest.latest_ack_timestamp,
            durationMs: latest.end_to_end_duration, sizeBytes: latest.state_size, ...(latest.external_path ? { path: latest.external_path } : {})
        };
    }
    const failed = stats.latest.failed;
    if (failed) summary.lastFailure = { id: failed.id, at: failed.failure_timestamp ?? failed.latest_ack_timestamp, message: failed.failure_message ?? 'failed' };
    return summary;
}

/** One line for a terminal: `checkpoints: 4 completed, 1 failed | last #4 2.1s ago, took 38ms, 14.2 KiB`. */
export function describeCheckpointSummary(summary: CheckpointSummary, now: number): string {
    const counts = [`${summary.completed} completed`, `${summary.failed} failed`];
    if (summary.inProgress > 0) counts.push(`${summary.inProgress} in progress`);
    if (summary.restored > 0) counts.push(`restored ${summary.restored}×`);
    const latest = summary.latest;
    const last = latest
        ? ` | last ${latest.savepoint ? 'savepoint' : ''}#${latest.id} ${formatAge(now - latest.completedAt)} ago, took ${formatMs(latest.durationMs)}, ${formatBytes(latest.sizeBytes)}`
        : ' | none completed yet';
    return `checkpoints: ${counts.join(', ')}${last}`;
}

/** An age in seconds with one decimal under a minute (`2.1s`), else as a duration (`3m5s`). */
export function formatAge(ms: number): string {
    const clamped = Math.max(0, ms);
    return clamped < 60_000 ? `${(clamped / 1000).toFixed(1)}s` : formatMs(Math.round(clamped / 1000) * 1000);
}

/**
 * The job's checkpointing and restart strategy as Flink configuration (`SET` statements): the
 * pipeline header's `checkpoint every ...` and `restart ...` (LogicalGraph `checkpointing`,
 * `restartStrategy`) under Flink's own option names, so a job fails and recovers on Flink as it
 * does on the local runtime.
 */
import {
    effectiveRestartStrategy, type CheckpointingSettings, type RestartStrategySettings
} from '../../../protocol/checkpoints.js';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';

/** The interval Flink checkpoints at when only a streaming file sink needs checkpoints (to commit its files). */
const FILE_SINK_CHECKPOINT_INTERVAL_MS = 1000;

/**
 * The `SET` statements (without `;`) for a graph with `fileSinks` file sinks.
 * - Checkpointing as the header sets it (streaming only: Flink takes none in batch mode); without
 *   it, a streaming job with a file sink still checkpoints every second, since Flink's streaming
 *   file sink commits its files on checkpoints (the last one when the input ends).
 * - The restart strategy as the header sets it; without one, what the local runtime does
 *   (`effectiveRestartStrategy`): none without checkpointing, which for the file-sink
 *   checkpoints above is written out (Flink's default with checkpointing restarts for ever, so a
 *   missing file would never end the job), and Flink's fixed delay without limit when the header
 *   asks for checkpoints.
 */
export function faultToleranceSettings(graph: LogicalGraph, fileSinks: number): string[] {
    const streaming = graph.mode === 'streaming';
    const checkpointing = streaming ? graph.checkpointing : undefined;
    const statements: string[] = [];
    if (checkpointing) {
        statements.push(...checkpointingSettings(checkpointing));
    } else if (streaming && fileSinks > 0) {
        statements.push(set('execution.checkpointing.interval', flinkDuration(FILE_SINK_CHECKPOINT_INTERVAL_MS)));
    }
    const flinkCheckpoints = checkpointing !== undefined || (streaming && fileSinks > 0);
    if (graph.restartStrategy || flinkCheckpoints) {
        statements.push(...restartSettings(effectiveRestartStrategy(graph.restartStrategy, checkpointing)));
    }
    return statements;
}

function checkpointingSettings(settings: CheckpointingSettings): string[] {
    const statements = [
        set('execution.checkpointing.interval', flinkDuration(settings.intervalMs)),
        set('execution.checkpointing.mode', settings.mode === 'exactly-once' ? 'EXACTLY_ONCE' : 'AT_LEAST_ONCE')
    ];
    if (settings.retained !== undefined) statements.push(set('execution.checkpointing.num-retained', String(settings.retained)));
    if (settings.timeoutMs !== undefined) statements.push(set('execution.checkpointing.timeout', flinkDuration(settings.timeoutMs)));
    if (settings.tolerableFailedCheckpoints !== undefined) {
        statements.push(set('execution.checkpointing.tolerable-failed-checkpoints', String(settings.tolerableFailedCheckpoints)));
    }
    return statements;
}

function restartSettings(strategy: RestartStrategySettings): string[] {
    const prefix = `restart-strategy.${strategy.kind}`;
    switch (strategy.kind) {
        case 'none':
            return [set('restart-strategy.type', 'none')];
        case 'fixed-delay':
            return [
                set('restart-strategy.type', 'fixed-delay'),
                set(`${prefix}.attempts`, String(strategy.attempts)),
                set(`${prefix}.delay`, flinkDuration(strategy.delayMs))
            ];
        case 'exponential-delay':
            return [
                set('restart-strategy.type', 'exponential-delay'),
                set(`${prefix}.initial-backoff`, flinkDuration(strategy.initialMs)),
                set(`${prefix}.max-backoff`, flinkDuration(strategy.maxMs)),
                set(`${prefix}.backoff-multiplier`, String(strategy.multiplier)),
                ...(strategy.resetAfterMs !== undefined ? [set(`${prefix}.reset-backoff-threshold`, flinkDuration(strategy.resetAfterMs))] : []),
                ...(strategy.attempts !== undefined ? [set(`${prefix}.attempts-before-reset-backoff`, String(strategy.attempts))] : []),
                // Flink adds up to 10% random jitter by default; the local runtime adds none.
                set(`${prefix}.jitter-factor`, '0')
            ];
        case 'failure-rate':
            return [
                set('restart-strategy.type', 'failure-rate'),
                set(`${prefix}.max-failures-per-interval`, String(strategy.maxFailures)),
                set(`${prefix}.failure-rate-interval`, flinkDuration(strategy.intervalMs)),
                set(`${prefix}.delay`, flinkDuration(strategy.delayMs))
            ];
    }
}

function set(key: string, value: string): string {
    return `SET '${key}' = '${value}'`;
}

/** Milliseconds in Flink's duration syntax: whole seconds as `N s`, otherwise `N ms`. */
function flinkDuration(ms: number): string {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

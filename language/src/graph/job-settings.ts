/**
 * The pipeline header's fault-tolerance settings (`checkpoint every ...`, `restart ...`) as the
 * LogicalGraph carries them (protocol/checkpoints.ts), with Flink's defaults for the parts the
 * text leaves out. The graph builder and the hover read them from here, so what the hover says
 * a setting means is what a run gets (in words: protocol/fault-tolerance-text.ts).
 */
import type { CheckpointingSettings, RestartStrategySettings } from '../../../protocol/checkpoints.js';
import {
    type CheckpointSetting, type Pipeline, type RestartStrategy, isCheckpointSetting,
    isExponentialDelayRestart, isFailureRateRestart, isFixedDelayRestart, isRestartSetting
} from '../generated/ast.js';
import { durationToMs } from '../typing/durations.js';

/**
 * Flink 2's defaults for the options a restart setting may leave out
 * (RestartStrategyOptions: `restart-strategy.<type>.*`).
 */
export const FLINK_RESTART_DEFAULTS = {
    fixedDelayMs: 1000,
    failureRateDelayMs: 1000,
    exponentialInitialMs: 1000,
    exponentialMaxMs: 60_000,
    exponentialMultiplier: 1.5,
    exponentialResetAfterMs: 3_600_000
} as const;

/** The checkpointing a pipeline's header asks for, or undefined without `checkpoint every`. */
export function checkpointingOf(pipeline: Pipeline): CheckpointingSettings | undefined {
    const setting = pipeline.members.find(isCheckpointSetting);
    return setting ? checkpointingSettings(setting) : undefined;
}

/** The restart strategy a pipeline's header gives, or undefined without `restart`. */
export function restartStrategyOf(pipeline: Pipeline): RestartStrategySettings | undefined {
    const setting = pipeline.members.find(isRestartSetting);
    return setting?.strategy ? restartStrategySettings(setting.strategy) : undefined;
}

export function checkpointingSettings(setting: CheckpointSetting): CheckpointingSettings | undefined {
    if (!setting.interval) return undefined; // a syntax error, reported by the parser
    return { intervalMs: durationToMs(setting.interval), mode: setting.atLeastOnce ? 'at-least-once' : 'exactly-once' };
}

export function restartStrategySettings(strategy: RestartStrategy): RestartStrategySettings {
    const ms = (duration: string | undefined, fallback: number) => (duration ? durationToMs(duration) : fallback);
    if (isFixedDelayRestart(strategy)) {
        return { kind: 'fixed-delay', attempts: strategy.attempts, delayMs: ms(strategy.delay, FLINK_RESTART_DEFAULTS.fixedDelayMs) };
    }
    if (isExponentialDelayRestart(strategy)) {
        return {
            kind: 'exponential-delay',
            initialMs: ms(strategy.initial, FLINK_RESTART_DEFAULTS.exponentialInitialMs),
            maxMs: ms(strategy.max, FLINK_RESTART_DEFAULTS.exponentialMaxMs),
            multiplier: strategy.multiplier ?? FLINK_RESTART_DEFAULTS.exponentialMultiplier,
            resetAfterMs: ms(strategy.resetAfter, FLINK_RESTART_DEFAULTS.exponentialResetAfterMs),
            ...(strategy.attempts !== undefined ? { attempts: strategy.attempts } : {})
        };
    }
    if (isFailureRateRestart(strategy)) {
        return {
            kind: 'failure-rate', maxFailures: strategy.maxFailures, intervalMs: ms(strategy.interval, 0),
            delayMs: ms(strategy.delay, FLINK_RESTART_DEFAULTS.failureRateDelayMs)
        };
    }
    return { kind: 'none' };
}

/**
 * Checks of the pipeline header's fault-tolerance settings (`checkpoint every ...`,
 * `restart ...`), with Flink's own limits, so a setting the local runtime accepts also starts on
 * Flink (where Flink would refuse it at submission, the message here says why first).
 */
import type { ValidationAcceptor } from 'langium';
import { AstUtils } from 'langium';
import {
    type CheckpointSetting, type ExponentialDelayRestart, type FailureRateRestart, isPipeline
} from '../generated/ast.js';
import { durationToMs } from '../typing/durations.js';
import { pipelineMode } from '../typing/pipeline-facts.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import type { FlowServices } from '../flow-module.js';
import { FLINK_RESTART_DEFAULTS } from '../graph/job-settings.js';
import { IssueCodes } from './issue-codes.js';

/** Flink's smallest checkpoint interval (CheckpointConfig.MINIMAL_CHECKPOINT_TIME). */
export const MIN_CHECKPOINT_INTERVAL_MS = 10;

export class JobSettingChecks {
    private readonly inference: SchemaInference;

    constructor(services: FlowServices) {
        this.inference = services.typing.SchemaInference;
    }

    checkCheckpoint(setting: CheckpointSetting, accept: ValidationAcceptor): void {
        if (!setting.interval) return; // a syntax error, reported by the parser
        if (durationToMs(setting.interval) < MIN_CHECKPOINT_INTERVAL_MS) {
            accept('error', `A checkpoint interval is at least ${MIN_CHECKPOINT_INTERVAL_MS}ms (as in Flink); '${setting.interval}' is shorter.`,
                { node: setting, property: 'interval', data: { code: IssueCodes.InvalidCheckpointInterval } });
        }
        const pipeline = AstUtils.getContainerOfType(setting, isPipeline);
        if (pipeline && pipelineMode(pipeline, this.inference) === 'batch') {
            accept('warning', "A batch job takes no checkpoints (as Flink in batch mode): this setting has no effect, and a restart reads the inputs again from the start. Write 'mode streaming' to checkpoint.",
                { node: setting, keyword: 'checkpoint', data: { code: IssueCodes.CheckpointInBatch } });
        }
    }

    checkExponentialDelay(strategy: ExponentialDelayRestart, accept: ValidationAcceptor): void {
        const initial = strategy.initial ? durationToMs(strategy.initial) : FLINK_RESTART_DEFAULTS.exponentialInitialMs;
        const max = strategy.max ? durationToMs(strategy.max) : FLINK_RESTART_DEFAULTS.exponentialMaxMs;
        const invalid = (property: 'initial' | 'max' | 'multiplier' | 'resetAfter' | 'attempts', message: string) =>
            accept('error', message, { node: strategy, property, data: { code: IssueCodes.InvalidRestartStrategy } });
        if (strategy.initial && initial < 1) invalid('initial', 'The first restart delay is at least 1ms (as in Flink).');
        if (strategy.max && max < 1) invalid('max', 'The largest restart delay is at least 1ms (as in Flink).');
        if (initial > max) {
            invalid(strategy.max ? 'max' : 'initial',
                `The restart delay starts at ${strategy.initial ?? '1s'} but may grow only to ${strategy.max ?? '1m'}: 'max' must be at least 'delay'.`);
        }
        if (strategy.multiplier !== undefined && !(strategy.multiplier > 1)) {
            invalid('multiplier', `The delay's multiplier must be greater than 1 (as in Flink); for a constant delay write 'restart fixed <attempts> delay ...'.`);
        }
        if (strategy.resetAfter && durationToMs(strategy.resetAfter) < 1) {
            invalid('resetAfter', "'reset after' is at least 1ms (as in Flink).");
        }
        if (strategy.attempts !== undefined && strategy.attempts < 1) {
            invalid('attempts', "'attempts' is at least 1 (as in Flink); for no restarts write 'restart none'.");
        }
    }

    checkFailureRate(strategy: FailureRateRestart, accept: ValidationAcceptor): void {
        if (strategy.maxFailures !== undefined && strategy.maxFailures < 1) {
            accept('error', "The failures allowed per interval are at least 1 (as in Flink); for no restarts write 'restart none'.",
                { node: strategy, property: 'maxFailures', data: { code: IssueCodes.InvalidRestartStrategy } });
        }
        if (strategy.interval && durationToMs(strategy.interval) < 1) {
            accept('error', "The failure-rate interval ('per ...') must be longer than 0 (as in Flink).",
                { node: strategy, property: 'interval', data: { code: IssueCodes.InvalidRestartStrategy } });
        }
    }
}

/**
 * Restart strategies with Flink's meanings (protocol/checkpoints.ts RestartStrategySettings):
 * after each failure, whether the job restarts and after how long.
 */
import type { RestartStrategySettings } from '../../../protocol/checkpoints.js';

/** Flink's exponential-delay reset-backoff-threshold default: 1 hour without failure. */
const DEFAULT_RESET_AFTER_MS = 60 * 60_000;

export class RestartBackoff {
    /** Restarts so far. */
    restarts = 0;
    private failures: number[] = [];
    private delay: number;
    private lastFailure = -Infinity;

    constructor(readonly settings: RestartStrategySettings) {
        this.delay = settings.kind === 'exponential-delay' ? settings.initialMs : 0;
    }

    /** A failure happened at `now`: the delay before restarting, or undefined when the job must fail. */
    onFailure(now: number): number | undefined {
        const s = this.settings;
        let delay: number | undefined;
        switch (s.kind) {
            case 'none':
                delay = undefined;
                break;
            case 'fixed-delay':
                delay = this.restarts < s.attempts ? s.delayMs : undefined;
                break;
            case 'failure-rate':
                // More than maxFailures failures within the interval fail the job.
                this.failures = this.failures.filter((t) => now - t < s.intervalMs);
                this.failures.push(now);
                delay = this.failures.length > s.maxFailures ? undefined : s.delayMs;
                break;
            case 'exponential-delay': {
                if (now - this.lastFailure >= (s.resetAfterMs ?? DEFAULT_RESET_AFTER_MS)) this.delay = s.initialMs;
                if (s.attempts !== undefined && this.restarts >= s.attempts) {
                    delay = undefined;
                    break;
                }
                delay = this.delay;
                this.delay = Math.min(this.delay * s.multiplier, s.maxMs);
                break;
            }
        }
        this.lastFailure = now;
        if (delay !== undefined) this.restarts++;
        return delay;
    }

    /** For messages: `fixed-delay (3 attempts, 1000 ms apart)`. */
    describe(): string {
        const s = this.settings;
        switch (s.kind) {
            case 'none': return 'none';
            case 'fixed-delay': return `fixed-delay (${s.attempts} attempts, ${s.delayMs} ms apart)`;
            case 'failure-rate': return `failure-rate (at most ${s.maxFailures} failures per ${s.intervalMs} ms, ${s.delayMs} ms delay)`;
            case 'exponential-delay': return `exponential-delay (${s.initialMs} ms to ${s.maxMs} ms, x${s.multiplier}${s.attempts !== undefined ? `, ${s.attempts} attempts` : ''})`;
        }
    }
}

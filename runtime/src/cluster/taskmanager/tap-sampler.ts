/**
 * One tap on one TaskManager: sees every record the tapped node produces on this TaskManager's
 * subtasks, keeps those the tap's filter accepts, and samples at most `recordsPerSecond` of them
 * per second (a budget shared by the subtasks, refilled on each tick). Samples are spread over the
 * stream rather than taken in a burst: each tick picks every n-th matching record, n from how many
 * matched during the previous tick. Counts are kept so the user knows it is a sample.
 */
import { compileExpression, type CompiledExpression } from '../../expressions/compile-expression.js';
import type { Row } from '../../operators/operator.js';
import type { RecordHook } from '../../operators/stage-taps.js';
import type { TapBatch, TapSpec } from '../taskmanager-protocol.js';

export class TapSampler {
    private readonly filter: CompiledExpression | undefined;
    /** Records that may still be sampled (refilled each tick, capped at one tick's worth or 1). */
    private budget: number;
    /** Sample every `stride`-th matching record; `countdown` records until the next one. */
    private stride = 1;
    private countdown = 1;
    private matchedThisTick = 0;
    // Since the last batch was taken:
    private seen = 0;
    private matched = 0;
    private sampled = 0;
    private records: TapBatch['records'] = [];

    constructor(readonly spec: TapSpec, private readonly tickSeconds: number) {
        // The JobManager compiled the filter already; a throwing filter counts as "no match".
        this.filter = spec.filter ? compileExpression(spec.filter) : undefined;
        this.budget = this.tickBudgetCap();
    }

    /** The hook a subtask's tap point calls with each record the node produces. */
    hookFor(subtask: number): RecordHook {
        return (row) => this.offer(row, subtask);
    }

    private offer(row: Row, subtask: number): void {
        this.seen++;
        if (this.filter !== undefined && !this.accepts(row)) return;
        this.matched++;
        this.matchedThisTick++;
        if (--this.countdown > 0 || this.budget < 1) return;
        this.countdown = this.stride;
        this.budget--;
        this.sampled++;
        // A copy: the record travels on through the chain, and operators after this one may reuse it.
        this.records.push({ subtask, record: structuredClone(row) });
    }

    private accepts(row: Row): boolean {
        try {
            return this.filter!(row) === true;
        } catch {
            // A tap never fails the job: a filter that cannot be evaluated on a record rejects it.
            return false;
        }
    }

    /** A tick passed: refill the budget and spread the next samples over the expected records. */
    tick(): void {
        const perTick = this.spec.recordsPerSecond * this.tickSeconds;
        this.budget = Math.min(this.budget + perTick, this.tickBudgetCap());
        this.stride = Math.max(1, Math.floor(this.matchedThisTick / Math.max(perTick, 1)));
        this.matchedThisTick = 0;
    }

    /** What was sampled and counted since the last call; undefined when nothing happened. */
    take(): TapBatch | undefined {
        if (this.seen === 0 && this.records.length === 0) return undefined;
        const batch: TapBatch = { tapId: this.spec.tapId, jobId: this.spec.jobId, records: this.records, seen: this.seen, matched: this.matched, sampled: this.sampled };
        this.records = [];
        this.seen = 0;
        this.matched = 0;
        this.sampled = 0;
        return batch;
    }

    private tickBudgetCap(): number {
        return Math.max(1, this.spec.recordsPerSecond * this.tickSeconds);
    }
}

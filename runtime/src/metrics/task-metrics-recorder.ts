/**
 * Counts what one running subtask does (records and bytes in and out, busy / idle /
 * back-pressured time, watermark, source progress) and turns it into periodic snapshots with
 * rates. Counting is per batch, never per record.
 */
import type { SubtaskMetrics } from '../../../protocol/cluster-api.js';

type TimeState = 'idle' | 'busy' | 'backpressured';

/** The accumulating metrics of one subtask, owned by its task inside a TaskManager thread. */
export class TaskMetricsRecorder {
    recordsIn = 0;
    recordsOut = 0;
    bytesIn = 0;
    bytesOut = 0;
    lateDropped = 0;
    skipped = 0;
    deadLettered = 0;
    watermark: number | null = null;
    progress: number | null = null;
    /** Records the task's source emitted; null when the task has no source. */
    sourceRecords: number | null = null;
    /** The steps of the task's chain (SubtaskMetrics.operatorSteps), set once the chain is built. */
    operatorSteps = 0;
    /** Gauges (SubtaskMetrics.inputQueueLength / outputQueueLength), set by the TaskManager before each snapshot. */
    inputQueueLength = 0;
    outputQueueLength = 0;

    private state: TimeState = 'idle';
    private since = performance.now();
    private readonly totals: Record<TimeState, number> = { idle: 0, busy: 0, backpressured: 0 };
    private last = { at: performance.now(), recordsIn: 0, recordsOut: 0, sourceRecords: 0, idle: 0, busy: 0, backpressured: 0 };

    /** Marks the start of a new time state (busy processing, idle waiting for input, blocked on output). */
    enter(state: TimeState): void {
        if (state === this.state) return;
        const now = performance.now();
        this.totals[this.state] += now - this.since;
        this.state = state;
        this.since = now;
    }

    /** A snapshot with rates over the time since the previous snapshot; `final` marks counters complete. */
    snapshot(final: boolean): SubtaskMetrics {
        const now = performance.now();
        const totals = { ...this.totals };
        totals[this.state] += now - this.since;
        const elapsed = Math.max(1, now - this.last.at);
        const perSecond = (value: number, previous: number): number => Math.round(((value - previous) * 1000) / elapsed);
        const share = (key: TimeState): number => Math.min(1000, Math.max(0, perSecond(totals[key], this.last[key])));
        const metrics: SubtaskMetrics = {
            'read-bytes': this.bytesIn, 'read-bytes-complete': final,
            'write-bytes': this.bytesOut, 'write-bytes-complete': final,
            'read-records': this.recordsIn, 'read-records-complete': final,
            'write-records': this.recordsOut, 'write-records-complete': final,
            'read-records-per-second': perSecond(this.recordsIn, this.last.recordsIn),
            'write-records-per-second': perSecond(this.recordsOut, this.last.recordsOut),
            busyTimeMsPerSecond: share('busy'),
            idleTimeMsPerSecond: share('idle'),
            backPressuredTimeMsPerSecond: share('backpressured'),
            accumulatedBackpressuredTimeMs: Math.round(totals.backpressured),
            currentInputWatermark: this.watermark,
            sourceProgress: this.progress,
            sourceRecordsPerSecond: this.sourceRecords === null ? null : perSecond(this.sourceRecords, this.last.sourceRecords),
            sourceRecords: this.sourceRecords,
            lateRecordsDropped: this.lateDropped,
            skippedRecords: this.skipped,
            deadLetteredRecords: this.deadLettered,
            operatorSteps: this.operatorSteps,
            inputQueueLength: this.inputQueueLength,
            outputQueueLength: this.outputQueueLength
        };
        this.last = { at: now, recordsIn: this.recordsIn, recordsOut: this.recordsOut, sourceRecords: this.sourceRecords ?? 0, ...totals };
        return metrics;
    }
}

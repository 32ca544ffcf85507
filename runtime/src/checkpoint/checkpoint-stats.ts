/**
 * A job's checkpoint statistics, as GET /jobs/:jid/checkpoints returns them (Flink's
 * CheckpointingStatistics: counts, summary over completed checkpoints, latest, history).
 */
import {
    CHECKPOINT_HISTORY_SIZE, type CheckpointDurationSplit, type CheckpointStatistics, type CheckpointingStatistics, type RestoredCheckpointStatistics,
    type StatsSummary, type TaskCheckpointStatistics
} from '../../../protocol/checkpoints.js';

/** One checkpoint as the tracker follows it. */
export interface TrackedCheckpoint {
    id: number;
    triggerTimestamp: number;
    numSubtasks: number;
    /** Per vertex id: subtasks, acknowledged so far, bytes, latest ack, and the latest ack's duration split. */
    tasks: Map<string, { subtasks: number; acknowledged: number; size: number; latestAck: number; alignmentBuffered: number; split?: CheckpointDurationSplit }>;
    /** A savepoint (SYNC_SAVEPOINT: stop-with-savepoint, as Flink names it); absent for checkpoints. */
    savepoint?: 'SAVEPOINT' | 'SYNC_SAVEPOINT';
}

export class CheckpointStatsTracker {
    private readonly history: CheckpointStatistics[] = [];
    private readonly completedSizes: number[] = [];
    private readonly completedDurations: number[] = [];
    private readonly alignments: number[] = [];
    private counts = { restored: 0, total: 0, in_progress: 0, completed: 0, failed: 0 };
    private latestCompleted: CheckpointStatistics | null = null;
    private latestFailed: CheckpointStatistics | null = null;
    private latestSavepoint: CheckpointStatistics | null = null;
    private restored: RestoredCheckpointStatistics | null = null;

    triggered(): void {
        this.counts.total++;
        this.counts.in_progress++;
    }

    completed(c: TrackedCheckpoint, externalPath: string, now: number): CheckpointStatistics {
        const entry = this.entry(c, 'completed', 'COMPLETED', now);
        entry.external_path = externalPath;
        entry.discarded = false;
        this.counts.in_progress--;
        this.counts.completed++;
        this.completedSizes.push(entry.state_size);
        this.completedDurations.push(entry.end_to_end_duration);
        this.alignments.push(entry.alignment_buffered);
        if (c.savepoint) this.latestSavepoint = entry;
        else this.latestCompleted = entry;
        this.push(entry);
        return entry;
    }

    failed(c: TrackedCheckpoint, message: string, now: number): CheckpointStatistics {
        const entry = this.entry(c, 'failed', 'FAILED', now);
        entry.failure_timestamp = now;
        entry.failure_message = message;
        this.counts.in_progress--;
        this.counts.failed++;
        this.latestFailed = entry;
        this.push(entry);
        return entry;
    }

    /** A retained checkpoint was deleted (retention): its history entry says so. */
    discarded(id: number): void {
        for (const h of this.history) if (h.id === id && h.className === 'completed') h.discarded = true;
    }

    restoredFrom(id: number, externalPath: string, now: number, isSavepoint = false): void {
        this.counts.restored++;
        this.restored = { id, restore_timestamp: now, is_savepoint: isSavepoint, external_path: externalPath };
    }

    /** The REST answer; `inProgress` is the checkpoint being taken now, if any. */
    statistics(inProgress: TrackedCheckpoint | undefined, now: number): CheckpointingStatistics {
        const history = [...this.history];
        if (inProgress) history.unshift(this.entry(inProgress, 'in_progress', 'IN_PROGRESS', now));
        const zero = summary([]);
        return {
            counts: { ...this.counts },
            summary: {
                checkpointed_size: summary(this.completedSizes),
                state_size: summary(this.completedSizes),
                end_to_end_duration: summary(this.completedDurations),
                alignment_buffered: summary(this.alignments),
                processed_data: zero,
                persisted_data: zero
            },
            latest: { completed: this.latestCompleted, savepoint: this.latestSavepoint, failed: this.latestFailed, restored: this.restored },
            history
        };
    }

    private push(entry: CheckpointStatistics): void {
        this.history.unshift(entry);
        if (this.history.length > CHECKPOINT_HISTORY_SIZE) this.history.length = CHECKPOINT_HISTORY_SIZE;
    }

    private entry(c: TrackedCheckpoint, className: CheckpointStatistics['className'], status: CheckpointStatistics['status'], now: number): CheckpointStatistics {
        let size = 0;
        let acknowledged = 0;
        let latestAck = c.triggerTimestamp;
        let alignment = 0;
        let split: CheckpointDurationSplit | undefined;
        const tasks: Record<string, TaskCheckpointStatistics> = {};
        for (const [vertexId, t] of c.tasks) {
            size += t.size;
            acknowledged += t.acknowledged;
            alignment += t.alignmentBuffered;
            if (t.acknowledged > 0 && t.latestAck >= latestAck) {
                latestAck = t.latestAck;
                split = t.split ?? split;
            }
            tasks[vertexId] = {
                id: c.id, status, latest_ack_timestamp: t.latestAck, checkpointed_size: t.size, state_size: t.size,
                end_to_end_duration: t.acknowledged > 0 ? t.latestAck - c.triggerTimestamp : 0, alignment_buffered: t.alignmentBuffered,
                processed_data: 0, persisted_data: 0, num_subtasks: t.subtasks, num_acknowledged_subtasks: t.acknowledged,
                ...(t.split ? { duration_split: { ...t.split } } : {})
            };
        }
        return {
            className, id: c.id, status, is_savepoint: c.savepoint !== undefined, savepointFormat: c.savepoint ? 'CANONICAL' : null,
            trigger_timestamp: c.triggerTimestamp, latest_ack_timestamp: latestAck,
            checkpointed_size: size, state_size: size,
            end_to_end_duration: (status === 'IN_PROGRESS' ? now : latestAck) - c.triggerTimestamp,
            alignment_buffered: alignment, processed_data: 0, persisted_data: 0,
            num_subtasks: c.numSubtasks, num_acknowledged_subtasks: acknowledged,
            checkpoint_type: c.savepoint ?? 'CHECKPOINT', ...(split ? { duration_split: { ...split } } : {}), tasks
        };
    }
}

/** Flink's StatsSummaryDto over `values` (all zero when there are none). */
function summary(values: readonly number[]): StatsSummary {
    if (values.length === 0) return { min: 0, max: 0, avg: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0 };
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
    return {
        min: sorted[0], max: sorted[sorted.length - 1], avg: Math.round(values.reduce((a, b) => a + b, 0) / values.length),
        p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99), p999: at(0.999)
    };
}

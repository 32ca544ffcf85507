/**
 * Subtask metrics as the REST API and the push channel show them, and their per-vertex sums.
 */
import type { BackpressureLevel, SubtaskMetrics, VertexIOMetrics } from '../../../protocol/cluster-api.js';

/** The metrics of a subtask that has not reported yet. */
export function emptySubtaskMetrics(): SubtaskMetrics {
    return {
        'read-bytes': 0, 'read-bytes-complete': false,
        'write-bytes': 0, 'write-bytes-complete': false,
        'read-records': 0, 'read-records-complete': false,
        'write-records': 0, 'write-records-complete': false,
        'read-records-per-second': 0, 'write-records-per-second': 0,
        busyTimeMsPerSecond: 0, idleTimeMsPerSecond: 0, backPressuredTimeMsPerSecond: 0,
        accumulatedBackpressuredTimeMs: 0,
        currentInputWatermark: null, sourceProgress: null, sourceRecordsPerSecond: null, sourceRecords: null,
        lateRecordsDropped: 0, skippedRecords: 0, deadLetteredRecords: 0, operatorSteps: 0,
        inputQueueLength: 0, outputQueueLength: 0
    };
}

/** Sums the I/O counters of a vertex's subtasks; `complete` once every subtask ended. */
export function sumVertexMetrics(subtasks: SubtaskMetrics[], complete: boolean): VertexIOMetrics {
    const sum = (key: 'read-bytes' | 'write-bytes' | 'read-records' | 'write-records'): number =>
        subtasks.reduce((acc, m) => acc + m[key], 0);
    return {
        'read-bytes': sum('read-bytes'), 'read-bytes-complete': complete,
        'write-bytes': sum('write-bytes'), 'write-bytes-complete': complete,
        'read-records': sum('read-records'), 'read-records-complete': complete,
        'write-records': sum('write-records'), 'write-records-complete': complete
    };
}

/** Flink's levels: OK up to 10 % of the time back-pressured, LOW up to 50 %, HIGH above. */
export function backpressureLevel(ratio: number): BackpressureLevel {
    if (ratio > 0.5) return 'high';
    if (ratio > 0.1) return 'low';
    return 'ok';
}

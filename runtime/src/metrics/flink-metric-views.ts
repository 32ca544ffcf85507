/**
 * Subtask metrics under Flink's task-scope names, as Flink's REST API serves them:
 *
 * - `GET /jobs/:jid/vertices/:vid/subtasks/:index/metrics?get=buffers.inputQueueLength,...`
 *   answers `[{"id": "buffers.inputQueueLength", "value": "3"}]` (values are strings, as Flink's);
 *   without `get`, the ids there are: `[{"id": ...}]`;
 * - `GET /jobs/:jid/vertices/:vid/metrics?get=0.buffers.inputQueueLength`: the same, each id
 *   prefixed with the subtask index;
 * - `GET /jobs/:jid/vertices/:vid/subtasks/metrics?get=...&agg=min,max,avg,sum,skew&subtasks=0-2,4`:
 *   aggregated over the subtasks.
 *
 * Ids that are not known are left out of the answer, as Flink does.
 */
import type { AggregatedMetric, MetricValues, SubtaskMetrics } from '../../../protocol/cluster-api.js';

/** Flink's metric id -> where a subtask's metrics hold it. */
const TASK_METRICS: Record<string, (m: SubtaskMetrics) => number> = {
    'buffers.inputQueueLength': (m) => m.inputQueueLength,
    'buffers.outputQueueLength': (m) => m.outputQueueLength,
    numRecordsIn: (m) => m['read-records'],
    numRecordsOut: (m) => m['write-records'],
    numBytesIn: (m) => m['read-bytes'],
    numBytesOut: (m) => m['write-bytes'],
    numRecordsInPerSecond: (m) => m['read-records-per-second'],
    numRecordsOutPerSecond: (m) => m['write-records-per-second'],
    busyTimeMsPerSecond: (m) => m.busyTimeMsPerSecond,
    idleTimeMsPerSecond: (m) => m.idleTimeMsPerSecond,
    backPressuredTimeMsPerSecond: (m) => m.backPressuredTimeMsPerSecond,
    accumulatedBackPressuredTimeMs: (m) => m.accumulatedBackpressuredTimeMs
};

const AGGREGATES = ['min', 'max', 'avg', 'sum', 'skew'] as const;
type Aggregate = (typeof AGGREGATES)[number];

/** The `get` query parameter: comma-separated ids, or undefined when absent. */
export function requestedIds(get: string | null): string[] | undefined {
    return get === null ? undefined : get.split(',').map((id) => id.trim()).filter((id) => id !== '');
}

/** One subtask's metrics (`get` undefined: the ids there are). */
export function subtaskMetricValues(metrics: SubtaskMetrics, get: string[] | undefined): MetricValues {
    if (get === undefined) return Object.keys(TASK_METRICS).map((id) => ({ id }));
    return get.filter((id) => id in TASK_METRICS).map((id) => ({ id, value: String(TASK_METRICS[id](metrics)) }));
}

/** A vertex's metrics: each subtask's, as `<index>.<id>`. */
export function vertexMetricValues(subtasks: SubtaskMetrics[], get: string[] | undefined): MetricValues {
    if (get === undefined) return subtasks.flatMap((_, i) => Object.keys(TASK_METRICS).map((id) => ({ id: `${i}.${id}` })));
    return get.flatMap((full) => {
        const match = /^(\d+)\.(.+)$/.exec(full);
        const metrics = match ? subtasks[Number(match[1])] : undefined;
        if (!match || !metrics || !(match[2] in TASK_METRICS)) return [];
        return [{ id: full, value: String(TASK_METRICS[match[2]](metrics)) }];
    });
}

/** The subtasks a `subtasks` parameter names (`0-2,4`), or all. */
export function selectedSubtasks(parameter: string | null, count: number): number[] {
    if (parameter === null || parameter.trim() === '') return Array.from({ length: count }, (_, i) => i);
    const chosen = new Set<number>();
    for (const part of parameter.split(',')) {
        const [from, to] = part.split('-').map((n) => Number(n.trim()));
        for (let i = from; i <= (to ?? from); i++) if (Number.isInteger(i) && i >= 0 && i < count) chosen.add(i);
    }
    return [...chosen].sort((a, b) => a - b);
}

/** Metrics aggregated over subtasks (`agg` absent: every aggregate). Skew is Flink's: (max - avg) / max in percent, 0 for max 0. */
export function aggregatedMetrics(subtasks: SubtaskMetrics[], get: string[] | undefined, agg: string | null): AggregatedMetric[] | MetricValues {
    if (get === undefined) return Object.keys(TASK_METRICS).map((id) => ({ id }));
    const wanted = agg === null ? [...AGGREGATES] : AGGREGATES.filter((a) => agg.split(',').map((x) => x.trim()).includes(a));
    return get.filter((id) => id in TASK_METRICS && subtasks.length > 0).map((id) => {
        const values = subtasks.map(TASK_METRICS[id]);
        const sum = values.reduce((a, b) => a + b, 0);
        const max = Math.max(...values);
        const avg = sum / values.length;
        const all: Record<Aggregate, number> = { min: Math.min(...values), max, avg, sum, skew: max === 0 ? 0 : ((max - avg) / max) * 100 };
        const out: AggregatedMetric = { id };
        for (const a of wanted) out[a] = all[a];
        return out;
    });
}

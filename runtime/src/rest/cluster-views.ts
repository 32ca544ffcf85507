/**
 * The REST payloads about the cluster: overview and TaskManagers, with Flink's field names.
 */
import { availableParallelism, freemem, totalmem } from 'node:os';
import type { ClusterOverview, TaskManagerDetails, TaskManagerInfo } from '../../../protocol/cluster-api.js';
import type { LocalCluster } from '../cluster/local-cluster.js';
import type { TaskManagerHandle } from '../cluster/task-manager-handle.js';

/** The version string reported as flink-version: this is Flowline's local mode, not Flink. */
export const FLOWLINE_VERSION = 'flowline-0.1.0';

/** GET /overview */
export function clusterOverview(cluster: LocalCluster): ClusterOverview {
    const jobs = [...cluster.jobManager.jobs.values()];
    const count = (...states: string[]): number => jobs.filter((j) => states.includes(j.status)).length;
    return {
        taskmanagers: cluster.taskManagers.length,
        'slots-total': cluster.jobManager.slotPool.total,
        'slots-available': cluster.jobManager.slotPool.free,
        'jobs-running': jobs.filter((j) => !j.isTerminal).length,
        'jobs-finished': count('FINISHED'),
        'jobs-cancelled': count('CANCELED'),
        'jobs-failed': count('FAILED'),
        'flink-version': FLOWLINE_VERSION,
        'flink-commit': 'local'
    };
}

/** GET /taskmanagers entry. */
export function taskManagerInfo(cluster: LocalCluster, tm: TaskManagerHandle): TaskManagerInfo {
    return {
        id: tm.id,
        path: `local://flowline/${tm.id}`,
        dataPort: -1,
        timeSinceLastHeartbeat: Date.now() - tm.lastHeartbeat,
        slotsNumber: tm.slots,
        freeSlots: cluster.jobManager.slotPool.freeOn(tm.index),
        hardware: { cpuCores: availableParallelism(), physicalMemory: totalmem(), freeMemory: freemem(), managedMemory: 0 }
    };
}

/** GET /taskmanagers/:id */
export function taskManagerDetails(cluster: LocalCluster, tm: TaskManagerHandle): TaskManagerDetails {
    return {
        ...taskManagerInfo(cluster, tm),
        allocatedSlots: cluster.jobManager.slotPool.slots
            .filter((s) => s.taskManager === tm.index && s.jobId !== null)
            .map((s) => ({ jobId: s.jobId!, resource: `slot ${s.index}`, slotIndex: s.index })),
        metrics: { heapUsed: tm.heapUsed, heapMax: tm.heapTotal, rss: process.memoryUsage().rss, threadCpuTime: tm.cpuTimeMs }
    };
}

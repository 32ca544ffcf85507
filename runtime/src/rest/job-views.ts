/**
 * The REST payloads about jobs, built from the JobManager's state with Flink's field names.
 */
import type {
    ExecutionState, ExecutionStateCounts, JobDetails, JobExceptions, JobOverview, JobPlan, SubtaskInfo,
    VertexBackpressure, VertexDetails, VertexWatermarks
} from '../../../protocol/cluster-api.js';
import { EXECUTION_STATES } from '../../../protocol/cluster-api.js';
import type { JobMaster } from '../cluster/job-master.js';
import type { ExecutionVertex } from '../planner/execution-graph.js';
import type { JobVertex } from '../planner/job-graph.js';
import { MAX_PARALLELISM } from '../exchange/key-groups.js';
import { backpressureLevel, sumVertexMetrics } from '../metrics/subtask-metrics.js';
import { connectorCounters } from '../metrics/connector-counters.js';

function counts(subtasks: ExecutionVertex[]): ExecutionStateCounts {
    const result = Object.fromEntries(EXECUTION_STATES.map((s) => [s, 0])) as ExecutionStateCounts;
    for (const s of subtasks) result[s.state]++;
    return result;
}

/** Flink's aggregate vertex state: the "least advanced" interesting state of its subtasks. */
function vertexState(subtasks: ExecutionVertex[]): ExecutionState {
    const states = new Set(subtasks.map((s) => s.state));
    for (const s of ['FAILED', 'CANCELING', 'RUNNING', 'INITIALIZING', 'DEPLOYING', 'SCHEDULED', 'CREATED', 'CANCELED'] as const) {
        if (states.has(s)) return s;
    }
    return 'FINISHED';
}

function duration(start: number, end: number, now: number): number {
    if (start < 0) return -1;
    return (end >= 0 ? end : now) - start;
}

/** GET /jobs/overview entry. */
export function jobOverview(job: JobMaster): JobOverview {
    const now = Date.now();
    const c = counts(job.executionGraph.all());
    const tasks = { total: job.executionGraph.all().length } as JobOverview['tasks'];
    for (const state of EXECUTION_STATES) (tasks as Record<string, number>)[state.toLowerCase()] = c[state];
    return {
        jid: job.id, name: job.name, 'start-time': job.startTime, 'end-time': job.endTime,
        duration: duration(job.startTime, job.endTime, now), state: job.status, 'last-modification': job.lastModification, tasks
    };
}

/** GET /jobs/:jid/plan */
export function jobPlan(job: JobMaster): JobPlan {
    const edges = job.jobGraph.edges;
    return {
        plan: {
            jid: job.id, name: job.name, type: job.jobGraph.mode === 'batch' ? 'BATCH' : 'STREAMING',
            nodes: job.jobGraph.vertices.map((v) => {
                const inputs = edges.filter((e) => e.targetVertex === v.id).map((e, num) => ({
                    num, id: e.sourceVertex, ship_strategy: e.ship,
                    exchange: job.jobGraph.mode === 'batch' && e.ship !== 'FORWARD' ? 'blocking' as const : 'pipelined' as const,
                    ...(e.sideOutput ? { side_output: e.sideOutput } : {})
                }));
                return {
                    id: v.id, parallelism: v.parallelism, operator: '', operator_strategy: '', description: v.description || v.name,
                    ...(inputs.length > 0 ? { inputs } : {}), nodeIds: v.nodes.map((n) => n.id)
                };
            })
        }
    };
}

function subtasksOf(job: JobMaster, vertex: JobVertex): ExecutionVertex[] {
    return job.executionGraph.subtasks.get(vertex.id) ?? [];
}

/** GET /jobs/:jid */
export function jobDetails(job: JobMaster): JobDetails {
    const now = Date.now();
    return {
        jid: job.id, name: job.name, isStoppable: false, state: job.status,
        'start-time': job.startTime, 'end-time': job.endTime, duration: duration(job.startTime, job.endTime, now), now,
        timestamps: { ...job.timestamps }, 'status-counts': counts(job.executionGraph.all()),
        plan: jobPlan(job).plan, mode: job.jobGraph.mode, ...connectorCounters(job),
        attempt: job.attempt, 'restart-strategy': job.restartBackoff.describe(),
        vertices: job.jobGraph.vertices.map((v) => {
            const subtasks = subtasksOf(job, v);
            const starts = subtasks.map((s) => s.startTime).filter((t) => t >= 0);
            const start = starts.length > 0 ? Math.min(...starts) : -1;
            const done = subtasks.every((s) => s.isTerminal);
            const end = done && subtasks.length > 0 ? Math.max(...subtasks.map((s) => s.endTime)) : -1;
            return {
                id: v.id, name: v.name, parallelism: v.parallelism, maxParallelism: MAX_PARALLELISM, status: vertexState(subtasks),
                'start-time': start, 'end-time': end, duration: duration(start, end, now), tasks: counts(subtasks),
                metrics: sumVertexMetrics(subtasks.map((s) => s.metrics), done), nodeIds: v.nodes.map((n) => n.id)
            };
        })
    };
}

function subtaskInfo(s: ExecutionVertex, now: number): SubtaskInfo {
    return {
        subtask: s.subtaskIndex, status: s.state, attempt: s.attempt, host: '127.0.0.1',
        'start-time': s.startTime, 'end-time': s.endTime, duration: duration(s.startTime, s.endTime, now),
        metrics: s.metrics, 'taskmanager-id': s.taskManagerId, 'status-timestamps': { ...s.timestamps }
    };
}

/** GET /jobs/:jid/vertices/:vid */
export function vertexDetails(job: JobMaster, vertex: JobVertex): VertexDetails {
    const now = Date.now();
    return {
        id: vertex.id, name: vertex.name, parallelism: vertex.parallelism, maxParallelism: MAX_PARALLELISM, now,
        subtasks: subtasksOf(job, vertex).map((s) => subtaskInfo(s, now))
    };
}

/** GET /jobs/:jid/vertices/:vid/backpressure: ratios from the latest busy/idle/back-pressured times. */
export function vertexBackpressure(job: JobMaster, vertex: JobVertex): VertexBackpressure {
    const subtasks = subtasksOf(job, vertex).map((s) => {
        const m = s.metrics;
        const ratio = m.backPressuredTimeMsPerSecond / 1000;
        return {
            subtask: s.subtaskIndex, 'backpressure-level': backpressureLevel(ratio), ratio,
            idleRatio: m.idleTimeMsPerSecond / 1000, busyRatio: m.busyTimeMsPerSecond / 1000
        };
    });
    const worst = Math.max(0, ...subtasks.map((s) => s.ratio));
    return { status: 'ok', 'backpressure-level': backpressureLevel(worst), 'end-timestamp': Date.now(), subtasks };
}

/** GET /jobs/:jid/vertices/:vid/watermarks: `<subtask>.currentInputWatermark` metrics, as Flink lists them. */
export function vertexWatermarks(job: JobMaster, vertex: JobVertex): VertexWatermarks {
    return subtasksOf(job, vertex).map((s) => ({
        id: `${s.subtaskIndex}.currentInputWatermark`,
        value: String(s.metrics.currentInputWatermark ?? Number.MIN_SAFE_INTEGER)
    }));
}

/** GET /jobs/:jid/exceptions */
export function jobExceptions(job: JobMaster): JobExceptions {
    const entries = [...job.exceptions].reverse();
    return {
        exceptionHistory: { entries, truncated: false },
        'root-exception': entries[0]?.stacktrace ?? null,
        timestamp: entries[0]?.timestamp ?? null
    };
}

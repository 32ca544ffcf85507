/**
 * A typed client of Flink's REST API (the JobManager's, default port 8081). Response types use
 * the field names Flink sends on the wire (flink-runtime's rest/messages response classes), so a
 * reader can check them against Flink's docs; only the fields Flowline reads are typed.
 */
import type { ClusterOverview } from '../../../protocol/cluster-api.js';
import { restRequest } from './rest-request.js';

/** GET /overview: the local runtime's REST API answers it in Flink's shape, so one type serves both. */
export type FlinkClusterOverview = ClusterOverview;

/** One TaskManager in GET /taskmanagers. */
export interface FlinkTaskManagerInfo {
    id: string;
    path: string;
    dataPort: number;
    timeSinceLastHeartbeat: number;
    slotsNumber: number;
    freeSlots: number;
    hardware: { cpuCores: number; physicalMemory: number; freeMemory: number; managedMemory: number };
}

/** GET /taskmanagers/:id: the list entry plus its slots and metrics. */
export interface FlinkTaskManagerDetails extends FlinkTaskManagerInfo {
    allocatedSlots?: { jobId: string; resource: Record<string, unknown> }[];
    metrics?: Record<string, unknown>;
}

/** JobStatus; FAILED, CANCELED and FINISHED are terminal. */
export type FlinkJobState = 'INITIALIZING' | 'CREATED' | 'RUNNING' | 'FAILING' | 'FAILED' | 'CANCELLING' | 'CANCELED'
    | 'FINISHED' | 'RESTARTING' | 'SUSPENDED' | 'RECONCILING';

export const TERMINAL_JOB_STATES: ReadonlySet<string> = new Set(['FAILED', 'CANCELED', 'FINISHED']);

/** ExecutionState of a subtask. */
export type FlinkExecutionState = 'CREATED' | 'SCHEDULED' | 'DEPLOYING' | 'INITIALIZING' | 'RUNNING' | 'FINISHED'
    | 'CANCELING' | 'CANCELED' | 'FAILED' | 'RECONCILING';

/** One job in GET /jobs/overview. */
export interface FlinkJobOverview {
    jid: string;
    name: string;
    state: FlinkJobState;
    'start-time': number;
    'end-time': number;
    duration: number;
    'last-modification': number;
    tasks: Record<string, number>;
}

export interface FlinkIoMetrics {
    'read-bytes': number;
    'read-bytes-complete': boolean;
    'write-bytes': number;
    'write-bytes-complete': boolean;
    'read-records': number;
    'read-records-complete': boolean;
    'write-records': number;
    'write-records-complete': boolean;
}

/** One vertex (a chain of operators) in GET /jobs/:id. */
export interface FlinkJobVertexSummary {
    id: string;
    name: string;
    parallelism: number;
    maxParallelism: number;
    status: FlinkExecutionState;
    'start-time': number;
    'end-time': number;
    duration: number;
    tasks: Record<string, number>;
    metrics: FlinkIoMetrics;
}

/** GET /jobs/:id */
export interface FlinkJobDetails {
    jid: string;
    name: string;
    isStoppable: boolean;
    state: FlinkJobState;
    'start-time': number;
    /** -1 while running. */
    'end-time': number;
    duration: number;
    now: number;
    timestamps: Record<string, number>;
    'status-counts': Record<string, number>;
    vertices: FlinkJobVertexSummary[];
    plan?: FlinkJobPlan['plan'];
}

export interface FlinkPlanNode {
    id: string;
    parallelism: number;
    operator: string;
    operator_strategy: string;
    description: string;
    inputs?: { num: number; id: string; ship_strategy: string; exchange: string }[];
}

/** GET /jobs/:id/plan */
export interface FlinkJobPlan {
    plan: { jid: string; name: string; type: string; nodes: FlinkPlanNode[] };
}

export interface FlinkSubtaskInfo {
    subtask: number;
    status: FlinkExecutionState;
    attempt: number;
    host: string;
    'start-time': number;
    'end-time': number;
    duration: number;
    metrics: FlinkIoMetrics;
    'taskmanager-id': string;
}

/** GET /jobs/:id/vertices/:vid */
export interface FlinkVertexDetails {
    id: string;
    name: string;
    parallelism: number;
    now: number;
    subtasks: FlinkSubtaskInfo[];
}

export type FlinkBackpressureLevel = 'ok' | 'low' | 'high';

/** GET /jobs/:id/vertices/:vid/backpressure (status "deprecated" until the first sample exists). */
export interface FlinkVertexBackpressure {
    status: string;
    'backpressure-level'?: FlinkBackpressureLevel;
    'end-timestamp'?: number;
    subtasks?: { subtask: number; 'backpressure-level': FlinkBackpressureLevel; ratio: number; idleRatio: number; busyRatio: number }[];
}

export interface FlinkExceptionEntry {
    exceptionName: string;
    stacktrace: string;
    timestamp: number;
    taskName: string | null;
}

/** GET /jobs/:id/exceptions */
export interface FlinkJobExceptions {
    exceptionHistory: { entries: FlinkExceptionEntry[]; truncated: boolean };
}

/** One metric of a metrics answer (`/jobs/:id/vertices/:vid/watermarks`): Flink sends values as text. */
export interface FlinkMetricValue { id: string; value: string }

/** One metric aggregated over subtasks (`.../subtasks/metrics?get=...`). */
export interface FlinkAggregatedMetric { id: string; min?: number; max?: number; avg?: number; sum?: number; skew?: number }

/** The REST API of one Flink cluster, e.g. `new FlinkRestClient('http://127.0.0.1:8081')`. */
export class FlinkRestClient {
    readonly baseUrl: string;

    constructor(baseUrl: string, private readonly timeoutMs = 10_000) {
        this.baseUrl = baseUrl.replace(/\/+$/, '');
    }

    overview(): Promise<FlinkClusterOverview> {
        return this.get('/overview');
    }

    async taskManagers(): Promise<FlinkTaskManagerInfo[]> {
        return (await this.get<{ taskmanagers: FlinkTaskManagerInfo[] }>('/taskmanagers')).taskmanagers;
    }

    taskManager(id: string): Promise<FlinkTaskManagerDetails> {
        return this.get(`/taskmanagers/${encodeURIComponent(id)}`);
    }

    async jobsOverview(): Promise<FlinkJobOverview[]> {
        return (await this.get<{ jobs: FlinkJobOverview[] }>('/jobs/overview')).jobs;
    }

    job(jobId: string): Promise<FlinkJobDetails> {
        return this.get(`/jobs/${encodeURIComponent(jobId)}`);
    }

    jobPlan(jobId: string): Promise<FlinkJobPlan> {
        return this.get(`/jobs/${encodeURIComponent(jobId)}/plan`);
    }

    vertex(jobId: string, vertexId: string): Promise<FlinkVertexDetails> {
        return this.get(`/jobs/${encodeURIComponent(jobId)}/vertices/${encodeURIComponent(vertexId)}`);
    }

    backpressure(jobId: string, vertexId: string): Promise<FlinkVertexBackpressure> {
        return this.get(`/jobs/${encodeURIComponent(jobId)}/vertices/${encodeURIComponent(vertexId)}/backpressure`);
    }

    /** GET /jobs/:id/vertices/:vid/watermarks: each subtask's `<index>.currentInputWatermark` (epoch ms as text; Long.MIN_VALUE before the first). */
    watermarks(jobId: string, vertexId: string): Promise<FlinkMetricValue[]> {
        return this.get(`/jobs/${encodeURIComponent(jobId)}/vertices/${encodeURIComponent(vertexId)}/watermarks`);
    }

    /** GET /jobs/:id/vertices/:vid/subtasks/metrics?get=...: the named metrics aggregated over the vertex's subtasks (min, max, avg, sum). */
    subtaskMetrics(jobId: string, vertexId: string, names: readonly string[]): Promise<FlinkAggregatedMetric[]> {
        return this.get(`/jobs/${encodeURIComponent(jobId)}/vertices/${encodeURIComponent(vertexId)}/subtasks/metrics?get=${names.map(encodeURIComponent).join(',')}`);
    }

    exceptions(jobId: string): Promise<FlinkJobExceptions> {
        return this.get(`/jobs/${encodeURIComponent(jobId)}/exceptions`);
    }

    /** Asks Flink to cancel the job (PATCH /jobs/:id?mode=cancel); it ends CANCELED shortly after. */
    async cancel(jobId: string): Promise<void> {
        await restRequest(`${this.baseUrl}/jobs/${encodeURIComponent(jobId)}?mode=cancel`, { method: 'PATCH', timeoutMs: this.timeoutMs });
    }

    /** The job's page in Flink's Web UI (served by the REST endpoint). */
    webUiJobUrl(jobId: string): string {
        return flinkWebUiJobUrl(this.baseUrl, jobId);
    }

    private get<T>(path: string): Promise<T> {
        return restRequest<T>(`${this.baseUrl}${path}`, { method: 'GET', timeoutMs: this.timeoutMs });
    }
}

/** A job's page in Flink's Web UI, whose root is `webUiUrl`. */
export function flinkWebUiJobUrl(webUiUrl: string, jobId: string): string {
    return `${webUiUrl.replace(/\/+$/, '')}/#/job/running/${jobId}/overview`;
}

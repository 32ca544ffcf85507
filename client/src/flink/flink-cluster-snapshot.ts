/**
 * One reading of a Flink cluster through its REST API: the overview, every TaskManager with its
 * allocated slots, every job with its vertices' subtasks and back-pressure levels. The Cluster
 * and Jobs views draw from it; the graph view overlays a job of it. No vscode import: unit tests
 * build snapshots from answers captured from a real Flink (test/fixtures/flink-rest/).
 *
 * The shapes are Flink 2.x's as sent on the wire, narrowed to what the views read. They differ
 * from the local cluster's (protocol/cluster-api.ts) where Flink does: a slot has no index, a
 * subtask names its `endpoint`, a job's details carry no plan and no records/s figures (those
 * and the watermarks come from Flink's metrics API, read for running jobs).
 */
import type { BackpressureLevel, ExecutionState, JobStatus, VertexIOMetrics } from '../../../protocol/cluster-api.js';
import { TERMINAL_JOB_STATES } from '../../../protocol/cluster-api.js';

/** A subtask's state: Flink 2.x adds RECONCILING to the local cluster's execution states. */
export type FlinkExecutionState = ExecutionState | 'RECONCILING';

/** GET /overview. */
export interface FlinkOverview {
    taskmanagers: number;
    'slots-total': number;
    'slots-available': number;
    'jobs-running': number;
    'flink-version': string;
}

/** One entry of GET /taskmanagers. */
export interface FlinkTaskManagerInfo { id: string; slotsNumber: number; freeSlots: number }

/** GET /taskmanagers/:id (the fields read). */
export interface FlinkTaskManagerDetails extends FlinkTaskManagerInfo {
    path: string;
    dataPort: number;
    hardware: { cpuCores: number; physicalMemory: number };
    /** One entry per allocated slot; Flink does not say which slot index it is. */
    allocatedSlots?: { jobId: string }[];
}

/** One entry of GET /jobs/overview. */
export interface FlinkJobOverview {
    jid: string;
    name: string;
    state: JobStatus;
    'start-time': number;
    'end-time': number;
    duration: number;
    'last-modification': number;
}

/** One vertex of GET /jobs/:jid. */
export interface FlinkVertexSummary {
    id: string;
    name: string;
    parallelism: number;
    status: FlinkExecutionState;
    'start-time': number;
    duration: number;
    tasks: Record<string, number>;
    metrics: VertexIOMetrics;
}

/** GET /jobs/:jid (the fields read). */
export interface FlinkJobDetails {
    jid: string;
    name: string;
    state: JobStatus;
    'start-time': number;
    'end-time': number;
    duration: number;
    now: number;
    vertices: FlinkVertexSummary[];
}

/** One subtask of GET /jobs/:jid/vertices/:vid. */
export interface FlinkSubtask {
    subtask: number;
    status: FlinkExecutionState;
    attempt: number;
    'taskmanager-id': string;
    duration: number;
    metrics?: VertexIOMetrics;
}

/** GET /jobs/:jid/vertices/:vid (the fields read). */
export interface FlinkVertexDetails { id: string; name: string; parallelism: number; subtasks: FlinkSubtask[] }

/** GET /jobs/:jid/vertices/:vid/backpressure (the fields read). */
export interface FlinkBackpressure {
    /** `ok` once sampled; older Flinks answer `deprecated` while they sample. */
    status: string;
    'backpressure-level'?: BackpressureLevel;
    subtasks?: { subtask: number; 'backpressure-level': BackpressureLevel; ratio: number }[];
}

/** GET /jobs/:jid/plan (the fields the graph view reads). */
export interface FlinkJobPlan {
    plan: {
        jid: string;
        name: string;
        type?: string;
        nodes: { id: string; parallelism: number; description: string; inputs?: { id: string; num: number; ship_strategy: string; exchange: string }[] }[];
    };
}

/** The REST calls a snapshot needs; flink/src/rest/flink-rest-client.ts provides them. */
export interface FlinkRestReader {
    overview(): Promise<FlinkOverview>;
    taskManagers(): Promise<FlinkTaskManagerInfo[]>;
    taskManager(id: string): Promise<FlinkTaskManagerDetails>;
    jobsOverview(): Promise<FlinkJobOverview[]>;
    job(jid: string): Promise<FlinkJobDetails>;
    vertex(jid: string, vid: string): Promise<FlinkVertexDetails>;
    backpressure(jid: string, vid: string): Promise<FlinkBackpressure>;
    /** GET /jobs/:jid/vertices/:vid/watermarks. */
    watermarks(jid: string, vid: string): Promise<{ id: string; value: string }[]>;
    /** GET /jobs/:jid/vertices/:vid/subtasks/metrics?get=<names>. */
    subtaskMetrics(jid: string, vid: string, names: readonly string[]): Promise<{ id: string; sum?: number }[]>;
}

/** The vertex metrics a running job's graph shows beside the summaries' counts. */
export const LIVE_VERTEX_METRICS = ['numRecordsInPerSecond', 'numRecordsOutPerSecond'] as const;

/** A running vertex's rates (summed over its subtasks) and its lowest input watermark. */
export interface FlinkVertexLive {
    recordsInPerSecond: number | undefined;
    recordsOutPerSecond: number | undefined;
    /** Epoch ms; null before the first watermark (Flink reports Long.MIN_VALUE) and for sources, which have no input. */
    watermark: number | null;
}

/** A job of the snapshot with what its rows show. */
export interface FlinkJob {
    overview: FlinkJobOverview;
    /** Absent when the details could not be read (the job was just archived, say). */
    details: FlinkJobDetails | undefined;
    vertices: Map<string, FlinkVertexDetails>;
    /** Back-pressure per vertex, once Flink has sampled it (running jobs only). */
    backpressure: Map<string, FlinkBackpressure>;
    /** Records/s and watermark per vertex (running jobs only, from Flink's metrics API). */
    live: Map<string, FlinkVertexLive>;
}

/** One reading of the whole cluster. */
export interface FlinkClusterSnapshot {
    restUrl: string;
    overview: FlinkOverview;
    taskManagers: FlinkTaskManagerDetails[];
    /** Newest first. */
    jobs: FlinkJob[];
    /** Epoch ms of the reading. */
    readAt: number;
}

/** An ended job does not change: its details are read once and kept. */
export type EndedJobCache = Map<string, FlinkJob>;

/** Reads the cluster; the details of ended jobs come from (and go to) `ended`. */
export async function readFlinkSnapshot(restUrl: string, rest: FlinkRestReader, ended: EndedJobCache = new Map()): Promise<FlinkClusterSnapshot> {
    const [overview, tmList, jobList] = await Promise.all([rest.overview(), rest.taskManagers(), rest.jobsOverview()]);
    const taskManagers = await Promise.all(tmList.map((tm) => rest.taskManager(tm.id)));
    const jobs = await Promise.all(jobList.map(async (overviewRow): Promise<FlinkJob> => {
        const cached = ended.get(overviewRow.jid);
        if (cached) return cached;
        const job = await readJob(rest, overviewRow);
        if (TERMINAL_JOB_STATES.includes(overviewRow.state) && job.details) ended.set(overviewRow.jid, job);
        return job;
    }));
    jobs.sort((a, b) => b.overview['start-time'] - a.overview['start-time']);
    taskManagers.sort((a, b) => a.id.localeCompare(b.id));
    return { restUrl, overview, taskManagers, jobs, readAt: Date.now() };
}

async function readJob(rest: FlinkRestReader, overview: FlinkJobOverview): Promise<FlinkJob> {
    const job: FlinkJob = { overview, details: undefined, vertices: new Map(), backpressure: new Map(), live: new Map() };
    try {
        job.details = await rest.job(overview.jid);
    } catch {
        return job;
    }
    const running = !TERMINAL_JOB_STATES.includes(job.details.state);
    await Promise.all(job.details.vertices.map(async (v) => {
        const [vertex, backpressure, live] = await Promise.all([
            rest.vertex(overview.jid, v.id).catch(() => undefined),
            running ? rest.backpressure(overview.jid, v.id).catch(() => undefined) : undefined,
            running ? readLive(rest, overview.jid, v.id) : undefined
        ]);
        if (vertex) job.vertices.set(v.id, vertex);
        if (backpressure && backpressure['backpressure-level']) job.backpressure.set(v.id, backpressure);
        if (live) job.live.set(v.id, live);
    }));
    return job;
}


/** Flink's "no watermark yet" (Long.MIN_VALUE, as text). */
const NO_WATERMARK = -9223372036854775808n;

/** A vertex's rates and lowest input watermark; undefined when Flink's metrics API does not answer. */
async function readLive(rest: FlinkRestReader, jid: string, vid: string): Promise<FlinkVertexLive | undefined> {
    const [rates, watermarks] = await Promise.all([
        rest.subtaskMetrics(jid, vid, LIVE_VERTEX_METRICS).catch(() => undefined),
        rest.watermarks(jid, vid).catch(() => undefined)
    ]);
    if (!rates && !watermarks) return undefined;
    const rate = (id: string) => rates?.find((m) => m.id === id)?.sum;
    // Each subtask's input watermark; the vertex's is the lowest, as on the local job graph.
    const values = (watermarks ?? []).filter((w) => w.id.endsWith('.currentInputWatermark') && /^-?\d+$/.test(w.value))
        .map((w) => BigInt(w.value));
    const watermark = values.length === 0 || values.some((v) => v === NO_WATERMARK) ? null : Number(values.reduce((a, b) => (b < a ? b : a)));
    return { recordsInPerSecond: rate('numRecordsInPerSecond'), recordsOutPerSecond: rate('numRecordsOutPerSecond'), watermark };
}

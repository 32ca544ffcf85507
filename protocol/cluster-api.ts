/**
 * The local cluster's public API: REST payloads (shaped like Apache Flink's JobManager REST API,
 * with Flink's field names on the wire) and the push channel's messages. Dependency-free: the
 * CLI, the cluster process and the VS Code extension all read it.
 *
 * Transport: HTTP on 127.0.0.1 only; every request carries `Authorization: Bearer <token>`.
 * The push channel is a WebSocket at `PUSH_PATH` with `?token=<token>` (and optionally
 * `&jobId=<jid>` to receive only one job's messages).
 */
import type { Expr, SchemaField } from './logical-graph.js';

/** Path of the push channel (WebSocket). */
export const PUSH_PATH = '/push';

/** Flink's job states. FAILED, CANCELED and FINISHED are terminal. */
export type JobStatus =
    | 'INITIALIZING' | 'CREATED' | 'RUNNING' | 'FAILING' | 'FAILED' | 'CANCELLING' | 'CANCELED'
    | 'FINISHED' | 'RESTARTING' | 'SUSPENDED' | 'RECONCILING';

/** Flink's per-subtask execution states. */
export type ExecutionState =
    | 'CREATED' | 'SCHEDULED' | 'DEPLOYING' | 'INITIALIZING' | 'RUNNING' | 'FINISHED'
    | 'CANCELING' | 'CANCELED' | 'FAILED';

export const TERMINAL_JOB_STATES: readonly JobStatus[] = ['FAILED', 'CANCELED', 'FINISHED'];
export const EXECUTION_STATES: readonly ExecutionState[] = [
    'CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING', 'FINISHED', 'CANCELING', 'CANCELED', 'FAILED'
];

/** The one line `flowline cluster` (and dist/cluster.mjs) prints on stdout once it listens. */
export interface ClusterHello {
    url: string;
    token: string;
    pid: number;
    taskmanagers: number;
    slotsPerTaskManager: number;
}

// ---------------------------------------------------------------- REST: cluster

/** GET /overview */
export interface ClusterOverview {
    'taskmanagers': number;
    'slots-total': number;
    'slots-available': number;
    'jobs-running': number;
    'jobs-finished': number;
    'jobs-cancelled': number;
    'jobs-failed': number;
    'flink-version': string;
    'flink-commit': string;
}

/** GET /taskmanagers entries. */
export interface TaskManagerInfo {
    id: string;
    path: string;
    dataPort: number;
    timeSinceLastHeartbeat: number;
    slotsNumber: number;
    freeSlots: number;
    hardware: { cpuCores: number; physicalMemory: number; freeMemory: number; managedMemory: number };
}

/** GET /taskmanagers */
export interface TaskManagersList { taskmanagers: TaskManagerInfo[] }

/** GET /taskmanagers/:id */
export interface TaskManagerDetails extends TaskManagerInfo {
    allocatedSlots: { jobId: string; resource: string; slotIndex: number }[];
    metrics: { heapUsed: number; heapMax: number; rss: number; threadCpuTime: number };
}

// ---------------------------------------------------------------- REST: jobs

/** GET /jobs */
export interface JobIdsWithStatus { jobs: { id: string; status: JobStatus }[] }

/** Counts of subtasks per execution state; keys are lower-case in /jobs/overview. */
export type ExecutionStateCounts = Record<ExecutionState, number>;

/** GET /jobs/overview entries. */
export interface JobOverview {
    jid: string;
    name: string;
    'start-time': number;
    'end-time': number;
    duration: number;
    state: JobStatus;
    'last-modification': number;
    tasks: { total: number } & Record<Lowercase<ExecutionState>, number>;
}

export interface JobsOverview { jobs: JobOverview[] }

/**
 * Vertex metrics as Flink defines them: the vertex's own, counted once per chain (operators
 * chained into it do not add their own counts). read: records into the chain's head from the
 * network; a source vertex reads nothing from the network, so its read-records stay 0. write:
 * records leaving the chain's tail, or written by its sink. Bytes count only records serialised
 * to cross threads (between TaskManagers); records passed inside one TaskManager are not
 * serialised and add no bytes.
 */
export interface VertexIOMetrics {
    'read-bytes': number;
    'read-bytes-complete': boolean;
    'write-bytes': number;
    'write-bytes-complete': boolean;
    'read-records': number;
    'read-records-complete': boolean;
    'write-records': number;
    'write-records-complete': boolean;
}

/** A vertex of GET /jobs/:jid. */
export interface JobVertexSummary {
    id: string;
    name: string;
    parallelism: number;
    maxParallelism: number;
    status: ExecutionState;
    'start-time': number;
    'end-time': number;
    duration: number;
    tasks: ExecutionStateCounts;
    metrics: VertexIOMetrics;
    /** Flowline: the LogicalGraph node ids chained into this vertex, head first. */
    nodeIds: string[];
}

/** GET /jobs/:jid */
export interface JobDetails {
    jid: string;
    name: string;
    isStoppable: boolean;
    state: JobStatus;
    'start-time': number;
    'end-time': number;
    duration: number;
    now: number;
    timestamps: Partial<Record<JobStatus, number>>;
    'status-counts': ExecutionStateCounts;
    plan: JobPlan['plan'];
    vertices: JobVertexSummary[];
    /** Flowline: 'batch' | 'streaming'. */
    mode: 'batch' | 'streaming';
    /** Flowline: what each source read and each sink wrote, in the pipeline's order. */
    sources: SourceCounters[];
    sinks: SinkCounters[];
    /**
     * Flowline: late records the job's windows dropped because nothing reads their `.late` side
     * output (the subtasks' `lateRecordsDropped`, summed).
     */
    'late-records-dropped': number;
    /** Flowline: the job's attempt (0 = first run, n = after its n-th restart; each failure is in /exceptions). */
    attempt?: number;
    /** Flowline: the restart strategy in effect, e.g. `fixed-delay (3 attempts, 1000 ms apart)` or `none`. */
    'restart-strategy'?: string;
}

/**
 * Flowline: the rows a source read (sums over its subtasks). Every row read is either emitted
 * (its subtasks' `sourceRecords`; the source vertex's own `read-records` is 0, as in Flink, since
 * a source reads nothing from the network), skipped under `onError skip` (or dead-lettered with
 * nobody reading the side output), or sent to the `deadLetter` side output.
 */
export interface SourceCounters {
    /** The LogicalGraph node id. */
    id: string;
    /** The source's declared name (`orders`). */
    name: string;
    connector: string;
    /** The file read (absolute), or null for values/datagen. */
    path: string | null;
    'read-records': number;
    'skipped-records': number;
    'dead-lettered-records': number;
    /** True once every subtask of the source ended: the counts are final. */
    complete: boolean;
}

/** Flowline: the records a sink wrote (sums over its subtasks). */
export interface SinkCounters {
    /** The LogicalGraph node id. */
    id: string;
    /** As written: `orders.deadLetter -> jsonl("out/bad.jsonl")`. */
    description: string;
    connector: string;
    /** The file written (absolute; it appears when the job finishes), or null for print/collect/blackhole. */
    path: string | null;
    'write-records': number;
    complete: boolean;
    /**
     * Set in a checkpointed job: csv/jsonl sinks are exactly-once (parts committed with
     * checkpoints); print and collect are at-least-once (after a restart they repeat what came
     * after the last completed checkpoint).
     */
    delivery?: 'exactly-once' | 'at-least-once';
}

/** An input of a plan node. */
export interface JobPlanInput {
    num: number;
    id: string;
    ship_strategy: 'FORWARD' | 'HASH' | 'REBALANCE' | 'BROADCAST';
    exchange: 'pipelined' | 'blocking';
    /** Flowline: `deadLetter` or `late` when the input carries a side output. */
    side_output?: string;
}

/** GET /jobs/:jid/plan */
export interface JobPlan {
    plan: {
        jid: string;
        name: string;
        type: 'STREAMING' | 'BATCH';
        nodes: {
            id: string;
            parallelism: number;
            operator: string;
            operator_strategy: string;
            description: string;
            inputs?: JobPlanInput[];
            /** Flowline: LogicalGraph node ids chained into this vertex, head first. */
            nodeIds: string[];
        }[];
    };
}

/** Per-subtask metrics, in the subtasks of GET /jobs/:jid/vertices/:vid. */
export interface SubtaskMetrics extends VertexIOMetrics {
    /** Records per second over the last metrics interval (in at the head, out at the tail). */
    'read-records-per-second': number;
    'write-records-per-second': number;
    /** Milliseconds per second spent busy, idle, and back-pressured (Flink's *TimeMsPerSecond). */
    busyTimeMsPerSecond: number;
    idleTimeMsPerSecond: number;
    backPressuredTimeMsPerSecond: number;
    /** Total milliseconds spent back-pressured since the subtask started. */
    accumulatedBackpressuredTimeMs: number;
    /** The current input watermark (ms), or null before the first one. */
    currentInputWatermark: number | null;
    /** Bounded sources: fraction read, 0..1; null when not a bounded source. */
    sourceProgress: number | null;
    /**
     * Records per second the subtask's source emits into the job (Flink's source operator
     * numRecordsOutPerSecond), before any operator chained after it; null when the subtask has
     * no source. The job's input rate is the sum over its subtasks.
     */
    sourceRecordsPerSecond: number | null;
    /** Records the subtask's source emitted so far (Flink's source operator numRecordsOut); null when the subtask has no source. */
    sourceRecords: number | null;
    /** Records dropped and counted: late data, skipped bad rows. */
    lateRecordsDropped: number;
    skippedRecords: number;
    /** Bad rows a source sent to its `deadLetter` side output. */
    deadLetteredRecords: number;
    /**
     * Flowline: the steps the subtask's chain runs each batch through between its source and its
     * sink: one per operator, except that a fused run of filter/map/select/flatMap (with an
     * aggregate ending it) is one step. FLOWLINE_NO_FUSION=1 gives one step per operator.
     */
    operatorSteps: number;
    /**
     * Flink's buffers.inputQueueLength: messages (record batches, watermarks, barriers) the
     * subtask received and has not processed yet, those held back by a barrier's alignment
     * included; sampled when the metrics are reported.
     */
    inputQueueLength: number;
    /** Flink's buffers.outputQueueLength: messages waiting for credit from the downstream subtasks (back pressure). */
    outputQueueLength: number;
}

export interface SubtaskInfo {
    subtask: number;
    status: ExecutionState;
    attempt: number;
    host: string;
    'start-time': number;
    'end-time': number;
    duration: number;
    metrics: SubtaskMetrics;
    'taskmanager-id': string;
    /** Flowline: when each execution state was entered (epoch ms). */
    'status-timestamps': Partial<Record<ExecutionState, number>>;
}

/** GET /jobs/:jid/vertices/:vid */
export interface VertexDetails {
    id: string;
    name: string;
    parallelism: number;
    maxParallelism: number;
    now: number;
    subtasks: SubtaskInfo[];
}

export type BackpressureLevel = 'ok' | 'low' | 'high';

/** GET /jobs/:jid/vertices/:vid/backpressure */
export interface VertexBackpressure {
    status: 'ok';
    'backpressure-level': BackpressureLevel;
    'end-timestamp': number;
    subtasks: { subtask: number; 'backpressure-level': BackpressureLevel; ratio: number; idleRatio: number; busyRatio: number }[];
}

/** GET /jobs/:jid/vertices/:vid/watermarks: Flink's metric list shape. */
export type VertexWatermarks = { id: string; value: string }[];

/**
 * GET /jobs/:jid/vertices/:vid/subtasks/:index/metrics and /jobs/:jid/vertices/:vid/metrics
 * (Flink's shape): without `?get=` the ids there are, with it each asked-for id and its value.
 */
export type MetricValues = { id: string; value?: string }[];

/** GET /jobs/:jid/vertices/:vid/subtasks/metrics?get=...&agg=...: a metric aggregated over the subtasks (Flink's shape). */
export interface AggregatedMetric { id: string; min?: number; max?: number; avg?: number; sum?: number; skew?: number }

/** One entry of the exception history. */
export interface ExceptionHistoryEntry {
    exceptionName: string;
    stacktrace: string;
    timestamp: number;
    taskName: string | null;
    /** Flowline: where the failing operator is written, when known. */
    nodeId?: string;
    location?: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } };
    /** The error message alone (stacktrace starts with it). */
    message: string;
    /** Flink: the TaskManager of the failing task, when a task failed. */
    taskManagerId?: string | null;
    /** Flink: labels a failure enricher gave the failure (Flowline gives none). */
    failureLabels?: Record<string, string>;
    /** Flink: other tasks' failures while the job already failed over from this one (e.g. tasks failing as they are cancelled). */
    concurrentExceptions?: ExceptionHistoryEntry[];
    /** Flowline: the job attempt (0 = first run, n = after the n-th restart) that failed. */
    attempt?: number;
    /** Flowline: what the job did about it: restarted (RESTARTING) or failed. */
    outcome?: 'restarted' | 'failed';
}

/** GET /jobs/:jid/exceptions */
export interface JobExceptions {
    exceptionHistory: { entries: ExceptionHistoryEntry[]; truncated: boolean };
    'root-exception': string | null;
    timestamp: number | null;
}

/** POST /jobs: the body is a LogicalGraph (protocol/logical-graph.ts); answer 202. */
export interface JobSubmitResponse { jobid: string; jobUrl: string }

/** A REST error answer (Flink's shape). */
export interface ErrorResponse { errors: string[] }

// ---------------------------------------------------------------- REST: taps

/** Records per second a tap samples when the request names no rate. */
export const DEFAULT_TAP_RATE = 10;
/** The highest rate a tap may ask for (records per second, per TaskManager). */
export const MAX_TAP_RATE = 1000;
/** How many sampled records the JobManager keeps per tap (GET /jobs/:jid/taps/:tapid). */
export const TAP_BUFFER_SIZE = 200;

/**
 * POST /jobs/:jid/taps: samples the records flowing out of one LogicalGraph node of a RUNNING
 * job. Name the node by `stream` (the output of the stream's last operator, or a source's
 * records by the source's name) or by `nodeId` (any source or operator node; a job graph's edge
 * carries its source node's output). Answers 201 with a TapInfo; 400 for an unknown stream or
 * node (the message lists the job's streams), 409 when the job is not running.
 */
export interface TapRequest {
    stream?: string;
    nodeId?: string;
    /**
     * At most this many records per second are sampled on each TaskManager (the budget is shared by
     * the subtasks of a TaskManager); DEFAULT_TAP_RATE when absent, 1..MAX_TAP_RATE.
     */
    recordsPerSecond?: number;
    /** A boolean expression over the node's output fields; only matching records are sampled. */
    filter?: Expr;
}

/** An open (or ended) tap. GET /jobs/:jid/taps lists the open ones: `{ taps: TapInfo[] }`. */
export interface TapInfo {
    id: string;
    jid: string;
    nodeId: string;
    /** The stream (or source) the node belongs to. */
    stream: string;
    /** The tapped records' fields (the node's output schema). */
    fields: SchemaField[];
    recordsPerSecond: number;
    filter: Expr | null;
    /** False once closed (DELETE) or once the job ended. */
    open: boolean;
    /** Records that flowed out of the node (on every subtask) while the tap was open. */
    seen: number;
    /** Of those, records the filter kept (all of them without a filter). */
    matched: number;
    /** Of those, records sampled (sent to the JobManager): a sample, not the stream. */
    sampled: number;
    'start-time': number;
}

/** One sampled record; `seq` counts the tap's sampled records from 1. */
export interface TappedRecord {
    seq: number;
    /** The subtask (0-based) that produced the record. */
    subtask: number;
    record: Record<string, unknown>;
}

/**
 * GET /jobs/:jid/taps/:tapid?since=<seq>: the tap, and its most recent sampled records (at most
 * TAP_BUFFER_SIZE) with `seq` above `since` (0 by default), oldest first.
 */
export interface TapRecords extends TapInfo {
    records: TappedRecord[];
    /** The highest seq so far (0 before the first record): pass it as `since` next time. */
    'last-seq': number;
}

// ---------------------------------------------------------------- push channel

/** The job changed state. */
export interface JobStatusMessage {
    type: 'job-status';
    jid: string;
    name: string;
    status: JobStatus;
    timestamp: number;
}

/** A subtask changed state. */
export interface SubtaskStateMessage {
    type: 'subtask-state';
    jid: string;
    vertexId: string;
    subtask: number;
    state: ExecutionState;
    timestamp: number;
}

/** Periodic metrics of every running subtask of a job. */
export interface JobMetricsMessage {
    type: 'metrics';
    jid: string;
    timestamp: number;
    vertices: { id: string; subtasks: { subtask: number; metrics: SubtaskMetrics }[] }[];
    /** Per source and sink, and the late records dropped, as in GET /jobs/:jid. */
    sources: SourceCounters[];
    sinks: SinkCounters[];
    'late-records-dropped': number;
}

/** Records that reached a print or collect sink (in order per subtask). */
export interface SinkRecordsMessage {
    type: 'sink-records';
    jid: string;
    /** The LogicalGraph id of the sink node. */
    nodeId: string;
    connector: 'print' | 'collect';
    subtask: number;
    rows: Record<string, unknown>[];
    /** The printed text of each row (print sinks). */
    lines?: string[];
}

/** A new exception history entry. */
export interface JobExceptionMessage {
    type: 'exception';
    jid: string;
    entry: ExceptionHistoryEntry;
}

/**
 * A tap sampled records (each TaskManager sends at most 5 batches per second per tap). `seen`,
 * `matched` and `sampled` are the tap's totals so far (see TapInfo). May carry no records when
 * only the counts changed.
 */
export interface TapRecordsMessage {
    type: 'tap-records';
    jid: string;
    tapId: string;
    nodeId: string;
    records: TappedRecord[];
    seen: number;
    matched: number;
    sampled: number;
}

/** A tap closed: by DELETE / closeTap (`closed`) or because its job ended (`job-ended`). */
export interface TapClosedMessage {
    type: 'tap-closed';
    jid: string;
    tapId: string;
    reason: 'closed' | 'job-ended';
    seen: number;
    matched: number;
    sampled: number;
}

/**
 * `flowline run --status json`: the last line, once the job ended (not a push message: the CLI
 * writes it from the job's final details).
 */
export interface RunSummaryEvent {
    type: 'summary';
    jid: string;
    status: JobStatus;
    sources: SourceCounters[];
    sinks: SinkCounters[];
    /** Records the job's windows dropped as late (no sink reads their `late` side output). */
    'late-records-dropped': number;
}

export type PushMessage =
    | JobStatusMessage | SubtaskStateMessage | JobMetricsMessage | SinkRecordsMessage | JobExceptionMessage
    | TapRecordsMessage | TapClosedMessage;

/** True when the vertex starts with a source (in the job's plan it has no inputs): it reads nothing from the network. */
export function isSourceVertex(details: JobDetails, vertexId: string): boolean {
    const planned = details.plan.nodes.find((n) => n.id === vertexId);
    return planned !== undefined && (planned.inputs ?? []).length === 0;
}

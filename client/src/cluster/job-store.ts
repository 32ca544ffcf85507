/**
 * What the extension knows about the cluster's jobs, kept current from the push channel: job
 * details and vertex subtasks (Flink's REST shapes), the LogicalGraph each job was submitted
 * from, and the records its collect sinks returned. REST is read once per job state change;
 * subtask states and metrics are patched in from push messages.
 */
import * as vscode from 'vscode';
import type {
    JobDetails, JobMetricsMessage, PushMessage, SinkRecordsMessage, SubtaskStateMessage, VertexDetails
} from '../../../protocol/cluster-api.js';
import { TERMINAL_JOB_STATES } from '../../../protocol/cluster-api.js';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import { UpdatingTable, updatingKeyFields } from '../../../protocol/updating-table.js';
import { applyConnectorCounters } from '../views/connector-counts.js';
import { ClusterRestError, type ClusterRestClient } from './cluster-rest-client.js';
import type { CheckpointingStatistics } from '../../../protocol/checkpoints.js';
import { aggregateState, countStates } from './execution-states.js';

export { aggregateState, countStates };

/** Collected rows of one collect sink of a job. */
export interface CollectedResult {
    nodeId: string;
    /** The rows received, in order (for a sink of updates: until the graph says so, then folded into `table`). */
    rows: Record<string, unknown>[];
    /** Rows that arrived after the first {@link MAX_COLLECTED_ROWS}: counted, not kept. */
    notKept: number;
    /** A sink of an updating stream: its current table (one row per key, updated in place) and how many changes built it. */
    table?: UpdatingTable;
}

/** A streaming collect sink never ends: the editor keeps this many rows per sink. */
export const MAX_COLLECTED_ROWS = 100_000;

/** One job as the views show it. */
export interface TrackedJob {
    jid: string;
    details: JobDetails | undefined;
    vertices: Map<string, VertexDetails>;
    /** The graph it was submitted from (absent for jobs submitted elsewhere). */
    graph: LogicalGraph | undefined;
    /** The document the pipeline came from. */
    documentUri: string | undefined;
    results: Map<string, CollectedResult>;
    /** GET /jobs/:jid/checkpoints, re-read about once a second while the job runs; absent without checkpointing. */
    checkpoints?: CheckpointingStatistics;
    /** False once the cluster said the job has no checkpointing (404): not asked again. */
    checkpointed?: boolean;
    /** When the checkpoint statistics were last asked for (epoch ms). */
    checkpointsReadAt?: number;
}

/** How often a running job's checkpoint statistics are re-read (they change once per checkpoint). */
const CHECKPOINTS_REFRESH_MS = 1000;

/** The jobs of the current cluster. */
export class JobStore implements vscode.Disposable {
    private readonly jobs = new Map<string, TrackedJob>();
    private rest: ClusterRestClient | undefined;
    private readonly changeEmitter = new vscode.EventEmitter<TrackedJob | undefined>();
    private readonly stateEmitter = new vscode.EventEmitter<TrackedJob | undefined>();
    private readonly recordsEmitter = new vscode.EventEmitter<SinkRecordsMessage>();
    /** A job changed in any way, metrics included (undefined: the whole list). */
    readonly onDidChange = this.changeEmitter.event;
    /** A job or one of its subtasks changed state (not fired for metrics alone). */
    readonly onDidChangeState = this.stateEmitter.event;
    /** Records reached a print or collect sink. */
    readonly onRecords = this.recordsEmitter.event;

    constructor(private readonly log: vscode.OutputChannel) {}

    /** Follows a (new) cluster; forgets the jobs of the previous one. */
    attach(rest: ClusterRestClient | undefined): void {
        this.rest = rest;
        this.jobs.clear();
        this.fireState(undefined);
    }

    all(): TrackedJob[] {
        return [...this.jobs.values()].sort((a, b) => (b.details?.['start-time'] ?? 0) - (a.details?.['start-time'] ?? 0));
    }

    get(jid: string): TrackedJob | undefined { return this.jobs.get(jid); }

    /** The most recent job that is not finished, failed or canceled. */
    latestRunning(): TrackedJob | undefined {
        return this.all().find((job) => job.details !== undefined && !TERMINAL_JOB_STATES.includes(job.details.state));
    }

    /** Remembers a job this window submitted, then reads its details. */
    async track(jid: string, graph: LogicalGraph, documentUri: string): Promise<TrackedJob> {
        const job = this.entry(jid);
        job.graph = graph;
        job.documentUri = documentUri;
        // Rows of a sink of updates that came before the graph was known become its table now.
        for (const result of job.results.values()) this.tableOf(job, result);
        await this.refresh(jid);
        return job;
    }

    /** Applies one push message. */
    handle(message: PushMessage): void {
        switch (message.type) {
            case 'job-status':
                void this.refresh(message.jid);
                break;
            case 'subtask-state':
                this.applySubtaskState(message);
                break;
            case 'metrics':
                this.applyMetrics(message);
                break;
            case 'sink-records':
                this.applyRecords(message);
                break;
            case 'exception':
                void this.refresh(message.jid);
                break;
        }
    }

    /** Reads a job and its vertices' subtasks from REST. */
    async refresh(jid: string): Promise<void> {
        const rest = this.rest;
        if (!rest) return;
        const job = this.entry(jid);
        try {
            const details = await rest.job(jid);
            const vertices = await Promise.all(details.vertices.map((v) => rest.vertex(jid, v.id)));
            job.details = details;
            job.vertices = new Map(vertices.map((v) => [v.id, v]));
            await this.refreshCheckpoints(job, rest);
            this.fireState(job);
        } catch (err) {
            this.log.appendLine(`[jobs] could not read job ${jid}: ${err instanceof Error ? err.message : String(err)}`);
        }
    }

    /** Reads the job's checkpoint statistics, unless the cluster said it takes none. */
    private async refreshCheckpoints(job: TrackedJob, rest: ClusterRestClient): Promise<void> {
        if (job.checkpointed === false) return;
        job.checkpointsReadAt = Date.now();
        try {
            job.checkpoints = await rest.checkpoints(job.jid);
            job.checkpointed = true;
        } catch (err) {
            if (err instanceof ClusterRestError && err.status === 404) job.checkpointed = false;
            else this.log.appendLine(`[jobs] could not read the checkpoints of job ${job.jid}: ${err instanceof Error ? err.message : String(err)}`);
        }
    }

    dispose(): void {
        this.changeEmitter.dispose();
        this.stateEmitter.dispose();
        this.recordsEmitter.dispose();
    }

    private fireState(job: TrackedJob | undefined): void {
        this.stateEmitter.fire(job);
        this.changeEmitter.fire(job);
    }

    private entry(jid: string): TrackedJob {
        let job = this.jobs.get(jid);
        if (!job) {
            job = { jid, details: undefined, vertices: new Map(), graph: undefined, documentUri: undefined, results: new Map() };
            this.jobs.set(jid, job);
        }
        return job;
    }

    private applySubtaskState(message: SubtaskStateMessage): void {
        const job = this.entry(message.jid);
        const vertex = job.vertices.get(message.vertexId);
        const subtask = vertex?.subtasks.find((s) => s.subtask === message.subtask);
        if (!vertex || !subtask || !job.details) {
            void this.refresh(message.jid);
            return;
        }
        subtask.status = message.state;
        subtask['status-timestamps'] = { ...subtask['status-timestamps'], [message.state]: message.timestamp };
        const summary = job.details.vertices.find((v) => v.id === message.vertexId);
        if (summary) {
            summary.tasks = countStates(vertex.subtasks.map((s) => s.status));
            summary.status = aggregateState(summary.tasks);
        }
        this.fireState(job);
    }

    private applyMetrics(message: JobMetricsMessage): void {
        const job = this.jobs.get(message.jid);
        if (!job) return;
        if (job.details) applyConnectorCounters(job.details, message);
        for (const update of message.vertices) {
            const vertex = job.vertices.get(update.id);
            if (!vertex) continue;
            for (const s of update.subtasks) {
                const subtask = vertex.subtasks.find((candidate) => candidate.subtask === s.subtask);
                if (subtask) subtask.metrics = s.metrics;
            }
        }
        this.changeEmitter.fire(job);
        // Metrics arrive about once a second while a job runs: the checkpoint figures follow them.
        const rest = this.rest;
        if (rest && job.checkpointed && Date.now() - (job.checkpointsReadAt ?? 0) >= CHECKPOINTS_REFRESH_MS) {
            void this.refreshCheckpoints(job, rest).then(() => this.changeEmitter.fire(job));
        }
    }

    /**
     * The updating table of a collect sink whose rows are updates (the graph's `changelog` on the
     * sink), created on first use from the rows received before the graph was known.
     */
    private tableOf(job: TrackedJob, result: CollectedResult): UpdatingTable | undefined {
        if (result.table) return result.table;
        const keyFields = updatingKeyFields(job.graph?.nodes.find((n) => n.id === result.nodeId));
        if (!keyFields) return undefined;
        result.table = new UpdatingTable(keyFields);
        for (const row of result.rows) result.table.apply(row);
        result.rows = [];
        return result.table;
    }

    private applyRecords(message: SinkRecordsMessage): void {
        if (message.connector === 'collect') {
            const job = this.entry(message.jid);
            let result = job.results.get(message.nodeId);
            if (!result) {
                result = { nodeId: message.nodeId, rows: [], notKept: 0 };
                job.results.set(message.nodeId, result);
            }
            const table = this.tableOf(job, result);
            if (table) {
                // An updating table holds one row per key: every update is applied, none is dropped.
                for (const row of message.rows) table.apply(row);
            } else {
                const room = Math.max(0, MAX_COLLECTED_ROWS - result.rows.length);
                result.rows.push(...message.rows.slice(0, room));
                result.notKept += Math.max(0, message.rows.length - room);
            }
        }
        this.recordsEmitter.fire(message);
    }
}

/**
 * A client of the cluster's REST API. Paths and payloads are Flink's (protocol/cluster-api.ts),
 * so the same client reads the local cluster and a real Flink JobManager.
 */
import type {
    ClusterOverview, ErrorResponse, JobDetails, JobExceptions, JobSubmitResponse, JobsOverview, TapInfo, TapRecords, TapRequest,
    TaskManagerDetails, TaskManagersList, VertexBackpressure, VertexDetails
} from '../../../protocol/cluster-api.js';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import type { CheckpointingStatistics } from '../../../protocol/checkpoints.js';

/** A non-2xx answer of the REST API, with Flink's `errors` list as message. */
export class ClusterRestError extends Error {
    constructor(readonly status: number, message: string) { super(message); }
}

/** Typed calls of the REST endpoints the extension uses. */
export class ClusterRestClient {
    constructor(readonly baseUrl: string, private readonly token: string) {}

    overview(): Promise<ClusterOverview> { return this.get('/overview'); }
    taskManagers(): Promise<TaskManagersList> { return this.get('/taskmanagers'); }
    taskManager(id: string): Promise<TaskManagerDetails> { return this.get(`/taskmanagers/${encodeURIComponent(id)}`); }
    jobsOverview(): Promise<JobsOverview> { return this.get('/jobs/overview'); }
    job(jid: string): Promise<JobDetails> { return this.get(`/jobs/${encodeURIComponent(jid)}`); }
    vertex(jid: string, vid: string): Promise<VertexDetails> {
        return this.get(`/jobs/${encodeURIComponent(jid)}/vertices/${encodeURIComponent(vid)}`);
    }
    backpressure(jid: string, vid: string): Promise<VertexBackpressure> {
        return this.get(`/jobs/${encodeURIComponent(jid)}/vertices/${encodeURIComponent(vid)}/backpressure`);
    }
    exceptions(jid: string): Promise<JobExceptions> { return this.get(`/jobs/${encodeURIComponent(jid)}/exceptions`); }
    /** Flink's checkpoint statistics; rejects with status 404 for a job without checkpointing. */
    checkpoints(jid: string): Promise<CheckpointingStatistics> { return this.get(`/jobs/${encodeURIComponent(jid)}/checkpoints`); }

    /** Submits a LogicalGraph as a new job. */
    submit(graph: LogicalGraph): Promise<JobSubmitResponse> { return this.send('POST', '/jobs', graph); }

    /** Cancels a job (Flink: PATCH /jobs/:jid?mode=cancel). */
    async cancel(jid: string): Promise<void> {
        await this.send('PATCH', `/jobs/${encodeURIComponent(jid)}?mode=cancel`);
    }

    /** Opens a tap on a running job's stream or node (records arrive as `tap-records` push messages). */
    openTap(jid: string, request: TapRequest): Promise<TapInfo> { return this.send('POST', `/jobs/${encodeURIComponent(jid)}/taps`, request); }

    /** The job's open taps. */
    taps(jid: string): Promise<{ taps: TapInfo[] }> { return this.get(`/jobs/${encodeURIComponent(jid)}/taps`); }

    /** A tap's sampled records after `since`. */
    tapRecords(jid: string, tapId: string, since = 0): Promise<TapRecords> {
        return this.get(`/jobs/${encodeURIComponent(jid)}/taps/${encodeURIComponent(tapId)}?since=${since}`);
    }

    /** Closes a tap. */
    async closeTap(jid: string, tapId: string): Promise<void> {
        await this.send('DELETE', `/jobs/${encodeURIComponent(jid)}/taps/${encodeURIComponent(tapId)}`);
    }

    private get<T>(path: string): Promise<T> { return this.send<T>('GET', path); }

    private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
        const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        const response = await fetch(new URL(path, this.baseUrl), {
            method, headers, body: body === undefined ? undefined : JSON.stringify(body)
        });
        const text = await response.text();
        let parsed: unknown = undefined;
        if (text.length > 0) {
            try { parsed = JSON.parse(text); } catch { parsed = undefined; }
        }
        if (!response.ok) {
            const errors = (parsed as ErrorResponse | undefined)?.errors;
            const message = Array.isArray(errors) && errors.length > 0 ? errors.join('; ') : text || response.statusText;
            throw new ClusterRestError(response.status, `${method} ${path} failed (${response.status}): ${message}`);
        }
        return parsed as T;
    }
}

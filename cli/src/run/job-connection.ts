/**
 * How `flowline run` follows its job: inside this process (a local cluster it started) or on a
 * running cluster over REST and the push channel. Both give the same push messages and views.
 */
import type { JobDetails, JobSubmitResponse, PushMessage, TapInfo, TapRecords, TapRequest, TaskManagerDetails, TaskManagersList } from '../../../protocol/cluster-api.js';
import { PUSH_PATH } from '../../../protocol/cluster-api.js';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import type { CheckpointingStatistics, SavepointRestoreSettings } from '../../../protocol/checkpoints.js';
import type { JobMaster } from '../../../runtime/src/cluster/job-master.js';
import type { LocalCluster } from '../../../runtime/src/cluster/local-cluster.js';
import { taskManagerDetails } from '../../../runtime/src/rest/cluster-views.js';
import { jobDetails } from '../../../runtime/src/rest/job-views.js';

/** A submitted job, as the CLI sees it. */
export interface JobConnection {
    readonly jobId: string;
    /** Every push message of the job, from submission on (states, metrics, sink records, exceptions). */
    onMessage(listener: (message: PushMessage) => void): void;
    details(): Promise<JobDetails>;
    /** The job's checkpoint statistics; undefined for a job without checkpointing. */
    checkpoints(): Promise<CheckpointingStatistics | undefined>;
    taskManagers(): Promise<TaskManagerDetails[]>;
    cancel(): Promise<void>;
    /** Opens a tap on the running job (`tap-records` push messages follow); rejects when the job is not running. */
    openTap(request: TapRequest): Promise<TapInfo>;
    /** A tap's counts and its latest records after `since` (also once it ended). */
    readTap(tapId: string, since?: number): Promise<TapRecords>;
    close(): Promise<void>;
    /** Stops reading pushed messages while stdout is full (remote clusters; in-process needs no help). */
    pause?(): void;
    resume?(): void;
}

/**
 * Submits to a cluster running in this process. `whenWritable` says when stdout cannot take more
 * printed records (a promise that resolves once it can, or once its reader went away).
 */
export function submitInProcess(cluster: LocalCluster, graph: LogicalGraph, whenWritable: () => Promise<void> | undefined, restore?: SavepointRestoreSettings): JobConnection {
    const listeners: ((message: PushMessage) => void)[] = [];
    // The JobManager announces the first states during submit(): keep them for the first listener.
    const pending: PushMessage[] = [];
    const keep = (message: PushMessage): void => { pending.push(message); };
    cluster.jobManager.on('push', keep);
    let submitted: JobMaster;
    try {
        submitted = cluster.jobManager.submit(graph, { restore });
    } finally {
        cluster.jobManager.off('push', keep);
    }
    const forward = (message: PushMessage): void => {
        if (message.jid !== submitted.id) return;
        if (listeners.length === 0) pending.push(message);
        for (const listener of listeners) listener(message);
    };
    cluster.jobManager.on('push', forward);
    // Printed records go to stdout: while it cannot take more, the job waits.
    const removeConsumer = cluster.jobManager.addSinkConsumer(whenWritable);
    return {
        jobId: submitted.id,
        onMessage(listener) {
            listeners.push(listener);
            if (listeners.length === 1) for (const m of pending.splice(0)) if (m.jid === submitted.id) listener(m);
        },
        details: async () => jobDetails(submitted),
        checkpoints: async () => submitted.checkpoints?.statistics(),
        taskManagers: async () => cluster.taskManagers.map((tm) => taskManagerDetails(cluster, tm)),
        cancel: async () => { cluster.jobManager.cancel(submitted.id); },
        openTap: async (request) => cluster.jobManager.openTap(submitted.id, request),
        readTap: async (tapId, since) => cluster.jobManager.tapRecords(submitted.id, tapId, since),
        close: async () => {
            cluster.jobManager.off('push', forward);
            removeConsumer();
        }
    };
}

/** The cluster refused a submission (400: an invalid graph, a savepoint that does not fit): its message is for the user. */
export class SubmitRefused extends Error {}

/** Submits to a cluster at `baseUrl` (as printed by `flowline cluster`) with its token; `restore`: start from a savepoint. */
export async function submitRemote(baseUrl: string, token: string, graph: LogicalGraph, restore?: SavepointRestoreSettings): Promise<JobConnection> {
    const base = baseUrl.replace(/\/+$/, '');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
        const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        if (!res.ok) {
            let message = text;
            try { message = (JSON.parse(text) as { errors?: string[] }).errors?.join('; ') ?? text; } catch { /* not JSON */ }
            throw new Error(`${method} ${path} answered ${res.status}: ${message}`);
        }
        return JSON.parse(text) as T;
    };
    // Subscribe before submitting, so no state change or record is missed.
    const listeners: ((message: PushMessage) => void)[] = [];
    const buffered: PushMessage[] = [];
    // Loaded on use: a run on the local cluster needs no WebSocket client.
    const { default: WebSocket } = await import('ws');
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${PUSH_PATH}?token=${encodeURIComponent(token)}`);
    await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
        ws.once('unexpected-response', (_req, res) => reject(new Error(`The push channel answered ${res.statusCode}.`)));
    });
    const job: { id?: string } = {};
    ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as PushMessage;
        // Until the job id is known and someone listens, keep everything.
        if (job.id === undefined || listeners.length === 0) buffered.push(message);
        else if (message.jid === job.id) for (const listener of listeners) listener(message);
    });
    const query = restore ? `?savepointPath=${encodeURIComponent(restore.path)}&allowNonRestoredState=${restore.allowNonRestoredState}` : '';
    let submitted: JobSubmitResponse;
    try {
        submitted = await request<JobSubmitResponse>('POST', `/jobs${query}`, graph);
    } catch (error) {
        ws.close();
        const refused = error instanceof Error ? /^POST \S+ answered 400: ([\s\S]*)$/.exec(error.message) : null;
        if (refused) throw new SubmitRefused(refused[1]);
        throw error;
    }
    const id = submitted.jobid;
    job.id = id;
    return {
        jobId: id,
        onMessage(listener) {
            listeners.push(listener);
            if (listeners.length === 1) for (const m of buffered.splice(0)) if (m.jid === id) listener(m);
        },
        details: () => request<JobDetails>('GET', `/jobs/${id}`),
        checkpoints: async () => {
            // As Flink: 404 for a job without checkpointing.
            const res = await fetch(`${base}/jobs/${id}/checkpoints`, { headers });
            return res.status === 404 ? undefined : await res.json() as CheckpointingStatistics;
        },
        taskManagers: async () => {
            const list = await request<TaskManagersList>('GET', '/taskmanagers');
            return Promise.all(list.taskmanagers.map((tm) => request<TaskManagerDetails>('GET', `/taskmanagers/${tm.id}`)));
        },
        cancel: async () => { await request('PATCH', `/jobs/${id}?mode=cancel`); },
        openTap: (tap) => request<TapInfo>('POST', `/jobs/${id}/taps`, tap),
        readTap: (tapId, since = 0) => request<TapRecords>('GET', `/jobs/${id}/taps/${encodeURIComponent(tapId)}?since=${since}`),
        close: async () => { ws.close(); },
        // A paused socket stops reading: TCP back-pressure makes the cluster hold its sink acknowledgements.
        pause: () => ws.pause(),
        resume: () => ws.resume()
    };
}

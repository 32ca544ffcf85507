/**
 * The cluster's REST API (Flink's paths and field names) and push channel, on 127.0.0.1 only.
 * Every request needs the cluster's token: `Authorization: Bearer <token>` (or `?token=` on the
 * push channel, since browsers cannot set WebSocket headers).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ErrorResponse, JobIdsWithStatus, JobSubmitResponse, PushMessage, SubtaskMetrics, TapRequest } from '../../../protocol/cluster-api.js';
import { PUSH_PATH } from '../../../protocol/cluster-api.js';
import type { LocalCluster } from '../cluster/local-cluster.js';
import { TapError } from '../cluster/job-taps.js';
import { JobOperationError } from '../cluster/job-operation-error.js';
import { SavepointRestoreError } from '../checkpoint/savepoint-restore.js';
import type { SavepointTriggerRequest, SavepointTriggerResponse, StopWithSavepointRequest } from '../../../protocol/checkpoints.js';
import { InvalidGraphError } from '../planner/job-graph-builder.js';
import { aggregatedMetrics, requestedIds, selectedSubtasks, subtaskMetricValues, vertexMetricValues } from '../metrics/flink-metric-views.js';
import { clusterOverview, taskManagerDetails, taskManagerInfo } from './cluster-views.js';
import { jobDetails, jobExceptions, jobOverview, jobPlan, vertexBackpressure, vertexDetails, vertexWatermarks } from './job-views.js';

/** Unsent bytes a push client may have before sink records wait for it. */
const PUSH_CLIENT_BACKLOG_BYTES = 4 * 1024 * 1024;

/** Largest accepted submission body. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

class HttpError extends Error {
    constructor(readonly status: number, message: string) {
        super(message);
    }
}

type Handler = (params: string[], query: URLSearchParams, body: unknown) => { status?: number; body: unknown };

export interface RestServerOptions {
    /** Port on 127.0.0.1; 0 picks a free one. */
    port?: number;
    /** The token clients must send; a random one by default. */
    token?: string;
}

export class RestServer {
    private readonly server: Server;
    private readonly push: WebSocketServer;
    private readonly routes: { method: string; pattern: RegExp; handler: Handler }[] = [];
    readonly token: string;
    private listener: ((message: PushMessage) => void) | undefined;
    private removeSinkConsumer: (() => void) | undefined;

    constructor(private readonly cluster: LocalCluster, options: RestServerOptions = {}) {
        this.token = options.token ?? randomBytes(24).toString('hex');
        this.server = createServer((req, res) => void this.handle(req, res));
        this.push = new WebSocketServer({ noServer: true });
        this.server.on('upgrade', (req, socket, head) => {
            const url = new URL(req.url ?? '/', 'http://127.0.0.1');
            if (url.pathname !== PUSH_PATH || !this.authorised(req, url)) {
                socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
                return;
            }
            this.push.handleUpgrade(req, socket, head, (ws) => this.subscribe(ws, url.searchParams.get('jobId')));
        });
        this.defineRoutes();
    }

    /** Starts listening on 127.0.0.1; resolves with the base URL. */
    async listen(port = 0): Promise<string> {
        await new Promise<void>((resolve, reject) => {
            this.server.once('error', reject);
            this.server.listen(port, '127.0.0.1', () => resolve());
        });
        return this.url;
    }

    get url(): string {
        const address = this.server.address() as AddressInfo;
        return `http://127.0.0.1:${address.port}`;
    }

    async close(): Promise<void> {
        if (this.listener) this.cluster.jobManager.off('push', this.listener);
        this.removeSinkConsumer?.();
        for (const client of this.push.clients) client.terminate();
        this.push.close();
        this.server.closeAllConnections();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }

    private subscribe(ws: WebSocket, jobId: string | null): void {
        if (!this.listener) {
            this.listener = (message) => {
                const text = JSON.stringify(message);
                for (const client of this.push.clients) {
                    const filter = (client as WebSocket & { jobFilter?: string | null }).jobFilter;
                    if (client.readyState === client.OPEN && (!filter || filter === message.jid)) client.send(text);
                }
            };
            this.cluster.jobManager.on('push', this.listener);
            this.removeSinkConsumer = this.cluster.jobManager.addSinkConsumer(() => this.slowestClient());
        }
        (ws as WebSocket & { jobFilter?: string | null }).jobFilter = jobId;
    }

    /** While a push client has much unsent data, resolves when it has sent it (polled: ws has no drain event). */
    private slowestClient(): Promise<void> | undefined {
        const backlog = (): number => Math.max(0, ...[...this.push.clients].map((c) => c.bufferedAmount));
        if (backlog() < PUSH_CLIENT_BACKLOG_BYTES) return undefined;
        return new Promise((resolve) => {
            const timer = setInterval(() => {
                if (backlog() < PUSH_CLIENT_BACKLOG_BYTES) {
                    clearInterval(timer);
                    resolve();
                }
            }, 10);
        });
    }

    private authorised(req: IncomingMessage, url: URL): boolean {
        const header = req.headers.authorization;
        const given = header?.startsWith('Bearer ') ? header.slice(7) : url.searchParams.get('token');
        if (!given) return false;
        const a = Buffer.from(given);
        const b = Buffer.from(this.token);
        return a.length === b.length && timingSafeEqual(a, b);
    }

    private route(method: string, path: string, handler: Handler): void {
        const pattern = new RegExp(`^${path.replace(/:[a-z]+/g, '([^/]+)')}/?$`);
        this.routes.push({ method, pattern, handler });
    }

    private defineRoutes(): void {
        const jm = this.cluster.jobManager;
        const job = (id: string) => {
            const found = jm.jobs.get(id);
            if (!found) throw new HttpError(404, `Job ${id} not found.`);
            return found;
        };
        const vertex = (jid: string, vid: string) => {
            const j = job(jid);
            const v = j.jobGraph.vertices.find((x) => x.id === decodeURIComponent(vid));
            if (!v) throw new HttpError(404, `Vertex ${vid} not found in job ${jid}.`);
            return { j, v };
        };
        const taskManager = (id: string) => {
            const tm = this.cluster.taskManagers.find((t) => t.id === id);
            if (!tm) throw new HttpError(404, `TaskManager ${id} not found.`);
            return tm;
        };
        this.route('GET', '/overview', () => ({ body: clusterOverview(this.cluster) }));
        this.route('GET', '/config', () => ({ body: { 'refresh-interval': 3000, 'timezone-name': 'UTC', 'timezone-offset': 0, 'flink-version': 'flowline', features: { 'web-submit': false } } }));
        this.route('GET', '/jobs', () => ({ body: { jobs: [...jm.jobs.values()].map((j) => ({ id: j.id, status: j.status })) } satisfies JobIdsWithStatus }));
        // Flink's restore settings (as its jar run takes them): ?savepointPath=DIR&allowNonRestoredState=true.
        this.route('POST', '/jobs', (_p, query, body) => {
            const savepointPath = query.get('savepointPath');
            const allowNonRestoredState = query.get('allowNonRestoredState');
            if (allowNonRestoredState !== null && allowNonRestoredState !== 'true' && allowNonRestoredState !== 'false') {
                throw new HttpError(400, `allowNonRestoredState must be true or false, not '${allowNonRestoredState}'.`);
            }
            const restore = savepointPath ? { path: savepointPath, allowNonRestoredState: allowNonRestoredState === 'true' } : undefined;
            const submitted = jm.submit(body as never, { restore });
            return { status: 202, body: { jobid: submitted.id, jobUrl: `/jobs/${submitted.id}` } satisfies JobSubmitResponse };
        });
        this.route('GET', '/jobs/overview', () => ({ body: { jobs: [...jm.jobs.values()].map(jobOverview) } }));
        this.route('GET', '/jobs/:jid', ([jid]) => ({ body: jobDetails(job(jid)) }));
        this.route('PATCH', '/jobs/:jid', ([jid], query) => {
            const mode = query.get('mode') ?? 'cancel';
            if (mode !== 'cancel') throw new HttpError(400, `Unsupported mode '${mode}': only mode=cancel is supported.`);
            jm.cancel(job(jid).id);
            return { status: 202, body: {} };
        });
        this.route('GET', '/jobs/:jid/plan', ([jid]) => ({ body: jobPlan(job(jid)) }));
        this.route('GET', '/jobs/:jid/exceptions', ([jid]) => ({ body: jobExceptions(job(jid)) }));
        // As Flink: a job without checkpointing has no checkpoint statistics (404).
        const checkpoints = (jid: string) => {
            const coordinator = job(jid).checkpoints;
            if (!coordinator) throw new HttpError(404, 'Checkpointing has not been enabled for this job (checkpointing needs a streaming job with `checkpoint every ...`).');
            return coordinator;
        };
        this.route('GET', '/jobs/:jid/checkpoints', ([jid]) => ({ body: checkpoints(jid).statistics() }));
        this.route('GET', '/jobs/:jid/checkpoints/config', ([jid]) => ({ body: checkpoints(jid).config() }));
        // Savepoints (Flink's routes and bodies): the trigger answers a request id to poll.
        const accepted = (triggerId: string) => ({ status: 202, body: { 'request-id': triggerId } satisfies SavepointTriggerResponse });
        this.route('POST', '/jobs/:jid/stop', ([jid], _q, body) => {
            const request = (body ?? {}) as StopWithSavepointRequest;
            return accepted(jm.triggerSavepoint(jid, request.targetDirectory, { terminate: true, drain: request.drain === true }));
        });
        this.route('POST', '/jobs/:jid/savepoints', ([jid], _q, body) => {
            const request = (body ?? {}) as SavepointTriggerRequest;
            if (request['cancel-job'] === true) throw new HttpError(400, "cancel-job is not supported: stop the job with a savepoint (POST /jobs/:jid/stop) instead, as Flink recommends.");
            return accepted(jm.triggerSavepoint(jid, request['target-directory'], { terminate: false }));
        });
        this.route('GET', '/jobs/:jid/savepoints/:triggerid', ([jid, triggerId]) => ({ body: jm.savepointStatus(jid, decodeURIComponent(triggerId)) }));
        this.route('GET', '/jobs/:jid/vertices/:vid', ([jid, vid]) => { const { j, v } = vertex(jid, vid); return { body: vertexDetails(j, v) }; });
        this.route('GET', '/jobs/:jid/vertices/:vid/backpressure', ([jid, vid]) => { const { j, v } = vertex(jid, vid); return { body: vertexBackpressure(j, v) }; });
        // Subtask metrics under Flink's names (metrics/flink-metric-views.ts).
        const subtaskMetrics = (jid: string, vid: string): SubtaskMetrics[] => {
            const { j, v } = vertex(jid, vid);
            return (j.executionGraph.subtasks.get(v.id) ?? []).map((s) => s.metrics);
        };
        this.route('GET', '/jobs/:jid/vertices/:vid/metrics', ([jid, vid], query) => ({ body: vertexMetricValues(subtaskMetrics(jid, vid), requestedIds(query.get('get'))) }));
        this.route('GET', '/jobs/:jid/vertices/:vid/subtasks/metrics', ([jid, vid], query) => {
            const all = subtaskMetrics(jid, vid);
            const chosen = selectedSubtasks(query.get('subtasks'), all.length).map((i) => all[i]);
            return { body: aggregatedMetrics(chosen, requestedIds(query.get('get')), query.get('agg')) };
        });
        this.route('GET', '/jobs/:jid/vertices/:vid/subtasks/:index/metrics', ([jid, vid, index], query) => {
            const metrics = subtaskMetrics(jid, vid)[Number(index)];
            if (!/^\d+$/.test(index) || !metrics) throw new HttpError(404, `Subtask ${index} not found in vertex ${vid} of job ${jid}.`);
            return { body: subtaskMetricValues(metrics, requestedIds(query.get('get'))) };
        });
        this.route('GET', '/jobs/:jid/vertices/:vid/watermarks', ([jid, vid]) => { const { j, v } = vertex(jid, vid); return { body: vertexWatermarks(j, v) }; });
        this.route('POST', '/jobs/:jid/taps', ([jid], _q, body) => ({ status: 201, body: jm.openTap(job(jid).id, body as TapRequest) }));
        this.route('GET', '/jobs/:jid/taps', ([jid]) => ({ body: { taps: jm.listTaps(job(jid).id) } }));
        this.route('GET', '/jobs/:jid/taps/:tapid', ([jid, tapid], query) => {
            const since = query.get('since') ?? '0';
            if (!/^\d+$/.test(since)) throw new HttpError(400, `since must be a record seq (a whole number >= 0), not '${since}'.`);
            return { body: jm.tapRecords(job(jid).id, decodeURIComponent(tapid), Number(since)) };
        });
        this.route('DELETE', '/jobs/:jid/taps/:tapid', ([jid, tapid]) => ({ body: jm.closeTap(job(jid).id, decodeURIComponent(tapid)) }));
        this.route('GET', '/taskmanagers', () => ({ body: { taskmanagers: this.cluster.taskManagers.map((tm) => taskManagerInfo(this.cluster, tm)) } }));
        this.route('GET', '/taskmanagers/:tmid', ([id]) => ({ body: taskManagerDetails(this.cluster, taskManager(id)) }));
        // Failure injection for tests only: a cluster started with FLOWLINE_TEST_ROUTES=1 lets a
        // client end a TaskManager thread as a crash would. Not there otherwise.
        if (process.env.FLOWLINE_TEST_ROUTES === '1') {
            this.route('POST', '/taskmanagers/:tmid/crash', ([id]) => {
                taskManager(id).send({ type: 'crash' });
                return { status: 202, body: {} };
            });
        }
    }

    private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        try {
            if (!this.authorised(req, url)) throw new HttpError(401, 'Missing or wrong token: send "Authorization: Bearer <token>" (the token `flowline cluster` printed).');
            const candidates = this.routes.filter((r) => r.pattern.test(url.pathname));
            if (candidates.length === 0) throw new HttpError(404, `Not found: ${url.pathname}`);
            const route = candidates.find((r) => r.method === req.method);
            if (!route) throw new HttpError(405, `${req.method} is not allowed on ${url.pathname}.`);
            const params = route.pattern.exec(url.pathname)!.slice(1);
            const body = req.method === 'POST' ? await readJson(req) : undefined;
            const result = route.handler(params, url.searchParams, body);
            send(res, result.status ?? 200, result.body);
        } catch (error) {
            const status = error instanceof HttpError || error instanceof TapError || error instanceof JobOperationError ? error.status
                : error instanceof InvalidGraphError || error instanceof SavepointRestoreError ? 400 : 500;
            send(res, status, { errors: [error instanceof Error ? error.message : String(error)] } satisfies ErrorResponse);
        }
    }
}

function send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES) throw new HttpError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
        chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    try {
        return JSON.parse(text);
    } catch (error) {
        throw new HttpError(400, `The request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
}

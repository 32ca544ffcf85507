/**
 * Starts the real standalone cluster process (dist/cluster.mjs, as the editor spawns it) and
 * talks to it over its REST API and push channel, as any client does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before } from 'node:test';
import WebSocket from 'ws';
import type { ClusterHello, PushMessage } from '../../protocol/cluster-api.js';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import { REPO_ROOT } from '../support/run-cli.js';

export const FIXTURES = path.join(REPO_ROOT, 'test', 'runtime', 'fixtures');

/** A LogicalGraph fixture (the graph of a one-pipeline file). */
export function graphFixture(name: string): LogicalGraph {
    const json = JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as LogicalGraph | LogicalGraph[];
    return Array.isArray(json) ? json[0] : json;
}

export interface RunningCluster {
    hello: ClusterHello;
    /** A request with the cluster's token; returns status and parsed JSON body. */
    api<T = Record<string, unknown>>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }>;
    /** Opens the push channel; messages are collected from the moment it opens. */
    push(jobId?: string): Promise<PushClient>;
    stop(): Promise<void>;
}

export interface PushClient {
    messages: PushMessage[];
    /** Resolves with the first message (seen or future) matching `predicate`. */
    waitFor(predicate: (m: PushMessage) => boolean): Promise<PushMessage>;
    close(): void;
}

/** One cluster, its push client and a temporary folder, shared by the tests of a file. */
export interface FileCluster {
    readonly cluster: RunningCluster;
    readonly push: PushClient;
    /** Removed with everything in it after the file's tests. */
    readonly temp: string;
}

/**
 * Starts a cluster and opens its push channel before the file's tests (in a `before` hook
 * registered here, so a file's own `before` hooks registered after this call see them), and
 * stops both and removes the temporary folder after them.
 */
export function clusterForFile(args: string[], tempPrefix: string): FileCluster {
    const temp = mkdtempSync(path.join(tmpdir(), tempPrefix));
    let cluster: RunningCluster | undefined;
    let push: PushClient | undefined;
    before(async () => {
        cluster = await startCluster(args);
        push = await cluster.push();
    });
    after(async () => {
        push?.close();
        await cluster?.stop();
        rmSync(temp, { recursive: true, force: true });
    });
    return {
        get cluster() { if (!cluster) throw new Error('the cluster starts in the file\'s before hook'); return cluster; },
        get push() { if (!push) throw new Error('the push channel opens in the file\'s before hook'); return push; },
        temp
    };
}

/** Spawns `node dist/cluster.mjs` with the given arguments and waits for its hello line. */
export async function startCluster(args: string[] = ['--taskmanagers', '2', '--slots', '1']): Promise<RunningCluster> {
    const child: ChildProcess = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cluster.mjs'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const hello = await new Promise<ClusterHello>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`cluster exited with ${code} before printing its URL`)));
        lines.once('line', (line) => resolve(JSON.parse(line) as ClusterHello));
    });
    const clients: PushClient[] = [];
    return {
        hello,
        async api(method, urlPath, body) {
            const res = await fetch(`${hello.url}${urlPath}`, {
                method, headers: { authorization: `Bearer ${hello.token}`, 'content-type': 'application/json' },
                body: body === undefined ? undefined : JSON.stringify(body)
            });
            return { status: res.status, body: JSON.parse(await res.text()) };
        },
        async push(jobId) {
            const client = await openPush(hello, jobId);
            clients.push(client);
            return client;
        },
        async stop() {
            for (const c of clients) c.close();
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            await exited;
        }
    };
}

async function openPush(hello: ClusterHello, jobId?: string): Promise<PushClient> {
    const ws = new WebSocket(`${hello.url.replace('http', 'ws')}/push?token=${hello.token}${jobId ? `&jobId=${jobId}` : ''}`);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const messages: PushMessage[] = [];
    const waiters: { predicate: (m: PushMessage) => boolean; resolve: (m: PushMessage) => void }[] = [];
    ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as PushMessage;
        messages.push(message);
        for (const w of [...waiters]) {
            if (w.predicate(message)) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve(message);
            }
        }
    });
    return {
        messages,
        waitFor(predicate) {
            const seen = messages.find(predicate);
            if (seen) return Promise.resolve(seen);
            return new Promise((resolve) => waiters.push({ predicate, resolve }));
        },
        close: () => ws.close()
    };
}

/** Waits until the job reaches a terminal state (over the push channel). */
export async function waitForJobEnd(push: PushClient, jobId: string): Promise<string> {
    const m = await push.waitFor((x) => x.type === 'job-status' && x.jid === jobId && ['FINISHED', 'FAILED', 'CANCELED'].includes(x.status));
    return (m as Extract<PushMessage, { type: 'job-status' }>).status;
}

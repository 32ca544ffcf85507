/**
 * A local Flink session cluster (`flowline flink start|stop|status`): one JobManager, one
 * TaskManager and the SQL Gateway, all on 127.0.0.1, run from the locked Maven Central jars in
 * the user's cache. Processes are detached (they outlive the CLI); their pids, URLs and logs are
 * recorded in the state folder's flink-cluster.json.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { FlinkRestClient } from '../rest/flink-rest-client.js';
import { SqlGatewayClient } from '../rest/sql-gateway-client.js';
import { FLINK_ARTIFACT_LOCK } from './artifact-lock.js';
import { ensureArtifacts, flowlineCacheDir, mavenRepositoryUrl, type EnsuredArtifacts } from './artifact-cache.js';
import { isOurProcess, readFlinkState, stateFilePath, type LocalFlinkState } from './cluster-state.js';
import { writeFlinkConfig } from './flink-config.js';
import { logFile, outFile, resourceParams, startFlinkProcess, type FlinkProcessContext, type FlinkProcessKind } from './flink-processes.js';
import { findJava } from './java-runtime.js';

export const DEFAULT_REST_PORT = 8081;
export const DEFAULT_SQL_GATEWAY_PORT = 8083;
export const DEFAULT_SLOTS = 4;

/** A start that could not complete; the message says why (and where the logs are). */
export class LocalFlinkError extends Error {}

export interface StartOptions {
    stateDir: string;
    restPort?: number;
    sqlGatewayPort?: number;
    slots?: number;
    env?: NodeJS.ProcessEnv;
    /** Progress lines (downloads, waiting). */
    log?: (line: string) => void;
    /** How long to wait for the cluster to be ready (default 180 s). */
    timeoutMs?: number;
}

export interface StartResult {
    /** False when a cluster of this state folder was already running (nothing was started). */
    started: boolean;
    state: LocalFlinkState;
    artifacts?: EnsuredArtifacts;
    /** From the processes' start to free slots and an answering gateway. */
    startMillis?: number;
}

/** What `flowline flink status` prints. */
export interface LocalFlinkStatus {
    running: boolean;
    version?: string;
    restUrl?: string;
    sqlGatewayUrl?: string;
    webUiUrl?: string;
    taskManagers?: number;
    slotsTotal?: number;
    slotsAvailable?: number;
    logs?: LocalFlinkState['logs'];
    stateDir: string;
    /** Why running is false, when something of the cluster is left. */
    problem?: string;
}

const KINDS: FlinkProcessKind[] = ['jobManager', 'taskManager', 'sqlGateway'];

export async function startLocalFlink(options: StartOptions): Promise<StartResult> {
    const env = options.env ?? process.env;
    const log = options.log ?? (() => undefined);
    const stateDir = options.stateDir;
    const existing = readFlinkState(stateDir);
    if (existing && KINDS.some((k) => isOurProcess(existing.pids[k], stateDir))) {
        return { started: false, state: existing };
    }
    const restPort = options.restPort ?? DEFAULT_REST_PORT;
    const sqlGatewayPort = options.sqlGatewayPort ?? DEFAULT_SQL_GATEWAY_PORT;
    const slots = options.slots ?? DEFAULT_SLOTS;
    // Checks that fail fast, before any download: Java, then the ports.
    const java = findJava(env);
    await requireFreePort(restPort, '--rest-port');
    await requireFreePort(sqlGatewayPort, '--sql-gateway-port');
    const artifacts = await ensureArtifacts(FLINK_ARTIFACT_LOCK, {
        cacheDir: flowlineCacheDir(env),
        repositoryUrl: mavenRepositoryUrl(env),
        log
    });

    const context: FlinkProcessContext = {
        java: java.executable,
        jars: artifacts.jars,
        confDir: join(stateDir, 'conf'),
        logDir: join(stateDir, 'log'),
        tmpDir: join(stateDir, 'tmp'),
        stateDir
    };
    // A fresh tmp folder: blobs and the unpacked RPC jar of an earlier run are not reused.
    await rm(context.tmpDir, { recursive: true, force: true });
    await Promise.all([mkdir(context.logDir, { recursive: true }), mkdir(join(context.tmpDir, 'web'), { recursive: true })]);
    await writeFlinkConfig(context.confDir, {
        ports: { rest: restPort, sqlGateway: sqlGatewayPort, jobManagerRpc: await freePort() },
        slots,
        tmpDir: context.tmpDir
    });
    const [jmParams, tmParams] = await Promise.all([resourceParams(context, 'JM'), resourceParams(context, 'TM')]);

    const started = Date.now();
    const pids = {
        jobManager: startFlinkProcess(context, 'jobManager', jmParams),
        taskManager: startFlinkProcess(context, 'taskManager', tmParams),
        sqlGateway: startFlinkProcess(context, 'sqlGateway')
    };
    const restUrl = `http://127.0.0.1:${restPort}`;
    const state: LocalFlinkState = {
        version: FLINK_ARTIFACT_LOCK.flinkVersion,
        restUrl,
        sqlGatewayUrl: `http://127.0.0.1:${sqlGatewayPort}`,
        webUiUrl: `${restUrl}/`,
        pids,
        logs: { jobManager: logFile(context, 'jobManager'), taskManager: logFile(context, 'taskManager'), sqlGateway: logFile(context, 'sqlGateway') },
        slots,
        stateDir,
        startedAt: new Date(started).toISOString()
    };
    // Written before waiting, so `flowline flink stop` can end the processes whatever happens next.
    await writeFile(stateFilePath(stateDir), JSON.stringify(state, null, 2) + '\n');
    log(`Started Flink ${state.version} (JobManager ${pids.jobManager}, TaskManager ${pids.taskManager}, SQL Gateway ${pids.sqlGateway}); waiting for it to be ready ...`);
    try {
        await waitUntilReady(state, context, options.timeoutMs ?? 180_000);
    } catch (err) {
        await stopLocalFlink(stateDir);
        throw err;
    }
    return { started: true, state, artifacts, startMillis: Date.now() - started };
}

async function waitUntilReady(state: LocalFlinkState, context: FlinkProcessContext, timeoutMs: number): Promise<void> {
    const rest = new FlinkRestClient(state.restUrl, 2_000);
    const gateway = new SqlGatewayClient(state.sqlGatewayUrl);
    const deadline = Date.now() + timeoutMs;
    let slotsReady = false;
    let gatewayReady = false;
    while (!(slotsReady && gatewayReady)) {
        for (const kind of KINDS) {
            if (!isOurProcess(state.pids[kind], state.stateDir)) {
                throw new LocalFlinkError(`The Flink ${kind} (pid ${state.pids[kind]}) ended during start-up. Last lines of ${logFile(context, kind)}:\n${await tail(logFile(context, kind), outFile(context, kind))}`);
            }
        }
        if (Date.now() > deadline) {
            throw new LocalFlinkError(`The local Flink was not ready after ${Math.round(timeoutMs / 1000)} s (${slotsReady ? 'slots ready' : 'no free task slots yet'}, ${gatewayReady ? 'SQL Gateway ready' : 'SQL Gateway not answering'}). Logs: ${context.logDir}`);
        }
        if (!slotsReady) slotsReady = await rest.overview().then((o) => o['slots-available'] > 0, () => false);
        if (!gatewayReady) gatewayReady = await gateway.info().then(() => true, () => false);
        if (!(slotsReady && gatewayReady)) await new Promise((resolve) => setTimeout(resolve, 250));
    }
}

async function tail(...files: string[]): Promise<string> {
    const parts: string[] = [];
    for (const file of files) {
        const text = await readFile(file, 'utf8').catch(() => '');
        const lines = text.trim().split('\n').filter(Boolean);
        if (lines.length > 0) parts.push(lines.slice(-20).join('\n'));
    }
    return parts.join('\n') || '(empty)';
}

/** Ends the cluster's processes (TERM, then KILL after 30 s) and waits until they are gone. */
export async function stopLocalFlink(stateDir: string): Promise<{ stopped: FlinkProcessKind[] }> {
    const state = readFlinkState(stateDir);
    if (!state) return { stopped: [] };
    const alive = KINDS.filter((k) => isOurProcess(state.pids[k], stateDir));
    for (const kind of alive) signal(state.pids[kind], 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (alive.some((k) => isOurProcess(state.pids[k], stateDir))) {
        if (Date.now() > deadline) {
            for (const kind of alive) if (isOurProcess(state.pids[kind], stateDir)) signal(state.pids[kind], 'SIGKILL');
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await rm(stateFilePath(stateDir), { force: true });
    await rm(join(stateDir, 'tmp'), { recursive: true, force: true });
    return { stopped: alive };
}

function signal(pid: number, name: NodeJS.Signals): void {
    try {
        process.kill(pid, name);
    } catch {
        // Already gone.
    }
}

/** The cluster of this state folder, as its REST API reports it. */
export async function localFlinkStatus(stateDir: string): Promise<LocalFlinkStatus> {
    const state = readFlinkState(stateDir);
    if (!state) return { running: false, stateDir };
    const { restUrl, sqlGatewayUrl, webUiUrl, version, logs } = state;
    const dead = KINDS.filter((k) => !isOurProcess(state.pids[k], stateDir));
    const base = { restUrl, sqlGatewayUrl, webUiUrl, version, logs, stateDir };
    if (dead.length === KINDS.length) return { running: false, stateDir, problem: 'its processes have ended (run `flowline flink start`)' };
    if (dead.length > 0) return { running: false, ...base, problem: `the ${dead.join(' and ')} ended (see the logs; \`flowline flink stop\` ends the rest)` };
    try {
        const overview = await new FlinkRestClient(restUrl, 5_000).overview();
        return {
            running: true, ...base,
            version: overview['flink-version'],
            taskManagers: overview.taskmanagers,
            slotsTotal: overview['slots-total'],
            slotsAvailable: overview['slots-available']
        };
    } catch (err) {
        return { running: false, ...base, problem: err instanceof Error ? err.message : String(err) };
    }
}

function requireFreePort(port: number, option: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', (err: NodeJS.ErrnoException) => reject(new LocalFlinkError(
            `Port ${port} on 127.0.0.1 is not free (${err.code}): another Flink or program uses it; choose another with ${option}.`)));
        server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            server.close(() => resolve(port));
        });
    });
}

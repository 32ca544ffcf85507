/**
 * A real Flink session cluster for tests. scripts/test.sh starts one for the whole run and sets
 * FLOWLINE_FLINK_REST_URL / FLOWLINE_FLINK_SQL_GATEWAY_URL / FLOWLINE_FLINK_STATE_DIR; a test file run on its own starts one
 * through the CLI (`flowline flink start`, on free ports, state in a temporary folder) and stops
 * it when the file's tests are done.
 */
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

export interface FlinkClusterForTests {
    restUrl: string;
    sqlGatewayUrl: string;
    /** The cluster's state folder (for `flowline flink status --state-dir`). */
    stateDir: string;
}

let shared: Promise<FlinkClusterForTests> | undefined;
let ownStateDir: string | undefined;

// Registered when a test file imports this module, so it belongs to the file's root test and
// runs after all of the file's tests. (Registered from inside a suite's `before` hook, node:test
// ran it as soon as that hook ended, stopping the cluster before the first test.)
after(async () => {
    if (ownStateDir === undefined) return;
    await runCli(['flink', 'stop', '--state-dir', ownStateDir]);
    rmSync(ownStateDir, { recursive: true, force: true });
});

/** The test run's Flink cluster, started (once per test file) when the environment has none. */
export function flinkClusterForTests(): Promise<FlinkClusterForTests> {
    const restUrl = process.env.FLOWLINE_FLINK_REST_URL;
    const sqlGatewayUrl = process.env.FLOWLINE_FLINK_SQL_GATEWAY_URL;
    const stateDir = process.env.FLOWLINE_FLINK_STATE_DIR;
    if (restUrl && sqlGatewayUrl && stateDir) return Promise.resolve({ restUrl, sqlGatewayUrl, stateDir });
    shared ??= startForThisFile();
    return shared;
}

async function startForThisFile(): Promise<FlinkClusterForTests> {
    const stateDir = mkdtempSync(join(tmpdir(), 'flowline-test-flink-'));
    ownStateDir = stateDir;
    const [restPort, sqlGatewayPort] = [await freePort(), await freePort()];
    const started = await runCli(['flink', 'start', '--state-dir', stateDir, '--rest-port', String(restPort), '--sql-gateway-port', String(sqlGatewayPort)]);
    if (started.code !== 0) throw new Error(`flowline flink start failed (exit ${started.code}):\n${started.stderr}`);
    const status = JSON.parse(started.stdout) as { restUrl: string; sqlGatewayUrl: string };
    return { restUrl: status.restUrl, sqlGatewayUrl: status.sqlGatewayUrl, stateDir };
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
        });
    });
}

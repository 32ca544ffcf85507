/**
 * `flowline flink start|stop|status|download` against a real Flink 2.3.0 (test/support/flink-cluster.ts)
 * and against a stand-in Maven repository (a local HTTP server) for the download's failure cases.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import lock from '../../flink/artifacts.lock.json' with { type: 'json' };
import { flinkClusterForTests, freePort, type FlinkClusterForTests } from '../support/flink-cluster.js';
import { runCli } from '../support/run-cli.js';

const temp = mkdtempSync(join(tmpdir(), 'flowline-flink-cli-test-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** The cache the test run's cluster was started from (filled and verified by then). */
function userCacheDir(): string {
    if (process.env.FLOWLINE_CACHE_DIR) return process.env.FLOWLINE_CACHE_DIR;
    if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'flowline');
    return join(process.env.HOME ?? '', '.cache', 'flowline');
}

/** A stand-in for Maven Central: serves the real cache's jars, or `override`'s bytes, and records requests. */
async function standInRepository(override: Record<string, Buffer> = {}): Promise<{ url: string; requested: string[]; server: Server }> {
    const requested: string[] = [];
    const server = createServer((req, res) => {
        const path = decodeURIComponent((req.url ?? '/').slice(1));
        requested.push(path);
        try {
            const body = override[path] ?? readFileSync(join(userCacheDir(), 'maven', path));
            res.writeHead(200, { 'content-length': body.length });
            res.end(body);
        } catch {
            res.writeHead(404).end();
        }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { url: `http://127.0.0.1:${port}/`, requested, server };
}

describe('flowline flink', () => {
    let cluster: FlinkClusterForTests;
    before(async () => { cluster = await flinkClusterForTests(); });

    it('status prints the running cluster as JSON: version, URLs, one TaskManager and its slots', async () => {
        const result = await runCli(['flink', 'status', '--state-dir', cluster.stateDir]);
        assert.equal(result.code, 0, result.stderr);
        const status = JSON.parse(result.stdout);
        assert.equal(status.running, true);
        assert.equal(status.version, lock.flinkVersion);
        assert.equal(status.restUrl, cluster.restUrl);
        assert.equal(status.sqlGatewayUrl, cluster.sqlGatewayUrl);
        assert.equal(status.webUiUrl, `${cluster.restUrl}/`);
        assert.equal(status.taskManagers, 1);
        assert.equal(status.slotsTotal, 4);
        assert.ok(status.slotsAvailable <= status.slotsTotal);
        assert.match(status.logs.jobManager, /jobmanager\.log$/);
        const webUi = await fetch(status.webUiUrl);
        assert.match(await webUi.text(), /<html|<!DOCTYPE/i, 'the Web UI is served at webUiUrl');
    });

    it('start while the cluster runs says so and starts nothing', async () => {
        const result = await runCli(['flink', 'start', '--state-dir', cluster.stateDir]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stderr, /already running/);
        assert.equal(JSON.parse(result.stdout).restUrl, cluster.restUrl);
    });

    it('status without a cluster prints running: false and exits with 3', async () => {
        const result = await runCli(['flink', 'status', '--state-dir', join(temp, 'no-cluster')]);
        assert.equal(result.code, 3);
        assert.equal(JSON.parse(result.stdout).running, false);
    });
});

describe('flowline flink start fails clearly', () => {
    it('when JAVA_HOME points to no Java', async () => {
        const result = await runCli(['flink', 'start', '--state-dir', join(temp, 'no-java-home')], { env: { JAVA_HOME: join(temp, 'nowhere') } });
        assert.equal(result.code, 1);
        assert.match(result.stderr, /Flink needs Java 17 or newer, but JAVA_HOME is .*nowhere/);
    });

    it('when there is no java on PATH and no JAVA_HOME', async () => {
        const result = await runCli(['flink', 'start', '--state-dir', join(temp, 'no-java')], { env: { JAVA_HOME: '', PATH: join(temp, 'empty-bin') } });
        assert.equal(result.code, 1);
        assert.match(result.stderr, /no `java` on PATH and JAVA_HOME is not set/);
    });

    it('when the Java found is older than 17', async () => {
        const javaHome = join(temp, 'java-11');
        mkdirSync(join(javaHome, 'bin'), { recursive: true });
        writeFileSync(join(javaHome, 'bin', 'java'), '#!/bin/sh\necho \'openjdk version "11.0.22" 2024-01-16\' >&2\n');
        chmodSync(join(javaHome, 'bin', 'java'), 0o755);
        const result = await runCli(['flink', 'start', '--state-dir', join(temp, 'old-java')], { env: { JAVA_HOME: javaHome } });
        assert.equal(result.code, 1);
        assert.match(result.stderr, /is Java 11\.0\.22/);
    });

    it('when the Maven repository cannot be reached, naming the artifact and the URL', async () => {
        const closedPort = await freePort();
        const result = await runCli(['flink', 'start', '--state-dir', join(temp, 'no-repo'), '--rest-port', String(await freePort()), '--sql-gateway-port', String(await freePort())], {
            env: { FLOWLINE_CACHE_DIR: join(temp, 'empty-cache'), FLOWLINE_MAVEN_REPOSITORY: `http://127.0.0.1:${closedPort}/maven2` }
        });
        assert.equal(result.code, 1);
        const first = lock.artifacts[0];
        const coordinates = `${first.group}:${first.artifact}:${first.version}`;
        assert.ok(result.stderr.includes(`${coordinates} from http://127.0.0.1:${closedPort}/maven2/${first.path}: fetch failed (connect ECONNREFUSED`), result.stderr);
        assert.ok(result.stderr.includes(`${lock.artifactCount} of ${lock.artifactCount} Flink artifacts could not be downloaded`));
        assert.match(result.stderr, /FLOWLINE_MAVEN_REPOSITORY/);
    });
});

describe('flowline flink download', () => {
    it('downloads again a cached jar whose bytes are corrupt, and only that one', async () => {
        await flinkClusterForTests(); // the user cache is complete once a cluster started from it
        const cache = join(temp, 'corrupt-cache');
        for (const artifact of lock.artifacts) {
            const file = join(cache, 'maven', artifact.path);
            mkdirSync(dirname(file), { recursive: true });
            symlinkSync(join(userCacheDir(), 'maven', artifact.path), file);
        }
        const victim = lock.artifacts.find((a) => a.artifact === 'flink-csv')!;
        const victimFile = join(cache, 'maven', victim.path);
        rmSync(victimFile);
        copyFileSync(join(userCacheDir(), 'maven', victim.path), victimFile);
        const bytes = readFileSync(victimFile);
        bytes[bytes.length >> 1] ^= 0xff; // same size, different content
        writeFileSync(victimFile, bytes);

        const repository = await standInRepository();
        try {
            const result = await runCli(['flink', 'download'], { env: { FLOWLINE_CACHE_DIR: cache, FLOWLINE_MAVEN_REPOSITORY: repository.url } });
            assert.equal(result.code, 0, result.stderr);
            assert.deepEqual(repository.requested, [victim.path]);
            assert.match(result.stderr, new RegExp(`org\\.apache\\.flink:flink-csv:${lock.flinkVersion} in the cache .* does not match its checksum`));
            const summary = JSON.parse(result.stdout);
            assert.equal(summary.downloaded, 1);
            assert.deepEqual(summary.replacedCorrupt, [`org.apache.flink:flink-csv:${lock.flinkVersion}`]);
            assert.equal(createHash('sha256').update(readFileSync(victimFile)).digest('hex'), victim.sha256);
        } finally {
            repository.server.close();
        }
    });

    it('refuses a jar whose download does not match the lock, naming it and leaving nothing in the cache', async () => {
        const victim = lock.artifacts.find((a) => a.artifact === 'flink-json')!;
        const cache = join(temp, 'bad-download-cache');
        const repository = await standInRepository({ [victim.path]: Buffer.alloc(victim.size, 7) });
        try {
            const result = await runCli(['flink', 'download'], { env: { FLOWLINE_CACHE_DIR: cache, FLOWLINE_MAVEN_REPOSITORY: repository.url } });
            assert.equal(result.code, 1);
            assert.match(result.stderr, new RegExp(`1 of ${lock.artifactCount} Flink artifacts could not be downloaded`));
            assert.match(result.stderr, new RegExp(`org\\.apache\\.flink:flink-json:${lock.flinkVersion} from ${repository.url.replace(/\//g, '\\/')}.*SHA-256 [0-9a-f]{64} does not match the lock's ${victim.sha256}`));
            assert.throws(() => readFileSync(join(cache, 'maven', victim.path)), /ENOENT/);
        } finally {
            repository.server.close();
        }
    });
});

/**
 * `flowline flink jobs` and `flowline flink cancel` against a real Flink 2.3.0
 * (test/support/flink-cluster.ts): a submitted job is listed RUNNING, cancelled, then listed
 * CANCELED; cancelling it again, an unknown job and a malformed id are clear errors.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { flinkClusterForTests, freePort, type FlinkClusterForTests } from '../support/flink-cluster.js';
import { runCli } from '../support/run-cli.js';

const temp = mkdtempSync(join(tmpdir(), 'flowline-flink-jobs-test-'));
after(() => rmSync(temp, { recursive: true, force: true }));

describe('flowline flink jobs and flowline flink cancel', () => {
    let cluster: FlinkClusterForTests;
    let target: string[];
    before(async () => {
        cluster = await flinkClusterForTests();
        target = ['--flink', cluster.restUrl];
    });

    it('lists a submitted job as RUNNING, cancels it (exit 0) and then lists it as CANCELED', async () => {
        const submitted = await runCli(['submit', 'test/flink/fixtures/slow-datagen.flow', '--flink', cluster.restUrl, '--sql-gateway', cluster.sqlGatewayUrl]);
        assert.equal(submitted.code, 0, submitted.stderr);
        const { jobId } = JSON.parse(submitted.stdout) as { jobId: string };

        const listed = await runCli(['flink', 'jobs', ...target]);
        assert.equal(listed.code, 0, listed.stderr);
        const lines = listed.stdout.trimEnd().split('\n');
        assert.match(lines[0], /^JOB ID\s+STATE\s+DURATION\s+NAME$/);
        assert.match(listed.stdout, new RegExp(`^${jobId}  (RUNNING|CREATED|INITIALIZING)\\s+[\\d.]+ s\\s+SlowTicks$`, 'm'));

        const cancelled = await runCli(['flink', 'cancel', jobId, ...target]);
        assert.equal(cancelled.code, 0, cancelled.stderr);
        assert.match(cancelled.stderr, new RegExp(`SlowTicks \\(${jobId}\\) is CANCELED`));

        const json = await runCli(['flink', 'jobs', '--json', ...target]);
        assert.equal(json.code, 0, json.stderr);
        const job = (JSON.parse(json.stdout) as { jid: string; state: string; name: string }[]).find((j) => j.jid === jobId);
        assert.deepEqual([job?.name, job?.state], ['SlowTicks', 'CANCELED']);

        const again = await runCli(['flink', 'cancel', jobId, ...target]);
        assert.equal(again.code, 1);
        assert.match(again.stderr, new RegExp(`The job ${jobId} \\(SlowTicks\\) has already ended: CANCELED`));
    });

    it('lists the jobs of the local Flink recorded in the state folder when no URL is given', async () => {
        const listed = await runCli(['flink', 'jobs', '--state-dir', cluster.stateDir], { env: { FLOWLINE_FLINK_REST_URL: '' } });
        assert.equal(listed.code, 0, listed.stderr);
        assert.match(listed.stdout, /^JOB ID\s+STATE/);
    });

    it('refuses an unknown job (exit 1) and something that is not a job id (exit 2)', async () => {
        const unknown = await runCli(['flink', 'cancel', '0123456789abcdef0123456789abcdef', ...target]);
        assert.equal(unknown.code, 1);
        assert.match(unknown.stderr, /No job 0123456789abcdef0123456789abcdef on http:\/\/127\.0\.0\.1:\d+ \(`flowline flink jobs` lists them\)/);
        const malformed = await runCli(['flink', 'cancel', 'job-1', ...target]);
        assert.equal(malformed.code, 2);
        assert.match(malformed.stderr, /'job-1' is not a Flink job id \(32 hex digits\)/);
    });
});

describe('flowline flink jobs without a Flink', () => {
    it('names the REST URL that does not answer (exit 1)', async () => {
        const rest = await freePort();
        const result = await runCli(['flink', 'jobs', '--flink', `http://127.0.0.1:${rest}`]);
        assert.equal(result.code, 1);
        assert.match(result.stderr, new RegExp(`Flink's REST API at http://127\\.0\\.0\\.1:${rest} \\(--flink\\) does not answer`));
    });

    it('says how to start one when none was started and no URL is given (exit 1)', async () => {
        const result = await runCli(['flink', 'jobs', '--state-dir', join(temp, 'never-started')], { env: { FLOWLINE_FLINK_REST_URL: '' } });
        assert.equal(result.code, 1);
        assert.match(result.stderr, /No Flink cluster to ask: start a local one with `flowline flink start`/);
    });
});

/**
 * The pipeline header's `checkpoint every ...` and `restart ...` on a real Flink 2.3: a job
 * submitted with `flowline submit` runs with the checkpoint interval and mode, and the restart
 * strategy, the header gives (Flink's own REST API reports them), so a job fails and recovers on
 * Flink as on the local runtime.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { flinkClusterForTests, type FlinkClusterForTests } from '../support/flink-cluster.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

const FILE = join(REPO_ROOT, 'test', 'flink', 'fixtures', 'fault-tolerance-settings.flow');

describe('the header\'s fault-tolerance settings on Flink', () => {
    let cluster: FlinkClusterForTests;
    before(async () => {
        cluster = await flinkClusterForTests();
    });

    /** Submits one pipeline of the fixture, waits for it to finish, and returns Flink's checkpoint config and restart strategy. */
    async function submitted(pipeline: string): Promise<{ checkpoints: { mode: string; interval: number }; restart: string }> {
        const result = await runCli(['submit', FILE, '--pipeline', pipeline, '--flink', cluster.restUrl, '--sql-gateway', cluster.sqlGatewayUrl, '--wait']);
        assert.equal(result.code, 0, result.stderr);
        const { jobId } = JSON.parse(result.stdout) as { jobId: string };
        const checkpoints = await (await fetch(`${cluster.restUrl}/jobs/${jobId}/checkpoints/config`)).json() as { mode: string; interval: number };
        const config = await (await fetch(`${cluster.restUrl}/jobs/${jobId}/config`)).json() as { 'execution-config': { 'restart-strategy': string } };
        return { checkpoints, restart: config['execution-config']['restart-strategy'] };
    }

    it('checkpoint every 1s at least once and restart fixed 2 delay 3s become Flink\'s interval, mode and fixed-delay strategy', async () => {
        const job = await submitted('FixedDelayAtLeastOnce');
        assert.equal(job.checkpoints.interval, 1000);
        assert.equal(job.checkpoints.mode, 'at_least_once');
        assert.equal(job.restart, 'Restart with fixed delay (PT3S). #2 restart attempts.');
    });

    it('restart exponential ... becomes Flink\'s exponential-delay strategy with every part the header gives', async () => {
        const job = await submitted('ExponentialDelay');
        assert.equal(job.checkpoints.interval, 2000);
        assert.equal(job.checkpoints.mode, 'exactly_once');
        assert.match(job.restart, /^Restart with exponential delay/);
        for (const part of ['PT2S', 'PT30S', '3.0', 'PT10M', '0.0']) assert.ok(job.restart.includes(part), `${part} in: ${job.restart}`);
    });
});

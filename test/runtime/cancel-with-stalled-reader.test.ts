/**
 * Cancelling a job whose printed records nobody takes any more (a push client that stopped
 * reading, so the cluster withholds the sink acknowledgements) still ends it promptly: a
 * cancelled task stops waiting for sink capacity instead of timing out after 10 s.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { graphFixture, startCluster } from './cluster-harness.js';

test('a job whose print-sink reader stalled is cancelled promptly, without a CancellationTimeoutException', async () => {
    const cluster = await startCluster(['--taskmanagers', '1', '--slots', '1']);
    try {
        // A push client that never reads: its socket fills up, and the cluster holds the job's sink records back.
        const stalled = new WebSocket(`${cluster.hello.url.replace('http', 'ws')}/push?token=${cluster.hello.token}`);
        await new Promise((resolve, reject) => { stalled.once('open', resolve); stalled.once('error', reject); });
        stalled.pause();
        const submitted = await cluster.api<{ jobid: string }>('POST', '/jobs', graphFixture('many-rows-print.json'));
        assert.equal(submitted.status, 202);
        const jid = submitted.body.jobid;
        // Wait until the job is held back by the stalled reader (its records-out stop growing).
        let previous = -1;
        for (;;) {
            await new Promise((resolve) => setTimeout(resolve, 300));
            const job = await cluster.api<{ state: string; vertices: { metrics: { 'write-records': number } }[] }>('GET', `/jobs/${jid}`);
            assert.equal(job.body.state, 'RUNNING', 'the job is held back, not finished');
            const written = job.body.vertices.reduce((sum, v) => sum + v.metrics['write-records'], 0);
            if (written > 0 && written === previous) break;
            previous = written;
        }
        const cancelledAt = Date.now();
        assert.equal((await cluster.api('PATCH', `/jobs/${jid}?mode=cancel`)).status, 202);
        let state = '';
        while (state !== 'CANCELED' && Date.now() - cancelledAt < 15_000) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            state = (await cluster.api<{ state: string }>('GET', `/jobs/${jid}`)).body.state;
        }
        const took = Date.now() - cancelledAt;
        assert.equal(state, 'CANCELED');
        assert.ok(took < 3000, `cancelled in ${took} ms`);
        const exceptions = await cluster.api<{ exceptionHistory: { entries: { exceptionName: string }[] } }>('GET', `/jobs/${jid}/exceptions`);
        assert.ok(!JSON.stringify(exceptions.body).includes('CancellationTimeoutException'), JSON.stringify(exceptions.body));
        stalled.terminate();
    } finally {
        await cluster.stop();
    }
});

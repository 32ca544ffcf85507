/**
 * Back-pressure end to end: a fast source printing into a stdout nobody reads stops at a bounded
 * number of records (credits, sink acknowledgements and the pipe hold only a few batches) instead
 * of buffering everything, and finishes once the reader catches up.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import type { JobDetails, VertexBackpressure } from '../../protocol/cluster-api.js';
import { runWithUnreadStdout } from './unread-stdout-run.js';

const TOTAL = 300000;

function rssBytes(pid: number): number {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

test('a source printing to a stdout that is not read is back-pressured and holds only a bounded number of records', async () => {
    // Nobody reads stdout yet: the pipe fills up and the job must wait for it.
    const { child, api, jid } = await runWithUnreadStdout('many-rows-print.json');
    const vid = encodeURIComponent((await api<JobDetails>(`/jobs/${jid}`)).vertices[0].id);
    // Wait until the source reports being back-pressured most of the time.
    // A source that never stops (more in flight than the bound allows) fails here rather than hanging.
    let level = 'ok';
    for (const deadline = Date.now() + 30000; level !== 'high';) {
        assert.ok(Date.now() < deadline, `the source is back-pressured within 30 s (level ${level}, ${(await api<JobDetails>(`/jobs/${jid}`)).vertices[0].metrics['write-records']} records printed)`);
        await sleep(200);
        level = (await api<VertexBackpressure>(`/jobs/${jid}/vertices/${vid}/backpressure`))['backpressure-level'];
    }
    const first = (await api<JobDetails>(`/jobs/${jid}`)).vertices[0].metrics['write-records'];
    await sleep(1000);
    const second = (await api<JobDetails>(`/jobs/${jid}`)).vertices[0].metrics['write-records'];
    assert.ok(second < TOTAL / 4, `the source stopped early (printed ${second} of ${TOTAL} records)`);
    assert.ok(second - first <= 20000, `the source stays stopped while stdout is not read (${first} -> ${second})`);
    assert.ok(rssBytes(child.pid!) < 400 * 1024 * 1024, 'resident memory stays bounded');

    // Now read: every record arrives and the job finishes.
    let lines = 0;
    createInterface({ input: child.stdout }).on('line', () => { lines++; });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0);
    assert.equal(lines, TOTAL);
});

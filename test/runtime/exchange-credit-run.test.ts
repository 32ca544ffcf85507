/**
 * The exchange's credit counts records, not batches: a source emitting large batches (datagen,
 * 16,384 records) into a rebalance whose receivers print to a stdout nobody reads has at most
 * the channels' credit in flight (sent, not yet read by the receivers), plus the one batch it
 * was emitting when it stopped. Watched through `flowline run` and its REST API, as a user would.
 */
import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import type { JobDetails, VertexBackpressure } from '../../protocol/cluster-api.js';
import { CREDIT_RECORDS_PER_CHANNEL } from '../../runtime/src/exchange/channel-message.js';
import { DATAGEN_BATCH_SIZE } from '../../runtime/src/connectors/datagen/datagen-source.js';
import { runWithUnreadStdout } from './unread-stdout-run.js';

const TOTAL = 2000000;
const RECEIVERS = 2;

test('a source of large batches into an exchange keeps no more records in flight than the channels\' credit', async () => {
    const { child, api, jid } = await runWithUnreadStdout('large-batches-exchange.flow');
    try {
        const details = await api<JobDetails>(`/jobs/${jid}`);
        const source = details.vertices.find((v) => v.parallelism === 1)!;
        const receivers = details.vertices.find((v) => v.parallelism === RECEIVERS)!;
        assert.ok(source && receivers, 'the job has a source vertex and a vertex of two receivers');
        // Wait until the source is back-pressured and its count stands still (the channels are full).
        let level = 'ok';
        for (const deadline = Date.now() + 30000; level !== 'high';) {
            assert.ok(Date.now() < deadline, `the source is back-pressured within 30 s (level ${level})`);
            await sleep(200);
            level = (await api<VertexBackpressure>(`/jobs/${jid}/vertices/${encodeURIComponent(source.id)}/backpressure`))['backpressure-level'];
        }
        const counts = async (): Promise<{ sent: number; read: number }> => {
            const vertices = (await api<JobDetails>(`/jobs/${jid}`)).vertices;
            return {
                sent: vertices.find((v) => v.id === source.id)!.metrics['write-records'],
                read: vertices.find((v) => v.id === receivers.id)!.metrics['read-records']
            };
        };
        let before = await counts();
        for (let settled = false; !settled;) {
            await sleep(1000);
            const now = await counts();
            settled = now.sent === before.sent && now.read === before.read;
            before = now;
        }
        const { sent, read } = before;
        assert.ok(sent < TOTAL / 2, `the source stopped early (sent ${sent} of ${TOTAL} records)`);
        assert.ok(sent > DATAGEN_BATCH_SIZE, `the source sent more than one batch (${sent})`);
        const bound = RECEIVERS * CREDIT_RECORDS_PER_CHANNEL + DATAGEN_BATCH_SIZE;
        assert.ok(sent - read <= bound, `records in flight on the exchange (${sent} sent - ${read} read = ${sent - read}) stay within ${bound}`);

        // Now read: every record arrives and the job finishes.
        let lines = 0;
        createInterface({ input: child.stdout }).on('line', () => { lines++; });
        const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
        assert.equal(code, 0);
        assert.equal(lines, TOTAL);
    } finally {
        if (child.exitCode === null) child.kill();
    }
});

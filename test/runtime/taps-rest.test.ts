/**
 * Taps through the REST API and the push channel of the standalone cluster process: sampling the
 * records of a running job's stream (or of a node inside a fused loop), the rate, the filter,
 * closing, and the end of the job. Every tapped record is checked against a normal run of the
 * same pipeline at the same parallelism.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PushMessage, TapInfo, TapRecords, VertexDetails } from '../../protocol/cluster-api.js';
import { startCluster, waitForJobEnd, type PushClient, type RunningCluster } from './cluster-harness.js';
import { printedBySubtask, tapFilter, tappedOrdersGraph } from './tap-support.js';

type TapRecordsMessage = Extract<PushMessage, { type: 'tap-records' }>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function tapMessages(push: PushClient, tapId: string): TapRecordsMessage[] {
    return push.messages.filter((m): m is TapRecordsMessage => m.type === 'tap-records' && m.tapId === tapId);
}

describe('taps on running jobs, over REST (2 TaskManagers x 2 slots)', () => {
    let cluster: RunningCluster;
    let push: PushClient;
    /** `subtask|record` of every record `priced` carries in a normal run at p = 2. */
    let priced: Set<string>;
    before(async () => {
        cluster = await startCluster(['--taskmanagers', '2', '--slots', '2']);
        push = await cluster.push();
        const normal = await cluster.api<{ jobid: string }>('POST', '/jobs', await tappedOrdersGraph(undefined));
        assert.equal(await waitForJobEnd(push, normal.body.jobid), 'FINISHED');
        priced = printedBySubtask(push.messages, normal.body.jobid);
        assert.ok(priced.size > 10000, `the normal run printed ${priced.size} records`);
    });
    after(async () => { await cluster.stop(); });

    /** Submits the paced fixture and waits until it runs. */
    async function runningJob(): Promise<string> {
        const { body } = await cluster.api<{ jobid: string }>('POST', '/jobs', await tappedOrdersGraph());
        await push.waitFor((m) => m.type === 'job-status' && m.jid === body.jobid && m.status === 'RUNNING');
        return body.jobid;
    }

    async function cancel(jid: string): Promise<void> {
        await cluster.api('PATCH', `/jobs/${jid}?mode=cancel`);
        await waitForJobEnd(push, jid);
    }

    test('a tap on a stream samples its records with their subtasks, within the rate, each one a record the stream carries', async () => {
        const jid = await runningJob();
        const opened = await cluster.api<TapInfo>('POST', `/jobs/${jid}/taps`, { stream: 'priced', recordsPerSecond: 20 });
        assert.equal(opened.status, 201, JSON.stringify(opened.body));
        const tap = opened.body;
        assert.equal(tap.nodeId, 'TappedOrders/priced/1-filter', 'a stream is tapped at its last operator');
        assert.equal(tap.stream, 'priced');
        assert.deepEqual(tap.fields.map((f) => f.name), ['id', 'country', 'amount', 'gross']);
        const started = Date.now();
        await sleep(2500);
        const listed = await cluster.api<{ taps: TapInfo[] }>('GET', `/jobs/${jid}/taps`);
        assert.deepEqual(listed.body.taps.map((t) => t.id), [tap.id]);
        const read = (await cluster.api<TapRecords>('GET', `/jobs/${jid}/taps/${tap.id}`)).body;
        const elapsed = (Date.now() - started) / 1000;
        await cancel(jid);

        const pushed = tapMessages(push, tap.id).flatMap((m) => m.records);
        assert.ok(pushed.length >= 20, `sampled ${pushed.length} records in ${elapsed} s`);
        // The rate is the job's: each of the 2 TaskManagers samples half of it (a burst of 1 each at the start).
        assert.ok(read.sampled <= 20 * elapsed + 2, `${read.sampled} records in ${elapsed} s at 20 per second`);
        assert.ok(read.seen > read.sampled * 10, `a sample: ${read.sampled} of ${read.seen}`);
        assert.equal(read.matched, read.seen, 'without a filter every record matches');
        assert.deepEqual(new Set(pushed.map((r) => r.subtask)), new Set([0, 1]), 'both subtasks are sampled');
        // GET returns what the push channel delivered (up to the buffer's 200), numbered from 1.
        assert.deepEqual(read.records, pushed.filter((r) => r.seq <= read['last-seq']).slice(-200));
        assert.deepEqual(read.records.map((r) => r.seq), read.records.map((_, i) => read.records[0].seq + i));
        const since = (await cluster.api<TapRecords>('GET', `/jobs/${jid}/taps/${tap.id}?since=${read['last-seq'] - 3}`)).body;
        assert.deepEqual(since.records.map((r) => r.seq).slice(0, 3), [read['last-seq'] - 2, read['last-seq'] - 1, read['last-seq']]);
        for (const r of pushed) {
            assert.ok(priced.has(`${r.subtask}|${JSON.stringify(r.record)}`), `subtask ${r.subtask} of priced carries ${JSON.stringify(r.record)} in a normal run`);
        }
    });

    test('a tap on a node inside a fused loop (a map between two filters) samples that node\'s output', async () => {
        const jid = await runningJob();
        const map = await cluster.api<TapInfo>('POST', `/jobs/${jid}/taps`, { nodeId: 'TappedOrders/priced/0-map', recordsPerSecond: 50 });
        const big = await cluster.api<TapInfo>('POST', `/jobs/${jid}/taps`, { stream: 'big', recordsPerSecond: 50 });
        assert.equal(map.status, 201, JSON.stringify(map.body));
        assert.equal(big.body.nodeId, 'TappedOrders/big/0-filter');
        await sleep(2000);
        const details = await cluster.api<{ vertices: { id: string; nodeIds: string[] }[] }>('GET', `/jobs/${jid}`);
        const head = details.body.vertices.find((v) => v.nodeIds.includes('TappedOrders/priced/0-map'))!;
        assert.deepEqual(head.nodeIds, ['TappedOrders/source/orders', 'TappedOrders/big/0-filter', 'TappedOrders/priced/0-map', 'TappedOrders/priced/1-filter']);
        const vertex = (await cluster.api<VertexDetails>('GET', `/jobs/${jid}/vertices/${encodeURIComponent(head.id)}`)).body;
        assert.ok(vertex.subtasks.every((s) => s.metrics.operatorSteps === 1), 'filter, map and filter run as one fused loop');
        await cancel(jid);

        const mapped = tapMessages(push, map.body.id).flatMap((m) => m.records);
        assert.ok(mapped.length >= 20, `sampled ${mapped.length}`);
        const countries = new Set(mapped.map((r) => r.record.country));
        assert.ok(countries.has('NL'), 'the map\'s output still has the records the filter after it drops');
        for (const { subtask, record } of mapped) {
            assert.deepEqual(Object.keys(record), ['id', 'country', 'amount', 'gross']);
            assert.equal(record.gross, (record.amount as number) * 2);
            assert.ok((record.amount as number) > 100);
            if (record.country !== 'NL') assert.ok(priced.has(`${subtask}|${JSON.stringify(record)}`), JSON.stringify(record));
        }
        const filtered = tapMessages(push, big.body.id).flatMap((m) => m.records);
        assert.ok(filtered.length >= 20);
        for (const { record } of filtered) {
            assert.deepEqual(Object.keys(record), ['id', 'amount', 'country']);
            assert.ok((record.amount as number) > 100, `the first filter's output: ${JSON.stringify(record)}`);
        }
    });

    test('a filter keeps only the records it matches, and the counts say how many were seen and matched', async () => {
        const jid = await runningJob();
        const filter = await tapFilter('TappedOrders/priced/1-filter', 'country == "DE" and amount > 800');
        const opened = await cluster.api<TapInfo>('POST', `/jobs/${jid}/taps`, { stream: 'priced', recordsPerSecond: 1000, filter });
        assert.equal(opened.status, 201, JSON.stringify(opened.body));
        assert.deepEqual(opened.body.filter, filter);
        await sleep(2000);
        const read = (await cluster.api<TapRecords>('GET', `/jobs/${jid}/taps/${opened.body.id}`)).body;
        await cancel(jid);
        assert.ok(read.records.length >= 10, `${read.records.length} matching records`);
        for (const { record } of read.records) assert.ok(record.country === 'DE' && (record.amount as number) > 800, JSON.stringify(record));
        assert.ok(read.matched < read.seen / 3, `matched ${read.matched} of ${read.seen}`);
        // Under the rate every matching record is sampled.
        assert.equal(read.sampled, read.matched);
    });

    test('closing a tap stops its records; the tap stays readable but is no longer listed', async () => {
        const jid = await runningJob();
        const { body: tap } = await cluster.api<TapInfo>('POST', `/jobs/${jid}/taps`, { stream: 'orders', recordsPerSecond: 100 });
        await push.waitFor((m) => m.type === 'tap-records' && m.tapId === tap.id && m.records.length > 0);
        const closed = await cluster.api<TapInfo>('DELETE', `/jobs/${jid}/taps/${tap.id}`);
        assert.equal(closed.status, 200);
        assert.equal(closed.body.open, false);
        const closedMessage = await push.waitFor((m) => m.type === 'tap-closed' && m.tapId === tap.id);
        assert.equal(closedMessage.type === 'tap-closed' && closedMessage.reason, 'closed');
        const before = tapMessages(push, tap.id).length;
        await sleep(1000);
        assert.equal(tapMessages(push, tap.id).length, before, 'no records after the tap closed');
        assert.deepEqual((await cluster.api<{ taps: TapInfo[] }>('GET', `/jobs/${jid}/taps`)).body.taps, []);
        const read = (await cluster.api<TapRecords>('GET', `/jobs/${jid}/taps/${tap.id}`)).body;
        assert.equal(read.open, false);
        assert.equal(read.sampled, closed.body.sampled);
        await cancel(jid);
    });

    test('taps end with their job: tap-closed with reason job-ended, none listed, and a finished job cannot be tapped (409)', async () => {
        const jid = await runningJob();
        const { body: tap } = await cluster.api<TapInfo>('POST', `/jobs/${jid}/taps`, { stream: 'perCountry' });
        assert.equal(tap.recordsPerSecond, 10, 'the default rate');
        await cancel(jid);
        const ended = await push.waitFor((m) => m.type === 'tap-closed' && m.tapId === tap.id);
        assert.equal(ended.type === 'tap-closed' && ended.reason, 'job-ended');
        assert.deepEqual((await cluster.api<{ taps: TapInfo[] }>('GET', `/jobs/${jid}/taps`)).body.taps, []);
        const late = await cluster.api<{ errors: string[] }>('POST', `/jobs/${jid}/taps`, { stream: 'priced' });
        assert.equal(late.status, 409);
        assert.match(late.body.errors[0], /is CANCELED: only a RUNNING job can be tapped/);
    });

    test('a job that finishes closes its taps after delivering what its subtasks sampled', async () => {
        const { body } = await cluster.api<{ jobid: string }>('POST', '/jobs', await tappedOrdersGraph(20000));
        const jid = body.jobid;
        await push.waitFor((m) => m.type === 'job-status' && m.jid === jid && m.status === 'RUNNING');
        const { body: tap } = await cluster.api<TapInfo>('POST', `/jobs/${jid}/taps`, { stream: 'big', recordsPerSecond: 100 });
        assert.equal(await waitForJobEnd(push, jid), 'FINISHED');
        const closed = await push.waitFor((m) => m.type === 'tap-closed' && m.tapId === tap.id);
        assert.ok(closed.type === 'tap-closed' && closed.reason === 'job-ended');
        const index = push.messages.indexOf(closed);
        assert.ok(push.messages.slice(index + 1).every((m) => m.type !== 'tap-records' || m.tapId !== tap.id), 'nothing after tap-closed');
        const last = tapMessages(push, tap.id).at(-1)!;
        assert.deepEqual([closed.seen, closed.matched, closed.sampled], [last.seen, last.matched, last.sampled]);
        const read = (await cluster.api<TapRecords>('GET', `/jobs/${jid}/taps/${tap.id}`)).body;
        assert.equal(read.open, false);
        assert.equal(read.sampled, tapMessages(push, tap.id).reduce((n, m) => n + m.records.length, 0));
        assert.ok(read.seen > 10000, `every record of big after the tap opened was seen: ${read.seen}`);
    });

    test('a bad tap request is refused with a clear message: unknown stream (listing the streams), a sink, a bad rate, a bad filter, unknown job or tap', async () => {
        const jid = await runningJob();
        const expect = async (body: unknown, status: number, message: RegExp, url = `/jobs/${jid}/taps`): Promise<void> => {
            const res = await cluster.api<{ errors: string[] }>(body === undefined ? 'GET' : 'POST', url, body);
            assert.equal(res.status, status, JSON.stringify(res.body));
            assert.match(res.body.errors[0], message);
        };
        await expect({ stream: 'nope' }, 400, /has no stream 'nope'\. Its streams: orders, big, priced, perCountry\./);
        await expect({ nodeId: 'TappedOrders/sink/0' }, 400, /is a sink: it has no output to tap\. Tap the stream it writes \(priced\)/);
        await expect({}, 400, /Name what to tap: "stream" \(one of orders, big, priced, perCountry\) or "nodeId"/);
        await expect({ stream: 'priced', recordsPerSecond: 0 }, 400, /recordsPerSecond must be a number above 0 and at most 1000, not 0/);
        await expect({ stream: 'orders', filter: await tapFilter('TappedOrders/priced/1-filter', 'gross > 5') }, 400, /filter reads 'gross', not a field of the tapped records \(id, amount, country\)/);
        await expect({ stream: 'orders', filter: { k: 'literal', value: 1, type: { kind: 'long' } } }, 400, /filter must be a boolean expression, not long/);
        await expect(undefined, 404, /Tap nope not found in job/, `/jobs/${jid}/taps/nope`);
        await expect({ stream: 'priced' }, 404, /Job nojob not found/, '/jobs/nojob/taps');
        await cancel(jid);
    });

    test('the push channel of one job carries its tap-records messages with running counts', async () => {
        const jid = await runningJob();
        const own = await cluster.push(jid);
        const { body: tap } = await cluster.api<TapInfo>('POST', `/jobs/${jid}/taps`, { stream: 'priced', recordsPerSecond: 10 });
        await sleep(1500);
        await cancel(jid);
        const messages = tapMessages(own, tap.id);
        assert.ok(messages.length >= 3 && messages.length <= 2 * 5 * 2.5, `${messages.length} messages: at most 5 per second per TaskManager`);
        for (let i = 1; i < messages.length; i++) {
            assert.ok(messages[i].seen >= messages[i - 1].seen && messages[i].sampled >= messages[i - 1].sampled, 'counts are running totals');
        }
        assert.ok(messages.every((m) => m.jid === jid && m.nodeId === 'TappedOrders/priced/1-filter'));
        own.close();
    });
});

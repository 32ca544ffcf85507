/**
 * The cluster's REST API and push channel, through the standalone cluster process.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import type { JobDetails, JobPlan, PushMessage, VertexDetails } from '../../protocol/cluster-api.js';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import { runCli } from '../support/run-cli.js';
import { graphFixture, startCluster, waitForJobEnd, type RunningCluster } from './cluster-harness.js';

describe('the REST API of a local cluster (2 TaskManagers x 1 slot)', () => {
    let cluster: RunningCluster;
    before(async () => { cluster = await startCluster(['--taskmanagers', '2', '--slots', '1']); });
    after(async () => { await cluster.stop(); });

    test('a request without the token, or with a wrong one, is refused with 401', async () => {
        const none = await fetch(`${cluster.hello.url}/overview`);
        assert.equal(none.status, 401);
        const wrong = await fetch(`${cluster.hello.url}/overview`, { headers: { authorization: 'Bearer not-the-token' } });
        assert.equal(wrong.status, 401);
        const ws = new WebSocket(`${cluster.hello.url.replace('http', 'ws')}/push?token=wrong`);
        const status = await new Promise<number>((resolve) => {
            ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
            ws.once('open', () => resolve(101));
        });
        assert.equal(status, 401);
    });

    test('the API listens on the loopback address only', async () => {
        const url = new URL(cluster.hello.url);
        assert.equal(url.hostname, '127.0.0.1');
        const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
        if (external) {
            await assert.rejects(fetch(`http://${external.address}:${url.port}/overview`, { headers: { authorization: `Bearer ${cluster.hello.token}` } }));
        }
    });

    test('/overview and /taskmanagers answer with Flink\'s field names', async () => {
        const overview = await cluster.api('GET', '/overview');
        assert.equal(overview.status, 200);
        for (const key of ['taskmanagers', 'slots-total', 'slots-available', 'jobs-running', 'jobs-finished', 'jobs-cancelled', 'jobs-failed', 'flink-version', 'flink-commit']) {
            assert.ok(key in overview.body, `overview has ${key}`);
        }
        assert.equal(overview.body.taskmanagers, 2);
        assert.equal(overview.body['slots-total'], 2);
        const tms = await cluster.api<{ taskmanagers: Record<string, unknown>[] }>('GET', '/taskmanagers');
        assert.equal(tms.body.taskmanagers.length, 2);
        for (const key of ['id', 'path', 'dataPort', 'timeSinceLastHeartbeat', 'slotsNumber', 'freeSlots', 'hardware']) {
            assert.ok(key in tms.body.taskmanagers[0], `taskmanager has ${key}`);
        }
        const one = await cluster.api('GET', `/taskmanagers/${String(tms.body.taskmanagers[0].id)}`);
        assert.ok(Array.isArray(one.body.allocatedSlots));
    });

    test('a submitted job runs to FINISHED; each subtask goes CREATED, SCHEDULED, DEPLOYING, RUNNING, FINISHED with timestamps', async () => {
        const push = await cluster.push();
        const submitted = await cluster.api<{ jobid: string; jobUrl: string }>('POST', '/jobs', graphFixture('keyed-sum.json'));
        assert.equal(submitted.status, 202);
        const jid = submitted.body.jobid;
        assert.equal(submitted.body.jobUrl, `/jobs/${jid}`);
        assert.equal(await waitForJobEnd(push, jid), 'FINISHED');

        const details = (await cluster.api<JobDetails>('GET', `/jobs/${jid}`)).body;
        for (const key of ['jid', 'name', 'isStoppable', 'state', 'start-time', 'end-time', 'duration', 'now', 'timestamps', 'status-counts', 'plan', 'vertices']) {
            assert.ok(key in details, `job details have ${key}`);
        }
        assert.equal(details.state, 'FINISHED');
        assert.equal(details['status-counts'].FINISHED, 4);
        assert.ok(details.timestamps.RUNNING! <= details.timestamps.FINISHED!);
        for (const v of details.vertices) {
            for (const key of ['read-bytes', 'read-bytes-complete', 'write-bytes', 'write-bytes-complete', 'read-records', 'read-records-complete', 'write-records', 'write-records-complete']) {
                assert.ok(key in v.metrics, `vertex metrics have ${key}`);
            }
        }
        const source = details.vertices[0];
        assert.equal(source.metrics['write-records'], 100000);
        assert.ok(details.vertices[1].metrics['read-bytes'] > 0, 'the records crossing threads are counted in bytes');

        const order = ['CREATED', 'SCHEDULED', 'DEPLOYING', 'RUNNING', 'FINISHED'] as const;
        for (const v of details.vertices) {
            const vertex = (await cluster.api<VertexDetails>('GET', `/jobs/${jid}/vertices/${encodeURIComponent(v.id)}`)).body;
            assert.equal(vertex.subtasks.length, 2);
            for (const s of vertex.subtasks) {
                assert.equal(s.status, 'FINISHED');
                for (const key of ['subtask', 'status', 'attempt', 'host', 'start-time', 'end-time', 'duration', 'metrics', 'taskmanager-id']) assert.ok(key in s);
                const times = order.map((state) => s['status-timestamps'][state]);
                assert.ok(times.every((t) => typeof t === 'number'), `every state has a timestamp: ${JSON.stringify(s['status-timestamps'])}`);
                for (let i = 1; i < times.length; i++) assert.ok(times[i - 1]! <= times[i]!);
            }
            const states = push.messages
                .filter((m): m is Extract<PushMessage, { type: 'subtask-state' }> => m.type === 'subtask-state' && m.jid === jid && m.vertexId === v.id && m.subtask === 0)
                .map((m) => m.state);
            assert.deepEqual(states, ['SCHEDULED', 'DEPLOYING', 'RUNNING', 'FINISHED']);
        }
        // Slot sharing: the two parallel slices went to different TaskManagers.
        const vertex = (await cluster.api<VertexDetails>('GET', `/jobs/${jid}/vertices/${encodeURIComponent(details.vertices[0].id)}`)).body;
        assert.notEqual(vertex.subtasks[0]['taskmanager-id'], vertex.subtasks[1]['taskmanager-id']);
        push.close();
    });

    test('GET /jobs/:jid and the metrics push messages count what each source read, skipped and dead-lettered and what each sink wrote', async () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'flowline-rest-counters-'));
        const rows = Array.from({ length: 500 }, (_, i) => (i % 50 === 7 ? `${i},oops` : i % 50 === 9 ? `${i},1,extra` : `${i},${i}`));
        writeFileSync(path.join(dir, 'a.csv'), ['id,amount', ...rows].join('\n') + '\n');
        writeFileSync(path.join(dir, 'b.csv'), ['id,amount', ...rows].join('\n') + '\n');
        writeFileSync(path.join(dir, 'p.flow'), [
            'pipeline Counters {',
            '    mode batch',
            '    parallelism 2',
            '    source skipping: { id: long, amount: long } = csv("a.csv") { onError skip }',
            '    source lettered: { id: long, amount: long } = csv("b.csv") { onError deadLetter }',
            '    sink skipping -> jsonl("out.jsonl")',
            '    sink lettered -> blackhole',
            '    sink lettered.deadLetter -> collect',
            '}'
        ].join('\n'));
        const graph = await runCli(['graph', path.join(dir, 'p.flow')]);
        assert.equal(graph.code, 0, graph.stderr);
        const push = await cluster.push();
        const { body } = await cluster.api<{ jobid: string }>('POST', '/jobs', JSON.parse(graph.stdout) as LogicalGraph);
        assert.equal(await waitForJobEnd(push, body.jobid), 'FINISHED');

        const details = (await cluster.api<JobDetails>('GET', `/jobs/${body.jobid}`)).body;
        const bad = rows.filter((r) => /oops|extra/.test(r)).length;
        assert.deepEqual(details.sources, [
            { id: 'Counters/source/skipping', name: 'skipping', connector: 'csv', path: path.join(dir, 'a.csv'),
                'read-records': 500, 'skipped-records': bad, 'dead-lettered-records': 0, complete: true },
            { id: 'Counters/source/lettered', name: 'lettered', connector: 'csv', path: path.join(dir, 'b.csv'),
                'read-records': 500, 'skipped-records': 0, 'dead-lettered-records': bad, complete: true }
        ]);
        assert.deepEqual(details.sinks.map((s) => [s.description, s.connector, s.path, s['write-records'], s.complete]), [
            ['skipping -> jsonl("out.jsonl")', 'jsonl', path.join(dir, 'out.jsonl'), 500 - bad, true],
            ['lettered -> blackhole', 'blackhole', null, 500 - bad, true],
            ['lettered.deadLetter -> collect', 'collect', null, bad, true]
        ]);
        // Bad rows are skipped or dead-lettered, never counted as late: no window drops anything here.
        assert.equal(details['late-records-dropped'], 0);
        const last = await push.waitFor((m) => m.type === 'metrics' && m.jid === body.jobid && m.sources.every((s) => s.complete));
        assert.ok(last.type === 'metrics');
        assert.deepEqual(last.sources, details.sources);
        assert.deepEqual(last.sinks, details.sinks);
        push.close();
    });

    test('each vertex counts its own records as Flink does: sources read nothing from the network, chained operators add no counts', async () => {
        const push = await cluster.push();
        const keyed = (await cluster.api<{ jobid: string }>('POST', '/jobs', graphFixture('keyed-sum.json'))).body.jobid;
        const chained = (await cluster.api<{ jobid: string }>('POST', '/jobs', graphFixture('small-filter-map.json'))).body.jobid;
        assert.equal(await waitForJobEnd(push, keyed), 'FINISHED');
        assert.equal(await waitForJobEnd(push, chained), 'FINISHED');
        const printed = (jid: string): string[] => push.messages.flatMap((m) => (m.type === 'sink-records' && m.jid === jid ? m.lines ?? [] : []));

        // keyed-sum: [source nums] -HASH-> [aggregate -> print]; 100000 generated rows.
        // Parallel print sinks prefix each line with the subtask ("1> "), as Flink's print does.
        const sums = printed(keyed).map((line) => JSON.parse(line.replace(/^\d+> /, '')) as { k: number; c: number });
        const keyedDetails = (await cluster.api<JobDetails>('GET', `/jobs/${keyed}`)).body;
        const [sourceVertex, aggregateVertex] = keyedDetails.vertices;
        assert.deepEqual(sourceVertex.nodeIds, ['KeyedSum/source/nums']);
        assert.equal(sourceVertex.metrics['read-records'], 0, 'a source vertex reads no records from the network');
        assert.equal(sourceVertex.metrics['write-records'], 100000);
        // The aggregate vertex received every generated row (the counts it printed add up to them)
        // and its chained print sink wrote one row per key: counted once, at the chain's head and tail.
        assert.equal(aggregateVertex.metrics['read-records'], sums.reduce((total, s) => total + s.c, 0));
        assert.equal(aggregateVertex.metrics['read-records'], 100000);
        assert.equal(aggregateVertex.metrics['write-records'], sums.length);
        for (const v of keyedDetails.vertices) {
            const subtasks = (await cluster.api<VertexDetails>('GET', `/jobs/${keyed}/vertices/${encodeURIComponent(v.id)}`)).body.subtasks;
            assert.equal(subtasks.reduce((total, s) => total + s.metrics['read-records'], 0), v.metrics['read-records'], `${v.name}: the vertex is the sum of its subtasks`);
            assert.equal(subtasks.reduce((total, s) => total + s.metrics['write-records'], 0), v.metrics['write-records']);
            assert.ok(v.metrics['read-records-complete'] && v.metrics['write-records-complete']);
        }

        // small-filter-map: source, filter, map and print chained into one vertex: 20 rows in, 5 printed.
        const one = (await cluster.api<JobDetails>('GET', `/jobs/${chained}`)).body.vertices;
        assert.equal(one.length, 1);
        assert.equal(one[0].metrics['read-records'], 0);
        assert.equal(one[0].metrics['write-records'], printed(chained).length);
        assert.equal(one[0].metrics['write-records'], 5);
        push.close();
    });

    test('the push channel delivers the printed records of a job', async () => {
        const push = await cluster.push();
        const { body } = await cluster.api<{ jobid: string }>('POST', '/jobs', graphFixture('small-filter-map.json'));
        assert.equal(await waitForJobEnd(push, body.jobid), 'FINISHED');
        const lines = push.messages.flatMap((m) => (m.type === 'sink-records' && m.jid === body.jobid ? m.lines ?? [] : []));
        assert.deepEqual(lines, ['{"n":16,"doubled":32}', '{"n":17,"doubled":34}', '{"n":18,"doubled":36}', '{"n":19,"doubled":38}', '{"n":20,"doubled":40}']);
        push.close();
    });

    test('/jobs/:id/plan shows the chains and their ship strategies', async () => {
        const push = await cluster.push();
        const chained = await cluster.api<{ jobid: string }>('POST', '/jobs', graphFixture('small-filter-map.json'));
        const keyed = await cluster.api<{ jobid: string }>('POST', '/jobs', graphFixture('keyed-sum.json'));
        await waitForJobEnd(push, chained.body.jobid);
        await waitForJobEnd(push, keyed.body.jobid);

        const one = (await cluster.api<JobPlan>('GET', `/jobs/${chained.body.jobid}/plan`)).body.plan;
        assert.equal(one.type, 'BATCH');
        assert.equal(one.nodes.length, 1, 'source, filter, map and sink are chained into one task');
        assert.equal(one.nodes[0].nodeIds.length, 4);
        assert.match(one.nodes[0].description, / -> /);

        const two = (await cluster.api<JobPlan>('GET', `/jobs/${keyed.body.jobid}/plan`)).body.plan;
        assert.equal(two.nodes.length, 2, 'keyBy breaks the chain; aggregate and sink are chained');
        for (const key of ['id', 'parallelism', 'operator', 'operator_strategy', 'description']) assert.ok(key in two.nodes[0]);
        assert.deepEqual(two.nodes[1].inputs?.map((i) => [i.num, i.id, i.ship_strategy]), [[0, two.nodes[0].id, 'HASH']]);
        push.close();
    });

    test('REBALANCE and a change of parallelism break chains; the plan shows every ship strategy', async () => {
        const push = await cluster.push();
        const { body } = await cluster.api<{ jobid: string }>('POST', '/jobs', graphFixture('exchange-shapes.json'));
        assert.equal(await waitForJobEnd(push, body.jobid), 'FINISHED');
        const plan = (await cluster.api<JobPlan>('GET', `/jobs/${body.jobid}/plan`)).body.plan;
        assert.deepEqual(plan.nodes.map((n) => [n.nodeIds.map((id) => id.split('/').pop()), n.parallelism, n.inputs?.map((i) => i.ship_strategy) ?? []]), [
            [['nums'], 2, []],
            [['1-filter'], 2, ['REBALANCE']],
            [['1-aggregate'], 2, ['HASH']],
            [['2-orderBy', '0'], 1, ['REBALANCE']]
        ]);
        const lines = push.messages.flatMap((m) => (m.type === 'sink-records' && m.jid === body.jobid ? m.lines ?? [] : []));
        const rows = lines.map((l) => JSON.parse(l) as { k: number; c: number });
        assert.deepEqual(rows.map((r) => r.k), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert.equal(rows.reduce((a, r) => a + r.c, 0), 5000, 'every even record counted once');
        push.close();
    });

    test('a job needing more slots than the cluster has fails with a message naming both numbers', async () => {
        const graph = graphFixture('keyed-sum.json');
        const wide = { ...graph, parallelism: 3, nodes: graph.nodes.map((n) => ({ ...n, parallelism: 3 })) };
        const { status, body } = await cluster.api<{ jobid: string }>('POST', '/jobs', wide);
        assert.equal(status, 202);
        const details = (await cluster.api<JobDetails>('GET', `/jobs/${body.jobid}`)).body;
        assert.equal(details.state, 'FAILED');
        const exceptions = (await cluster.api<{ exceptionHistory: { entries: { exceptionName: string; stacktrace: string; timestamp: number; taskName: string | null }[] } }>('GET', `/jobs/${body.jobid}/exceptions`)).body;
        const entry = exceptions.exceptionHistory.entries[0];
        assert.ok(entry && 'timestamp' in entry && 'taskName' in entry);
        assert.match(entry.stacktrace, /needs 3 slots/);
        assert.match(entry.stacktrace, /only 2/);
    });

    test('an unbounded job holds one slot per parallel slice, and PATCH ?mode=cancel cancels it', async () => {
        const push = await cluster.push();
        const { body } = await cluster.api<{ jobid: string }>('POST', '/jobs', graphFixture('endless-keyed.json'));
        const jid = body.jobid;
        // Wait until every subtask runs.
        await push.waitFor(() => push.messages.filter((m) => m.type === 'subtask-state' && m.jid === jid && m.state === 'RUNNING').length === 4);
        const overview = (await cluster.api('GET', '/overview')).body;
        assert.equal(overview['slots-available'], 0);
        assert.equal(overview['jobs-running'], 1);
        const tms = (await cluster.api<{ taskmanagers: { id: string }[] }>('GET', '/taskmanagers')).body.taskmanagers;
        for (const tm of tms) {
            const details = (await cluster.api<{ allocatedSlots: { jobId: string }[] }>('GET', `/taskmanagers/${tm.id}`)).body;
            assert.deepEqual(details.allocatedSlots.map((s) => s.jobId), [jid], 'two vertices x two subtasks share two slots');
        }
        const jobs = (await cluster.api<{ jobs: { jid: string; state: string; tasks: Record<string, number> }[] }>('GET', '/jobs/overview')).body.jobs;
        const listed = jobs.find((j) => j.jid === jid)!;
        assert.equal(listed.state, 'RUNNING');
        assert.equal(listed.tasks.total, 4);
        assert.equal(listed.tasks.running, 4);

        const vid = encodeURIComponent((await cluster.api<JobDetails>('GET', `/jobs/${jid}`)).body.vertices[0].id);
        const bp = (await cluster.api<Record<string, unknown> & { subtasks: Record<string, unknown>[] }>('GET', `/jobs/${jid}/vertices/${vid}/backpressure`)).body;
        assert.ok(['ok', 'low', 'high'].includes(bp['backpressure-level'] as string));
        for (const key of ['subtask', 'backpressure-level', 'ratio', 'idleRatio', 'busyRatio']) assert.ok(key in bp.subtasks[0]);
        const wm = (await cluster.api<{ id: string; value: string }[]>('GET', `/jobs/${jid}/vertices/${vid}/watermarks`)).body;
        assert.deepEqual(wm.map((w) => w.id), ['0.currentInputWatermark', '1.currentInputWatermark']);

        const cancel = await cluster.api('PATCH', `/jobs/${jid}?mode=cancel`);
        assert.equal(cancel.status, 202);
        assert.equal(await waitForJobEnd(push, jid), 'CANCELED');
        const after = (await cluster.api<JobDetails>('GET', `/jobs/${jid}`)).body;
        assert.equal(after['status-counts'].CANCELED, 4);
        assert.ok(after.timestamps.CANCELLING! <= after.timestamps.CANCELED!);
        assert.equal((await cluster.api('GET', '/overview')).body['slots-available'], 2, 'the slots are free again');
        push.close();
    });

    test('an invalid graph is refused with 400 and says what is wrong', async () => {
        const { status, body } = await cluster.api<{ errors: string[] }>('POST', '/jobs', { version: 1, pipeline: 'x', mode: 'batch', nodes: [], edges: [] });
        assert.equal(status, 400);
        assert.match(body.errors[0], /non-empty 'nodes'/);
        const unknown = await cluster.api('GET', '/jobs/0123');
        assert.equal(unknown.status, 404);
    });
});

/**
 * Breakpoints on operators, sources and sinks of a job run under the debugger (JobManager.submit
 * with `debug`): where the job stops, what the stop shows, conditions, hit counts and logpoints.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalCluster } from '../../../runtime/src/cluster/local-cluster.js';
import { compare, DebuggedJob, field, nodeOnLine, settings, translateFlow } from './debug-harness.js';

const KEYED = `pipeline Keyed {
    mode batch
    parallelism 1
    source s: { k: string, n: int } = values({ k: "a", n: 1 }, { k: "b", n: 5 }, { k: "a", n: 2 }, { k: "a", n: 7 })
    stream big = s
        | filter n > 0
        | keyBy k
        | aggregate { k, total: sum(n), seen: count() }
    sink big -> collect
}
`;
// Lines (1-based) of the nodes above.
const SOURCE = 4, FILTER = 6, AGGREGATE = 8, SINK = 9;

describe('breakpoints in a debugged job', () => {
    let cluster: LocalCluster;
    before(async () => { cluster = await LocalCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 }); });
    after(async () => { await cluster.shutdown(); });

    it('a breakpoint on an aggregate stops at each record with its key and the aggregate so far', async () => {
        const graph = await translateFlow(KEYED);
        const agg = nodeOnLine(graph, AGGREGATE);
        const run = new DebuggedJob(cluster, graph, { settings: settings([{ id: 1, nodeId: agg.id }]) });
        const first = await run.nextStop();
        assert.equal(first.reason, 'breakpoint');
        assert.deepEqual(first.breakpointIds, [1]);
        assert.equal(first.nodeId, agg.id);
        assert.deepEqual(first.record?.map((v) => [v.name, v.value]), [['k', 'a'], ['n', 1]]);
        assert.deepEqual(first.key?.map((v) => [v.name, v.value]), [['k', 'a']]);
        run.debugger.resume();
        await run.nextStop();
        run.debugger.resume();
        const third = await run.nextStop();
        assert.deepEqual(third.record?.map((v) => v.value), ['a', 2]);
        assert.deepEqual(third.state.map((s) => s.label), ['aggregate so far']);
        assert.deepEqual(third.state[0].value, { k: 'a', total: 1, seen: 1 });
        assert.equal(await run.continueToEnd(), 'FINISHED');
        assert.deepEqual(run.rows.sort((x, y) => String(x.k).localeCompare(String(y.k))), [{ k: 'a', total: 10, seen: 3 }, { k: 'b', total: 5, seen: 1 }]);
    });

    it('a breakpoint on a window aggregate shows the window the record falls in and that window\'s aggregate so far', async () => {
        const graph = await translateFlow(`pipeline Windows {
    mode streaming
    source clicks: { user: int, ts: timestamp } = values(
        { user: 1, ts: timestamp "2024-01-01T00:00:01Z" }, { user: 1, ts: timestamp "2024-01-01T00:00:04Z" },
        { user: 1, ts: timestamp "2024-01-01T00:00:12Z" }
    ) {
        watermark ts - 1s
    }
    stream perUser = clicks
        | keyBy user
        | window tumbling 10s on ts
        | aggregate { user, clicks: count() }
    sink perUser -> collect
}
`);
        const window = nodeOnLine(graph, 12);
        const run = new DebuggedJob(cluster, graph, { settings: settings([{ id: 1, nodeId: window.id }]) });
        await run.nextStop();
        run.debugger.resume();
        const second = await run.nextStop();
        const start = Date.parse('2024-01-01T00:00:00Z');
        assert.deepEqual(second.windows, [{ start, end: start + 10_000 }]);
        assert.deepEqual(second.key?.map((v) => v.value), [1]);
        assert.deepEqual(second.state.map((s) => s.value), [{ user: 1, clicks: 1 }]);
        assert.equal(second.record?.find((v) => v.name === 'ts')?.type.kind, 'timestamp');
        assert.equal(await run.continueToEnd(), 'FINISHED');
    });

    it('a breakpoint on a join shows the records buffered for the key on both sides', async () => {
        const graph = await translateFlow(`pipeline Joins {
    mode batch
    source a: { k: string, n: int } = values({ k: "x", n: 1 }, { k: "y", n: 2 })
    source b: { k: string, m: int } = values({ k: "x", m: 10 }, { k: "x", m: 20 })
    stream joined = a
        | join b on a.k == b.k
        | select { k, n, m }
    sink joined -> collect
}
`);
        const join = nodeOnLine(graph, 6);
        const run = new DebuggedJob(cluster, graph, { settings: settings([{ id: 1, nodeId: join.id, condition: compare('k', { kind: 'string' }, '==', 'x') }]) });
        const stops = [];
        for (let i = 0; i < 3; i++) {
            stops.push(await run.nextStop());
            run.debugger.resume();
        }
        const leftStop = stops.find((s) => s.input === 0)!;
        assert.deepEqual(leftStop.key?.map((v) => v.value), ['x']);
        assert.deepEqual(leftStop.state.map((s) => s.label), ['join buffer (left side)', 'join buffer (right side)']);
        assert.equal(await run.end(), 'FINISHED');
        assert.equal(run.rows.length, 2);
    });

    it('a breakpoint on a source stops when a record is read, one on a sink before the record is written', async () => {
        const graph = await translateFlow(KEYED);
        const run = new DebuggedJob(cluster, graph, { settings: settings([{ id: 1, nodeId: nodeOnLine(graph, SOURCE).id }, { id: 2, nodeId: nodeOnLine(graph, SINK).id }]) });
        const atSource = await run.nextStop();
        assert.deepEqual(atSource.breakpointIds, [1]);
        assert.equal(field(atSource, 'n'), 1);
        run.debugger.update(settings([{ id: 2, nodeId: nodeOnLine(graph, SINK).id }]));
        run.debugger.resume();
        const atSink = await run.nextStop();
        assert.deepEqual(atSink.breakpointIds, [2]);
        assert.equal(run.rows.length, 0, 'nothing was written before the sink breakpoint');
        assert.deepEqual(atSink.record?.map((v) => v.name), ['k', 'total', 'seen']);
        assert.equal(await run.continueToEnd(), 'FINISHED');
        assert.equal(run.rows.length, 2);
    });

    it('a condition picks the records it holds for', async () => {
        const graph = await translateFlow(KEYED);
        const filter = nodeOnLine(graph, FILTER);
        const run = new DebuggedJob(cluster, graph, { settings: settings([{ id: 3, nodeId: filter.id, condition: compare('n', { kind: 'int' }, '>', 4) }]) });
        const stops = [];
        stops.push(await run.nextStop());
        run.debugger.resume();
        stops.push(await run.nextStop());
        assert.deepEqual(stops.map((s) => field(s, 'n')), [5, 7]);
        assert.equal(await run.continueToEnd(), 'FINISHED');
        assert.equal(run.stops.length, 2);
    });

    it('hit counts count over the whole job: == n, >= n and every n-th', async () => {
        const graph = await translateFlow(KEYED);
        const filter = nodeOnLine(graph, FILTER);
        for (const [hitCondition, expected] of [
            [{ op: '==', n: 2 }, [5]],
            [{ op: '>=', n: 3 }, [2, 7]],
            [{ op: '%', n: 2 }, [5, 7]]
        ] as const) {
            const run = new DebuggedJob(cluster, graph, { settings: settings([{ id: 4, nodeId: filter.id, hitCondition }]) });
            assert.equal(await run.continueToEnd(), 'FINISHED');
            assert.deepEqual(run.stops.map((s) => field(s, 'n')), expected, JSON.stringify(hitCondition));
        }
    });

    it('a logpoint prints its line for every record and does not stop', async () => {
        const graph = await translateFlow(KEYED);
        const filter = nodeOnLine(graph, FILTER);
        const run = new DebuggedJob(cluster, graph, { settings: settings([{ id: 5, nodeId: filter.id, logMessage: [{ expr: { k: 'field', name: 'k', type: { kind: 'string' } } }, { text: ' has ' }, { expr: { k: 'field', name: 'n', type: { kind: 'int' } } }] }]) });
        assert.equal(await run.end(), 'FINISHED');
        assert.equal(run.stops.length, 0);
        assert.deepEqual(run.logs.map((l) => [l.breakpointId, l.nodeId, l.text]), [[5, filter.id, 'a has 1'], [5, filter.id, 'b has 5'], [5, filter.id, 'a has 2'], [5, filter.id, 'a has 7']]);
    });
});

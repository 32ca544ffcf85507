/**
 * Step over, pause, exception stops and cancel on a job run under the debugger, and the pause
 * itself: while stopped, the whole job stands still.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalCluster } from '../../../runtime/src/cluster/local-cluster.js';
import { compare, DebuggedJob, field, nodeOnLine, settings, translateFlow } from './debug-harness.js';

const STEPS = `pipeline Steps {
    mode batch
    parallelism 2
    source s: { k: string, n: int } = values({ k: "a", n: 1 }, { k: "b", n: -5 }, { k: "a", n: 2 }, { k: "c", n: 7 })
    stream out = s
        | filter n > 0
        | map { k, twice: n * 2 }
        | keyBy k
        | aggregate { k, total: sum(twice) }
    sink out -> collect
}
`;
const FILTER = 6, MAP = 7, AGGREGATE = 9;

const ENDLESS = `pipeline Endless {
    mode streaming
    parallelism 2
    source events = datagen(rate: 2000) {
        n: long = sequence(0)
        k: long = random(0, 9)
    }
    stream counts = events
        | filter k >= 0
        | keyBy k
        | reduce { k, c: count() }
    sink counts -> collect
}
`;
const ENDLESS_FILTER = 9;

describe('stepping, pausing and exception stops', () => {
    let cluster: LocalCluster;
    before(async () => { cluster = await LocalCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 }); });
    after(async () => { await cluster.shutdown(); });

    it('step over from a filter stops at the next operator of the chain with exactly that record\'s output', async () => {
        const graph = await translateFlow(STEPS);
        const filter = nodeOnLine(graph, FILTER);
        const map = nodeOnLine(graph, MAP);
        const run = new DebuggedJob(cluster, graph, { settings: settings([{ id: 1, nodeId: filter.id, condition: compare('n', { kind: 'int' }, '==', 7) }]) });
        const atFilter = await run.nextStop();
        assert.equal(field(atFilter, 'n'), 7);
        run.debugger.stepOver();
        const atMap = await run.nextStop();
        assert.equal(atMap.reason, 'step');
        assert.equal(atMap.nodeId, map.id);
        assert.equal(atMap.subtask, atFilter.subtask);
        assert.deepEqual(atMap.record?.map((v) => [v.name, v.value]), [['k', 'c'], ['n', 7]]);
        assert.equal(await run.continueToEnd(), 'FINISHED');
    });

    it('step over across an exchange stops at the keyed operator after it', async () => {
        const graph = await translateFlow(STEPS);
        const map = nodeOnLine(graph, MAP);
        const aggregate = nodeOnLine(graph, AGGREGATE);
        const run = new DebuggedJob(cluster, graph, { settings: settings([{ id: 1, nodeId: map.id, condition: compare('n', { kind: 'int' }, '==', 7) }]) });
        await run.nextStop();
        run.debugger.update(settings([]));
        run.debugger.stepOver();
        const atAggregate = await run.nextStop();
        assert.equal(atAggregate.reason, 'step');
        assert.equal(atAggregate.nodeId, aggregate.id);
        assert.equal(atAggregate.key?.length, 1);
        assert.equal(await run.continueToEnd(), 'FINISHED');
        assert.deepEqual(run.rows.sort((x, y) => String(x.k).localeCompare(String(y.k))), [{ k: 'a', total: 6 }, { k: 'c', total: 14 }]);
    });

    it('stepping over a record the filter drops says so and stops at the next record reaching the node after it', async () => {
        const graph = await translateFlow(STEPS);
        const filter = nodeOnLine(graph, FILTER);
        const map = nodeOnLine(graph, MAP);
        const run = new DebuggedJob(cluster, graph, { settings: settings([{ id: 1, nodeId: filter.id, condition: compare('n', { kind: 'int' }, '<', 0) }]) });
        const atFilter = await run.nextStop();
        assert.equal(field(atFilter, 'n'), -5);
        run.debugger.update(settings([]));
        run.debugger.stepOver();
        const next = await run.nextStop();
        assert.equal(next.reason, 'step');
        assert.equal(next.nodeId, map.id);
        assert.ok(run.logs.some((l) => l.nodeId === filter.id && /filter \(line 6\) dropped the record/.test(l.text)), JSON.stringify(run.logs));
        assert.equal(await run.continueToEnd(), 'FINISHED');
    });

    it('stop on entry stops at the first record a source reads', async () => {
        const graph = await translateFlow(STEPS);
        const run = new DebuggedJob(cluster, graph, { settings: settings([]), stopOnEntry: true });
        const entry = await run.nextStop();
        assert.equal(entry.reason, 'entry');
        assert.equal(entry.nodeId, graph.nodes.find((n) => n.config.kind === 'source')!.id);
        assert.equal(await run.continueToEnd(), 'FINISHED');
        assert.equal(run.stops.length, 1);
    });

    it('pause stops a running job at the next record; while paused nothing reaches a sink and the metrics stand still; cancel ends it CANCELED and frees its slots', async () => {
        const graph = await translateFlow(ENDLESS);
        const free = cluster.jobManager.slotPool.free;
        const run = new DebuggedJob(cluster, graph, { settings: settings([]) });
        await sleep(300);
        run.debugger.pause();
        const paused = await run.nextStop();
        assert.equal(paused.reason, 'pause');
        assert.ok(paused.record !== null);
        await sleep(300);
        const rowsAtPause = run.rows.length;
        const readAtPause = run.job.executionGraph.all().map((v) => v.metrics['write-records']);
        await sleep(700);
        assert.equal(run.rows.length, rowsAtPause, 'no record reached the sink while paused');
        assert.deepEqual(run.job.executionGraph.all().map((v) => v.metrics['write-records']), readAtPause, 'the metrics stood still');
        run.debugger.resume();
        // Polled, not one fixed sleep: sinks hand their rows over in batches, later on a loaded machine.
        for (const deadline = Date.now() + 10_000; run.rows.length === rowsAtPause && Date.now() < deadline;) await sleep(50);
        assert.ok(run.rows.length > rowsAtPause, 'records flow again after resume');
        run.debugger.update(settings([{ id: 9, nodeId: nodeOnLine(graph, ENDLESS_FILTER).id }]));
        await run.nextStop();
        assert.ok(cluster.jobManager.cancel(run.job.id));
        assert.equal(await run.end(), 'CANCELED');
        assert.equal(cluster.jobManager.slotPool.free, free, 'the slots are free again');
    });

    it('a breakpoint set while the job runs stops at a map that ran fused with the filter before it until then', async () => {
        const graph = await translateFlow(`pipeline Running {
    mode streaming
    source events = datagen(rate: 2000) {
        n: long = sequence(0)
    }
    stream out = events
        | filter n % 2 == 0
        | map { n, half: n / 2 }
    sink out -> blackhole
}
`);
        const map = nodeOnLine(graph, 8);
        const run = new DebuggedJob(cluster, graph, { settings: settings([]) });
        await sleep(400);
        assert.equal(run.stops.length, 0);
        run.debugger.update(settings([{ id: 1, nodeId: map.id }]));
        const stop = await run.nextStop();
        assert.equal(stop.nodeId, map.id);
        assert.equal(Number(field(stop, 'n')) % 2, 0);
        cluster.jobManager.cancel(run.job.id);
        assert.equal(await run.end(), 'CANCELED');
    });

    it('a tap on the filter inside a fused filter/map run of a debugged job sees its records', async () => {
        const graph = await translateFlow(`pipeline Tapped {
    mode streaming
    source events = datagen(rate: 2000) {
        n: long = sequence(0)
    }
    stream out = events
        | filter n % 2 == 0
        | map { n, half: n / 2 }
    sink out -> blackhole
}
`);
        const filter = nodeOnLine(graph, 7);
        const run = new DebuggedJob(cluster, graph, { settings: settings([]) });
        while (run.job.status !== 'RUNNING') await sleep(20);
        await sleep(200);
        const tapped: unknown[] = [];
        const listener = (m: import('../../../protocol/cluster-api.js').PushMessage): void => {
            if (m.type === 'tap-records' && m.jid === run.job.id) tapped.push(...m.records);
        };
        cluster.jobManager.on('push', listener);
        const tap = cluster.jobManager.openTap(run.job.id, { nodeId: filter.id });
        for (let i = 0; i < 50 && tapped.length === 0; i++) await sleep(100);
        cluster.jobManager.closeTap(run.job.id, tap.id);
        cluster.jobManager.off('push', listener);
        assert.ok(tapped.length > 0, 'the tap sampled records of the filter');
        cluster.jobManager.cancel(run.job.id);
        assert.equal(await run.end(), 'CANCELED');
    });

    it('an operator throwing on a record stops with the record and the error before the job fails', async () => {
        const graph = await translateFlow(`pipeline Throws {
    mode batch
    source s: { k: string, n: int } = values({ k: "a", n: 1 }, { k: "b", n: 0 }, { k: "c", n: 2 })
    stream out = s
        | filter k != "z"
        | map { k, q: 10 / n }
    sink out -> collect
}
`);
        const map = nodeOnLine(graph, 6);
        // No breakpoint: the batch passes filter and map as one fused loop, and the stop still names the record.
        const run = new DebuggedJob(cluster, graph, { settings: settings([], { operatorErrors: true, badRows: false }) });
        const stop = await run.nextStop();
        assert.equal(stop.reason, 'exception');
        assert.equal(stop.nodeId, map.id);
        assert.deepEqual(stop.record?.map((v) => v.value), ['b', 0]);
        assert.match(stop.error?.message ?? '', /division by zero/);
        assert.equal(run.job.status, 'RUNNING', 'the job has not failed yet');
        run.debugger.resume();
        assert.equal(await run.end(), 'FAILED');
        assert.match(run.job.exceptions[0].message, /division by zero/);
    });

    it('an aggregate throwing when it emits at the end of the input stops without a record before the job fails', async () => {
        const graph = await translateFlow(`pipeline ThrowsAtEnd {
    mode batch
    source s: { k: string, n: int } = values({ k: "a", n: 1 }, { k: "a", n: -1 })
    stream out = s
        | keyBy k
        | aggregate { k, q: 10 / sum(n) }
    sink out -> collect
}
`);
        const aggregate = nodeOnLine(graph, 6);
        const run = new DebuggedJob(cluster, graph, { settings: settings([], { operatorErrors: true, badRows: false }) });
        const stop = await run.nextStop();
        assert.equal(stop.reason, 'exception');
        assert.equal(stop.nodeId, aggregate.id);
        assert.equal(stop.record, null);
        assert.match(stop.error?.message ?? '', /division by zero/);
        run.debugger.resume();
        assert.equal(await run.end(), 'FAILED');
    });

    for (const [policy, status, rows] of [['skip', 'FINISHED', 2], ['fail', 'FAILED', 0]] as const) {
        it(`a bad CSV row stops with its file, line and text before the ${policy} policy acts`, async () => {
            const graph = await translateFlow(`pipeline BadRows {
    mode batch
    source amounts: { id: long, amount: long } = csv("bad.csv", header: true) {
        onError ${policy}
    }
    sink amounts -> collect
}
`, { 'bad.csv': 'id,amount\n1,10\n2,twelve\n3,30\n' });
            const run = new DebuggedJob(cluster, graph, { settings: settings([], { operatorErrors: false, badRows: true }) });
            const stop = await run.nextStop();
            assert.equal(stop.reason, 'exception');
            assert.match(stop.error?.file ?? '', /bad\.csv$/);
            assert.equal(stop.error?.line, 3);
            assert.equal(stop.error?.raw, '2,twelve');
            assert.equal(run.job.status, 'RUNNING');
            run.debugger.resume();
            assert.equal(await run.end(), status);
            assert.equal(run.rows.length, rows);
        });
    }
});

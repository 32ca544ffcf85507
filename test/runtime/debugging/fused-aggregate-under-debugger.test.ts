/**
 * A debugged job keeps the fused loop of a filter/map run and the aggregate after it while
 * nothing there is armed, and takes the operators one at a time while something is: both paths
 * fold into the aggregate's one state, so switching between them mid-run loses or doubles nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalCluster } from '../../../runtime/src/cluster/local-cluster.js';
import { compare, DebuggedJob, field, nodeOnLine, settings, translateFlow } from './debug-harness.js';

const N = 300_000;
const TOTALS = `pipeline Totals {
    mode batch
    parallelism 1
    source nums = datagen(count: ${N}) {
        n: long = sequence(0)
    }
    stream total = nums
        | filter n % 3 != 0
        | map { n, v: n * 2 }
        | aggregate { s: sum(v), c: count() }
    sink total -> collect
}
`;
const AGGREGATE = 10;

/** The totals computed directly, not by the runtime. */
function expected(): { s: number; c: number } {
    let s = 0, c = 0;
    for (let n = 0; n < N; n++) if (n % 3 !== 0) { s += n * 2; c++; }
    return { s, c };
}

describe('a filter/map run and the aggregate after it, under the debugger', () => {
    let cluster: LocalCluster;
    before(async () => { cluster = await LocalCluster.start({ taskManagers: 1, slotsPerTaskManager: 1 }); });
    after(async () => { await cluster.shutdown(); });

    it('folds every record once when a breakpoint on the aggregate stops mid-run and is removed before continuing', async () => {
        const graph = await translateFlow(TOTALS);
        const aggregate = nodeOnLine(graph, AGGREGATE);
        const run = new DebuggedJob(cluster, graph, { settings: settings([{ id: 1, nodeId: aggregate.id, condition: compare('n', { kind: 'long' }, '==', 150_001) }]) });
        // A failed check must not leave the job paused (the cluster could not shut down).
        after(() => { cluster.jobManager.cancel(run.job.id); });
        const stop = await run.nextStop();
        assert.equal(stop.nodeId, aggregate.id);
        assert.equal(field(stop, 'v'), 300_002);
        // The state shown at the stop holds every record before this one: n < 150001, n % 3 != 0.
        const before = stop.state.find((s) => s.label === 'aggregate so far')!.value as { s: number; c: number };
        assert.equal(before.c, 100_000);
        // Without breakpoints the rest of the run takes the fused loop, into the same state.
        run.debugger.update(settings([]));
        assert.equal(await run.continueToEnd(), 'FINISHED');
        assert.deepEqual(run.rows, [expected()]);
    });

    it('gives the same totals with no breakpoint at all (the fused path only)', async () => {
        const run = new DebuggedJob(cluster, await translateFlow(TOTALS), { settings: settings([]) });
        assert.equal(await run.continueToEnd(), 'FINISHED');
        assert.deepEqual(run.rows, [expected()]);
    });
});

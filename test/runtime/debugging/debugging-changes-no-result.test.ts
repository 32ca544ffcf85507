/**
 * The key property of the debugger: a job run under it and continued past every stop (with
 * steps over mixed in) writes exactly what a normal run writes, in batch and streaming mode, at
 * parallelism 1 and 2. Random pipelines and inputs from the differential generator; breakpoints
 * on random nodes (with random hit conditions, so the runs stay short); the records compared with
 * the reference evaluator's and with a normal run's. FLOWLINE_DEBUG_DIFF_RUNS=n searches longer.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { NodeBreakpoint } from '../../../protocol/job-debugging.js';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import { LocalCluster } from '../../../runtime/src/cluster/local-cluster.js';
import { InProcessRunner } from '../differential/in-process-runner.js';
import { pipelineArbitrary } from '../differential/pipeline-arbitrary.js';
import { dataFiles, flowText } from '../differential/pipeline-model.js';
import { evaluate } from '../differential/reference-evaluator.js';
import { finalRowsOfUpdates, multiset, rollingTerminal } from '../differential/result-comparison.js';
import { DebuggedJob, settings } from './debug-harness.js';

const RUNS = Number(process.env.FLOWLINE_DEBUG_DIFF_RUNS ?? 10);
const SEED = Number(process.env.FLOWLINE_DIFF_SEED ?? 20261127);
/** After this many stops a run clears its breakpoints (the property holds for any number; this keeps runs short). */
const MAX_STOPS = 60;

let runner: InProcessRunner;
let cluster: LocalCluster;
before(async () => {
    [runner, cluster] = await Promise.all([InProcessRunner.start(), LocalCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 })]);
});
after(async () => { await Promise.all([runner.stop(), cluster.shutdown()]); });

interface DebugPlan { breakpoints: { node: number; every: number }[]; steps: boolean[]; stopOnEntry: boolean }

/** Where to break and what to do at each stop: picks are taken modulo the number of nodes. */
const debugPlan: fc.Arbitrary<DebugPlan> = fc.record({
    breakpoints: fc.array(fc.record({ node: fc.nat(), every: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3 }),
    steps: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
    stopOnEntry: fc.boolean()
});

/** Runs `graph` under the debugger, continuing (or stepping over, as `steps` says) at every stop. */
async function runDebugged(graph: LogicalGraph, plan: DebugPlan): Promise<{ status: string; rows: Record<string, unknown>[]; stops: number }> {
    const breakpoints: NodeBreakpoint[] = plan.breakpoints.map((b, i) => ({
        id: i + 1, nodeId: graph.nodes[b.node % graph.nodes.length].id, hitCondition: b.every > 1 ? { op: '%', n: b.every } : undefined
    }));
    const run = new DebuggedJob(cluster, graph, { settings: settings(breakpoints), stopOnEntry: plan.stopOnEntry });
    let stops = 0;
    run.debugger.on('stopped', () => {
        setImmediate(() => {
            stops++;
            if (stops === MAX_STOPS) run.debugger.update(settings([]));
            if (plan.steps[stops % plan.steps.length]) run.debugger.stepOver();
            else run.debugger.resume();
        });
    });
    const status = await run.end();
    return { status, rows: run.rows, stops };
}

test(`random pipelines debugged with breakpoints on random nodes, continued past every stop, write what normal runs write (batch and streaming, parallelism 1 and 2; ${RUNS} cases, seed ${SEED})`, { timeout: 600_000 }, async () => {
    let totalStops = 0;
    await fc.assert(fc.asyncProperty(pipelineArbitrary, debugPlan, async (p, plan) => {
        const text = flowText(p);
        const rolling = rollingTerminal(p);
        const modes = (['batch', 'streaming'] as const).filter((mode) => !(mode === 'streaming' && rolling && p.after.length > 0));
        const translations = modes.flatMap((mode) => [1, 2].map((parallelism) => ({ mode, parallelism })));
        const graphs = await runner.translate(text, translations, dataFiles(p));
        if (typeof graphs === 'string') throw new Error(`${graphs}\n${text}`);
        const reference = multiset(evaluate(p));
        for (const [i, { mode, parallelism }] of translations.entries()) {
            const normal = await runner.run(graphs[i], true);
            const debugged = await runDebugged(graphs[i], plan);
            totalStops += debugged.stops;
            const where = `${mode}, parallelism ${parallelism}, ${debugged.stops} stops\n${text}\nplan ${JSON.stringify(plan)}`;
            assert.ok(normal.ok, `normal run failed: ${!normal.ok ? normal.error : ''}\n${where}`);
            assert.equal(debugged.status, 'FINISHED', where);
            let rows = debugged.rows;
            let normalRows = normal.rows;
            if (mode === 'streaming' && rolling) {
                const finals = finalRowsOfUpdates(rolling, rows);
                const normalFinals = finalRowsOfUpdates(rolling, normalRows);
                if (typeof finals === 'string') throw new Error(`${finals}\n${where}`);
                if (typeof normalFinals === 'string') throw new Error(`${normalFinals}\n${where}`);
                // Updates per key are one per record in both runs.
                assert.equal(debugged.rows.length, normal.rows.length, `number of updates\n${where}`);
                rows = finals;
                normalRows = normalFinals;
            }
            assert.deepEqual(multiset(rows), multiset(normalRows), `debugged vs normal run\n${where}`);
            assert.deepEqual(multiset(rows), reference, `debugged run vs reference\n${where}`);
        }
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
    assert.ok(totalStops > RUNS, `the runs stopped at breakpoints (${totalStops} stops)`);
    if (process.env.FLOWLINE_DEBUG_DIFF_RUNS) process.stderr.write(`debugged differential: ${totalStops} stops\n`);
});

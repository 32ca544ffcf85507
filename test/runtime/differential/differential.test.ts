/**
 * Differential testing of the runtime: random small pipelines over random bounded input, run at
 * parallelism 1, 2 and 4, in batch and streaming mode, with operator fusion on and off, must all
 * give what a plain reference evaluator computes. The suite runs a short fixed-seed search;
 * FLOWLINE_DIFF_RUNS=3000 (and FLOWLINE_DIFF_SEED=n) searches longer.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { InProcessRunner } from './in-process-runner.js';
import { pipelineArbitrary } from './pipeline-arbitrary.js';
import { flowText, type Pipeline } from './pipeline-model.js';
import { evaluate } from './reference-evaluator.js';
import { finalRowsOfUpdates, multiset, rollingTerminal } from './result-comparison.js';

const RUNS = Number(process.env.FLOWLINE_DIFF_RUNS ?? 40);
const SEED = Number(process.env.FLOWLINE_DIFF_SEED ?? 20261127);

const MODES = ['batch', 'streaming'] as const;
const PARALLELISMS = [1, 2, 4];
/** Unfused runs (a different code path for every chain) at these parallelisms. */
const UNFUSED_PARALLELISMS = new Set([1, 2]);

let runner: InProcessRunner;
before(async () => { runner = await InProcessRunner.start(); });
after(async () => { await runner.stop(); });

/** What is wrong with the runs of `p`, or null when every run gives the reference's records. */
async function check(p: Pipeline): Promise<string | null> {
    const text = flowText(p);
    const expected = multiset(evaluate(p));
    const file = runner.writeFlow(text);
    const rolling = rollingTerminal(p);
    for (const mode of MODES) {
        // A rolling aggregate streams updates: only its final rows compare, and only when nothing follows it.
        if (mode === 'streaming' && rolling && p.after.length > 0) continue;
        for (const parallelism of PARALLELISMS) {
            const graph = await runner.translate(file, mode, parallelism);
            if (typeof graph === 'string') return `${mode}, parallelism ${parallelism}: ${graph}\n${text}`;
            for (const fusion of UNFUSED_PARALLELISMS.has(parallelism) ? [true, false] : [true]) {
                const where = `${mode}, parallelism ${parallelism}, fusion ${fusion ? 'on' : 'off'}`;
                const result = await runner.run(graph, fusion);
                if (!result.ok) return `${where}: ${result.error}\n${text}`;
                let rows = result.rows;
                if (mode === 'streaming' && rolling) {
                    const finals = finalRowsOfUpdates(rolling, rows);
                    if (typeof finals === 'string') return `${where}: ${finals}\n${text}`;
                    rows = finals;
                }
                try {
                    assert.deepEqual(multiset(rows), expected);
                } catch (error) {
                    return `${where}: records differ from the reference\n${text}\n${(error as Error).message}`;
                }
            }
        }
    }
    return null;
}

test(`random pipelines give the reference evaluator's records at every parallelism, in both modes, fused or not (${RUNS} cases, seed ${SEED})`, { timeout: 3_600_000 }, async () => {
    const started = Date.now();
    await fc.assert(fc.asyncProperty(pipelineArbitrary, async (p) => {
        const problem = await check(p);
        if (problem !== null) throw new Error(problem);
    }), { numRuns: RUNS, seed: SEED, endOnFailure: process.env.FLOWLINE_DIFF_SHRINK !== '1' });
    if (process.env.FLOWLINE_DIFF_RUNS) process.stderr.write(`differential: ${RUNS} cases in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
});

/**
 * Differential testing of the runtime: random small pipelines over random bounded input, run at
 * parallelism 1, 2 and 4, in batch and streaming mode, with operator fusion on and off, must all
 * give what a plain reference evaluator computes. The suite runs a short fixed-seed search, and a
 * few cases over inputs of several batches ending in keyed operators (the combiner in batch mode,
 * several batches per channel through the columnar exchange; FLOWLINE_DIFF_LARGE_RUNS=n for more);
 * FLOWLINE_DIFF_RUNS=3000 (and FLOWLINE_DIFF_SEED=n) searches longer.
 */
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { InProcessRunner } from './in-process-runner.js';
import { differences } from './differential-check.js';
import { largeInputPipelineArbitrary, pipelineArbitrary } from './pipeline-arbitrary.js';

const RUNS = Number(process.env.FLOWLINE_DIFF_RUNS ?? 40);
const SEED = Number(process.env.FLOWLINE_DIFF_SEED ?? 20261127);
const LARGE_RUNS = Number(process.env.FLOWLINE_DIFF_LARGE_RUNS ?? 6);

let runner: InProcessRunner;
before(async () => { runner = await InProcessRunner.start(); });
after(async () => { await runner.stop(); });

test(`random pipelines give the reference evaluator's records at parallelism 1, 2 and 4 fused and 1 and 2 unfused, in both modes (${RUNS} cases, seed ${SEED})`, { timeout: 3_600_000 }, async () => {
    const started = Date.now();
    await fc.assert(fc.asyncProperty(pipelineArbitrary, async (p) => {
        const problem = await differences(runner, p);
        if (problem !== null) throw new Error(problem);
    }), { numRuns: RUNS, seed: SEED, endOnFailure: process.env.FLOWLINE_DIFF_SHRINK !== '1' });
    if (process.env.FLOWLINE_DIFF_RUNS) process.stderr.write(`differential: ${RUNS} cases in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
});

test(`random pipelines over inputs of several batches, ending in keyed operators, give the reference's records (combiner and columnar exchange; ${LARGE_RUNS} cases, seed ${SEED})`, { timeout: 3_600_000 }, async () => {
    await fc.assert(fc.asyncProperty(largeInputPipelineArbitrary, async (p) => {
        const problem = await differences(runner, p);
        if (problem !== null) throw new Error(problem.length > 4000 ? `${problem.slice(0, 4000)}...` : problem);
    }), { numRuns: LARGE_RUNS, seed: SEED, endOnFailure: process.env.FLOWLINE_DIFF_SHRINK !== '1' });
});

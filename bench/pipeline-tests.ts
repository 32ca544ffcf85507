/**
 * Pipeline tests (issue 13): time per test after the first, for a small pipeline (a filter and a
 * keyed aggregate over three given rows, test/testing/fixtures/passing.test.flow), run by the
 * runner on one in-process local cluster as `flowline test` does, one after another and 16 at a
 * time; and the wall time of `flowline test examples` (a new process, as a user or CI runs it).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildTestPlans } from '../language/src/testing/build-test-plans.js';
import { runPipelineTest } from '../testing/src/run-pipeline-test.js';
import { TestCluster } from '../testing/src/test-cluster.js';
import type { BenchResult } from './bench-result.js';
import { BIN, ROOT } from './_runtime-harness.js';

const WORKLOAD = 'pipeline tests';

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

/** Wall time of `node ...nodeArgs` (a flowline command when they start with the bin). */
function wallTimeMs(nodeArgs: string[]): Promise<number> {
    return new Promise((resolve, reject) => {
        const start = performance.now();
        const child = spawn(process.execPath, nodeArgs, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
        child.once('exit', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`node ${nodeArgs.join(' ')} exited ${code}: ${stderr}`))));
    });
}

export async function run(): Promise<BenchResult[]> {
    const { plans, diagnostics } = await buildTestPlans(join(ROOT, 'test', 'testing', 'fixtures', 'passing.test.flow'));
    const plan = plans.find((p) => p.name === 'only orders above 10 count');
    if (!plan) throw new Error(`the benchmark's test is missing: ${diagnostics.map((d) => d.message).join('; ')}`);
    const cluster = await TestCluster.start({ taskManagers: 2, slotsPerTaskManager: 4 });
    try {
        const runOnce = async (): Promise<number> => {
            const result = await runPipelineTest(plan, { cluster });
            if (result.status !== 'passed') throw new Error(`the benchmark's test did not pass: ${JSON.stringify(result)}`);
            return result.durationMs;
        };
        const first = await runOnce();
        const sequential: number[] = [];
        for (let i = 0; i < 50; i++) sequential.push(await runOnce());
        const batch = 16;
        const started = performance.now();
        await Promise.all(Array.from({ length: batch }, runOnce));
        const concurrentPerTest = (performance.now() - started) / batch;
        const testExamples = [BIN, 'test', 'examples'];
        const examples = median([await wallTimeMs(testExamples), await wallTimeMs(testExamples), await wallTimeMs(testExamples)]);
        const nodeOnly = median([await wallTimeMs(['-e', '']), await wallTimeMs(['-e', '']), await wallTimeMs(['-e', ''])]);
        return [
            { workload: WORKLOAD, name: 'first test of a run (small pipeline)', value: first, unit: 'ms' },
            { workload: WORKLOAD, name: 'each test after the first (median of 50, one at a time)', value: median(sequential), unit: 'ms', target: '< 20 ms' },
            { workload: WORKLOAD, name: `each test, ${batch} at a time (wall time / ${batch})`, value: concurrentPerTest, unit: 'ms' },
            { workload: WORKLOAD, name: 'node -e (process start only)', value: nodeOnly, unit: 'ms' },
            { workload: WORKLOAD, name: 'flowline test examples (whole run, median of 3)', value: examples, unit: 'ms', ratio: examples / nodeOnly, baseline: 'x node -e' }
        ];
    } finally {
        await cluster.shutdown();
    }
}

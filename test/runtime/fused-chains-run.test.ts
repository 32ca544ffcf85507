/**
 * Stateless chains fused into one loop, run through `flowline run` as a user runs them; the
 * subtask metric `operatorSteps` shows what fusion made of the chain.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { JobMetricsMessage, PushMessage } from '../../protocol/cluster-api.js';
import { runCli } from '../support/run-cli.js';
import { FIXTURES } from './cluster-harness.js';

const FIXTURE = path.join(FIXTURES, 'filter-then-global-aggregate.flow');

/** Runs the filter-then-aggregate fixture at parallelism 1 in batch mode; its printed result and the operator steps of its subtasks. */
async function runFixture(noFusion: boolean): Promise<{ stdout: string; operatorSteps: number[] }> {
    const result = await runCli(['run', FIXTURE, '--parallelism', '1', '--mode', 'batch', '--status', 'json'],
        { env: { FLOWLINE_NO_FUSION: noFusion ? '1' : '' } });
    assert.equal(result.code, 0, result.stderr);
    const events = result.stderr.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as PushMessage);
    const metrics = events.filter((e): e is JobMetricsMessage => e.type === 'metrics').at(-1);
    assert.ok(metrics, 'no metrics message');
    return { stdout: result.stdout.trim(), operatorSteps: metrics.vertices.flatMap((v) => v.subtasks.map((s) => s.metrics.operatorSteps)) };
}

test('a filter followed by a global aggregate runs in batch mode at parallelism 1 as one fused step', async () => {
    const { stdout, operatorSteps } = await runFixture(false);
    assert.equal(stdout, '{"n":3,"total":33}');
    // One subtask (parallelism 1, one chain) running filter and aggregate as a single step.
    assert.deepEqual(operatorSteps, [1]);
});

test('FLOWLINE_NO_FUSION=1 runs the filter and the aggregate as two steps and prints the same result', async () => {
    const { stdout, operatorSteps } = await runFixture(true);
    assert.equal(stdout, '{"n":3,"total":33}');
    assert.deepEqual(operatorSteps, [2]);
});

/**
 * Stateless chains fused into one loop, run through `flowline run` as a user runs them.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/run-cli.js';
import { FIXTURES } from './cluster-harness.js';

test('a filter followed by a global aggregate runs in batch mode at parallelism 1 (one fused loop)', async () => {
    const result = await runCli(['run', path.join(FIXTURES, 'filter-then-global-aggregate.flow'), '--parallelism', '1', '--mode', 'batch']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), '{"n":3,"total":33}');
});

test('FLOWLINE_NO_FUSION=1 runs the operators one by one and prints the same result', async () => {
    const result = await runCli(['run', path.join(FIXTURES, 'filter-then-global-aggregate.flow')], { env: { FLOWLINE_NO_FUSION: '1' } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), '{"n":3,"total":33}');
});

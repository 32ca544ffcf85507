/**
 * `flowline run --checkpoint-interval/--checkpoint-dir` (docs/fault-tolerance.md): the flags turn
 * checkpointing on for a pipeline without it and put the job's checkpoints under the directory
 * (`<dir>/<job id>/chk-<n>/_metadata`); what cannot take checkpoints is refused with a message.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { CheckpointMetadata } from '../../../protocol/checkpoints.js';
import { runCli } from '../../support/run-cli.js';
import { FIXTURES } from '../cluster-harness.js';

const FIXTURE = path.join(FIXTURES, 'fault-tolerance', 'counting.flow');
const temp = mkdtempSync(path.join(tmpdir(), 'flowline-checkpoint-flags-'));
after(() => rmSync(temp, { recursive: true, force: true }));

test('--checkpoint-interval turns checkpointing on and --checkpoint-dir holds the job\'s completed checkpoints', async () => {
    const dir = path.join(temp, 'checkpoints');
    const result = await runCli(['run', FIXTURE, '--pipeline', 'Counting', '--checkpoint-interval', '100ms', '--checkpoint-dir', dir, '--status', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const jobs = readdirSync(dir);
    assert.equal(jobs.length, 1, `one job folder in ${dir}`);
    const checkpoints = readdirSync(path.join(dir, jobs[0])).filter((name) => /^chk-\d+$/.test(name));
    assert.ok(checkpoints.length >= 1, `a completed checkpoint in ${jobs[0]}: ${readdirSync(path.join(dir, jobs[0])).join(', ')}`);
    const metadata = JSON.parse(readFileSync(path.join(dir, jobs[0], checkpoints[0], '_metadata'), 'utf8')) as CheckpointMetadata;
    assert.equal(metadata.pipeline, 'Counting');
    assert.equal(metadata.mode, 'exactly-once');
    assert.ok(metadata.operators.some((o) => o.kind === 'source'), 'the source position is in the checkpoint');
});

test('--checkpoint-dir alone is refused for a pipeline that takes no checkpoints, saying what to add', async () => {
    const result = await runCli(['run', FIXTURE, '--pipeline', 'Counting', '--checkpoint-dir', path.join(temp, 'unused')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--checkpoint-dir: Counting takes no checkpoints; give --checkpoint-interval too, or write 'checkpoint every 10s'/);
    assert.ok(!existsSync(path.join(temp, 'unused')));
});

test('checkpoint flags are refused for a batch pipeline, and a malformed interval is a usage error', async () => {
    const batch = await runCli(['run', FIXTURE, '--pipeline', 'Batch', '--checkpoint-interval', '1s']);
    assert.equal(batch.code, 1);
    assert.match(batch.stderr, /--checkpoint-interval: Batch runs in batch mode, which takes no checkpoints/);
    const malformed = await runCli(['run', FIXTURE, '--pipeline', 'Counting', '--checkpoint-interval', '10']);
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /expected a duration such as 2s/);
    const tooShort = await runCli(['run', FIXTURE, '--pipeline', 'Counting', '--checkpoint-interval', '5ms']);
    assert.equal(tooShort.code, 2);
    assert.match(tooShort.stderr, /at least 10ms/);
});

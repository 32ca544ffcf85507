/**
 * What the differential tests found, each as a small .flow file run through `flowline run`
 * (test/runtime/fixtures/differential/), with the records it must print.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/run-cli.js';
import { FIXTURES } from './cluster-harness.js';

async function printed(name: string): Promise<string[]> {
    const result = await runCli(['run', path.join(FIXTURES, 'differential', name)]);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout.trim().split('\n').sort();
}

test('avg over only null values is null, and arithmetic on it downstream stays null', async () => {
    assert.deepEqual(await printed('avg-of-nulls-in-arithmetic.flow'), [
        '{"k":1,"mean":4,"negated":-8}',
        '{"k":2,"mean":null,"negated":null}'
    ]);
});

test('reduce in batch mode emits one final row per key, like aggregate', async () => {
    assert.deepEqual(await printed('reduce-in-batch.flow'), [
        '{"k":"a","total":3,"seen":2}',
        '{"k":"b","total":5,"seen":1}'
    ]);
});

test('split keeps a string without a match as its only part (also the empty string) and drops trailing empty parts', async () => {
    assert.deepEqual(await printed('split-without-match.flow'), [
        '{"line":"","part":""}',
        '{"line":"a","part":"a"}',
        '{"line":"a-b-","part":"a"}',
        '{"line":"a-b-","part":"b"}'
    ]);
});

test('x in a list holding null is null when nothing matches, and not of it is null in the next operator', async () => {
    assert.deepEqual(await printed('in-list-with-null.flow'), [
        '{"s":"A","found":true,"missing":false}',
        '{"s":"b","found":null,"missing":null}'
    ]);
});

/**
 * `flowline run` and `flowline cluster` as a user runs them: records on stdout, exit codes 0, 1
 * and 130, status JSON lines, and submission to a running cluster.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import type { PushMessage } from '../../protocol/cluster-api.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { FIXTURES, startCluster } from './cluster-harness.js';

const fixture = (name: string): string => path.join(FIXTURES, name);
const EXPECTED = ['{"n":16,"doubled":32}', '{"n":17,"doubled":34}', '{"n":18,"doubled":36}', '{"n":19,"doubled":38}', '{"n":20,"doubled":40}'];

test('a LogicalGraph .json file runs to the end: print records on stdout, exit code 0', async () => {
    const result = await runCli(['run', fixture('small-filter-map.json')]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n'), EXPECTED);
});

test('a .flow file runs the same pipeline', async () => {
    const result = await runCli(['run', fixture('small-filter-map.flow')]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n'), EXPECTED);
});

test('--status json writes every job and subtask state change to stderr as JSON lines', async () => {
    const result = await runCli(['run', fixture('keyed-sum.json'), '--status', 'json', '--taskmanagers', '2', '--slots', '1']);
    assert.equal(result.code, 0, result.stderr);
    const events = result.stderr.trim().split('\n').map((line) => JSON.parse(line) as PushMessage);
    const jobStates = events.filter((e) => e.type === 'job-status').map((e) => (e as Extract<PushMessage, { type: 'job-status' }>).status);
    assert.deepEqual(jobStates, ['INITIALIZING', 'CREATED', 'RUNNING', 'FINISHED']);
    const finished = events.filter((e) => e.type === 'subtask-state' && e.state === 'FINISHED');
    assert.equal(finished.length, 4);
    assert.equal(result.stdout.trim().split('\n').length, 4, 'one sum per key');
});

test('a job that fails exits 1 and prints the error with its file and line', async () => {
    const result = await runCli(['run', fixture('bad-csv-fails.flow')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /bad-amounts\.csv:3/);
});

test('a source whose input file is missing: flowline check warns on the path, flowline run fails naming the source line', async () => {
    const file = 'test/fixtures/invalid/missing-input-file.flow';
    const check = await runCli(['check', file]);
    assert.equal(check.code, 0, 'a warning does not fail the check');
    assert.match(check.stdout, /missing-input-file\.flow:9:32: warning missing-input-file: The input file 'data\/no-such-orders\.csv' does not exist/);
    const run = await runCli(['run', file]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /missing-input-file\.flow:9:5: the input file of source: orders, test\/fixtures\/invalid\/data\/no-such-orders\.csv, does not exist/);
});

test('a job needing more slots than the local cluster has exits 1 naming both numbers', async () => {
    const result = await runCli(['run', fixture('keyed-sum.json'), '--taskmanagers', '1', '--slots', '1']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /needs 2 slots/);
    assert.match(result.stderr, /only 1/);
});

test('a missing input is a usage error: exit code 2 with a message naming the file', async () => {
    const result = await runCli(['run', fixture('no-such-graph.json')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no-such-graph\.json: no such file/);
});

test('Ctrl-C cancels the running job cleanly: state CANCELED, exit code 130', async () => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'flowline.js'), 'run', fixture('endless-print.json'), '--status', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const stdout = createInterface({ input: child.stdout });
    await new Promise<void>((resolve) => stdout.once('line', () => resolve()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    assert.equal(await exit, 130);
    const events = stderr.trim().split('\n').map((line) => JSON.parse(line) as PushMessage);
    const last = events.filter((e) => e.type === 'job-status').at(-1) as Extract<PushMessage, { type: 'job-status' }>;
    assert.equal(last.status, 'CANCELED');
    assert.ok(events.some((e) => e.type === 'subtask-state' && e.state === 'CANCELED'));
});

test('flowline run --cluster submits to a running flowline cluster and prints its records', async () => {
    const cluster = await startCluster(['--taskmanagers', '1', '--slots', '1']);
    try {
        const result = await runCli(['run', fixture('small-filter-map.json'), '--cluster', cluster.hello.url, '--token', cluster.hello.token]);
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(result.stdout.trim().split('\n'), EXPECTED);
        const refused = await runCli(['run', fixture('small-filter-map.json'), '--cluster', cluster.hello.url, '--token', 'wrong']);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /401/);
    } finally {
        await cluster.stop();
    }
});

test('flowline cluster prints its REST URL and token as one JSON line', async () => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'flowline.js'), 'cluster', '--rest-port', '0', '--taskmanagers', '1'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    const hello = JSON.parse(line) as { url: string; token: string };
    assert.match(hello.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${hello.url}/overview`, { headers: { authorization: `Bearer ${hello.token}` } });
    assert.equal(res.status, 200);
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    assert.equal(await exit, 0);
});

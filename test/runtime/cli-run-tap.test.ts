/**
 * `flowline run --tap STREAM`: a sample of a running stream's records on stdout as JSON lines,
 * in-process and on a --cluster; checked against a normal run of the same file at p = 2.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { startCluster } from './cluster-harness.js';
import { TAPPED_ORDERS } from './tap-support.js';

interface TapLine { stream: string; subtask: number; record: Record<string, unknown> }

/** `subtask|record` of every record `priced` carries in a normal run (its print sink's lines). */
async function normalRun(): Promise<Set<string>> {
    const normal = await runCli(['run', TAPPED_ORDERS]);
    assert.equal(normal.code, 0, normal.stderr);
    const priced = new Set(normal.stdout.trim().split('\n').map((line) => {
        const match = /^(\d+)> (.*)$/.exec(line)!;
        return `${Number(match[1]) - 1}|${match[2]}`;
    }));
    assert.ok(priced.size > 10000);
    return priced;
}

/** Runs `flowline run ...args`, stops it with Ctrl-C once `lines` lines are out; returns them, stderr and the exit code. */
async function tapUntil(args: string[], lines: number): Promise<{ lines: string[]; stderr: string; code: number | null; seconds: number }> {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'flowline.js'), 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const out: string[] = [];
    const started = Date.now();
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
            out.push(line);
            if (out.length === lines) resolve();
        });
        void exit.then(() => resolve());
    });
    const seconds = (Date.now() - started) / 1000;
    child.kill('SIGINT');
    return { lines: out, stderr, code: await exit, seconds };
}

test('--tap prints a sample of the stream\'s records as JSON lines with their subtasks, each one the stream carries, instead of the printed records', async () => {
    // The paced job runs ~10 s: the normal run to compare with runs at the same time.
    const [result, priced] = await Promise.all([runCli(['run', TAPPED_ORDERS, '--tap', 'priced', '--tap-rate', '5']), normalRun()]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as TapLine);
    // 10 s of records at 5 per second, give or take the start (the job ran ~10 s).
    assert.ok(lines.length >= 20 && lines.length <= 5 * 11 + 2, `${lines.length} records at 5 per second`);
    assert.deepEqual(new Set(lines.map((l) => l.stream)), new Set(['priced']));
    assert.deepEqual(new Set(lines.map((l) => l.subtask)), new Set([0, 1]));
    for (const l of lines) assert.ok(priced.has(`${l.subtask}|${JSON.stringify(l.record)}`), `priced carries ${JSON.stringify(l)} in a normal run`);
    // The print sink's records are counted, not printed; the summary says what the tap sampled.
    assert.match(result.stderr, /sink 1 \(priced\) -> print: 12073 records written/);
    const summary = /tap priced: (\d+) records sampled of (\d+) seen \(at most 5 per second\)/.exec(result.stderr);
    assert.ok(summary, result.stderr);
    assert.equal(Number(summary[1]), lines.length);
    assert.ok(Number(summary[2]) > 10000);
});

test('--tap-filter keeps only the records its .flow expression matches; Ctrl-C stops the run', async () => {
    const result = await tapUntil([TAPPED_ORDERS, '--tap', 'big', '--tap-rate', '1000', '--tap-filter', 'country == "FR" and amount >= 990'], 5);
    assert.equal(result.code, 130, result.stderr);
    assert.ok(result.lines.length >= 5);
    for (const line of result.lines) {
        const { stream, record } = JSON.parse(line) as TapLine;
        assert.equal(stream, 'big');
        assert.ok(record.country === 'FR' && (record.amount as number) >= 990, line);
    }
});

test('a wrong --tap-filter is a usage error naming the problem in the expression, not a file and line', async () => {
    const unknown = await runCli(['run', TAPPED_ORDERS, '--tap', 'big', '--tap-filter', 'amont > 5']);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stdout, '');
    assert.equal(unknown.stderr.trim(), "flowline: --tap-filter 'amont > 5': Unknown field 'amont'. Did you mean 'amount'? (at column 1: 'amont')");
    const notBoolean = await runCli(['run', TAPPED_ORDERS, '--tap', 'priced', '--tap-filter', 'gross + 1']);
    assert.equal(notBoolean.code, 2);
    assert.match(notBoolean.stderr, /--tap-filter 'gross \+ 1': The condition of filter must be boolean, but this is long/);
    const alone = await runCli(['run', TAPPED_ORDERS, '--tap-rate', '3']);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--tap-rate and --tap-filter need --tap STREAM/);
});

test('an unknown --tap stream exits 2 listing the file\'s streams, before anything runs', async () => {
    const result = await runCli(['run', TAPPED_ORDERS, '--tap', 'prcied']);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /flowline: --tap prcied: .*tapped-orders\.flow has no stream 'prcied'\. Its streams: orders, big, priced, perCountry\./);
});

test('with several pipelines, --tap taps the one that has the stream, names the pipeline, and stdout carries only tapped records', async () => {
    const result = await tapUntil([path.join(REPO_ROOT, 'test', 'runtime', 'fixtures', 'two-endless-pipelines.flow'), '--tap', 'tocks', '--tap-rate', '50'], 10);
    assert.equal(result.code, 130, result.stderr);
    const lines = result.lines.map((line) => JSON.parse(line) as TapLine & { pipeline: string });
    assert.ok(lines.length >= 10);
    for (const line of lines) {
        assert.deepEqual(Object.keys(line), ['pipeline', 'stream', 'subtask', 'record']);
        assert.equal(line.pipeline, 'Tocks');
        assert.equal(typeof line.record.tock, 'number');
    }
});

test('--tap works with --cluster, through the REST API', async () => {
    const cluster = await startCluster(['--taskmanagers', '2', '--slots', '1']);
    try {
        const result = await tapUntil([TAPPED_ORDERS, '--tap', 'orders', '--tap-rate', '20', '--cluster', cluster.hello.url, '--token', cluster.hello.token], 15);
        assert.equal(result.code, 130, result.stderr);
        const lines = result.lines.map((line) => JSON.parse(line) as TapLine);
        assert.ok(lines.length >= 15);
        assert.deepEqual(new Set(lines.map((l) => l.subtask)), new Set([0, 1]));
        for (const { record } of lines) assert.deepEqual(Object.keys(record), ['id', 'amount', 'country']);
    } finally {
        await cluster.stop();
    }
});

test('--tap on a datagen source sees the records it makes as columns (the source\'s tap takes them as rows)', async () => {
    const result = await runCli(['run', TAPPED_ORDERS, '--tap', 'orders', '--tap-filter', 'id == 5001']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n').filter((l) => l !== '').map((line) => JSON.parse(line) as TapLine);
    assert.deepEqual(lines.map((l) => l.record.id), [5001]);
    assert.match(result.stderr, /tap orders: 1 record sampled of 1 matching id == 5001 \((\d+) seen/);
    const seen = Number(/\((\d+) seen/.exec(result.stderr)![1]);
    assert.ok(seen > 10000, `the tap saw ${seen} of the source's 20000 records`);
});

/**
 * `flowline run` on a file with several pipelines runs every one of them (one job each, at the
 * same time) unless --pipeline picks one; and the exit codes of every command for mistakes on
 * the command line (2) versus problems in the file or the job (1).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import type { PushMessage } from '../../protocol/cluster-api.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { FIXTURES } from './cluster-harness.js';

const fixture = (name: string): string => path.relative(REPO_ROOT, path.join(FIXTURES, name));
const EVENS = ['{"even":2}', '{"even":4}', '{"even":6}'];
const ODDS = ['{"odd":1}', '{"odd":3}', '{"odd":5}'];

type StatusEvent = PushMessage & { pipeline: string };

test('without --pipeline every pipeline of the file runs, its records unchanged on stdout, exit code 0', async () => {
    const result = await runCli(['run', fixture('two-pipelines.flow')]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    // The jobs run at the same time: each pipeline's records keep their order, the two interleave.
    assert.deepEqual(lines.filter((l) => l.includes('even')), EVENS);
    assert.deepEqual(lines.filter((l) => l.includes('odd')), ODDS);
    assert.equal(lines.length, 6);
});

test('--pipeline runs only the pipeline it names', async () => {
    const result = await runCli(['run', fixture('two-pipelines.flow'), '--pipeline', 'Odds']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n'), ODDS);
});

test('--status json with several pipelines: every event names its pipeline, and each job ends FINISHED', async () => {
    const result = await runCli(['run', fixture('two-pipelines.flow'), '--status', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const events = result.stderr.trim().split('\n').map((line) => JSON.parse(line) as StatusEvent);
    assert.ok(events.every((e) => e.pipeline === 'Evens' || e.pipeline === 'Odds'));
    for (const pipeline of ['Evens', 'Odds']) {
        const own = events.filter((e) => e.pipeline === pipeline);
        assert.equal(new Set(own.map((e) => e.jid)).size, 1, `${pipeline} is one job`);
        const states = own.filter((e) => e.type === 'job-status').map((e) => (e as Extract<PushMessage, { type: 'job-status' }>).status);
        assert.deepEqual(states, ['INITIALIZING', 'CREATED', 'RUNNING', 'FINISHED']);
    }
    assert.notEqual(events.find((e) => e.pipeline === 'Evens')!.jid, events.find((e) => e.pipeline === 'Odds')!.jid);
});

test('when one of several pipelines fails, the others still run and the exit code is 1, the error naming the pipeline', async () => {
    const result = await runCli(['run', fixture('two-pipelines-one-fails.flow')]);
    assert.equal(result.code, 1);
    assert.deepEqual(result.stdout.trim().split('\n'), ['{"n":1}', '{"n":2}', '{"n":3}']);
    assert.match(result.stderr, /^Failing: .*bad-amounts\.csv:3/m);
});

test('Ctrl-C cancels every running pipeline of the file: each job ends CANCELED, exit code 130', async () => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'flowline.js'), 'run', fixture('two-endless-pipelines.flow'), '--status', 'json'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    // Wait until both pipelines printed a record.
    const seen = new Set<string>();
    const reader = createInterface({ input: child.stdout });
    await new Promise<void>((resolve) => reader.on('line', (line) => {
        seen.add(Object.keys(JSON.parse(line) as object)[0]);
        if (seen.has('tick') && seen.has('tock')) resolve();
    }));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    assert.equal(await exit, 130);
    const events = stderr.trim().split('\n').map((line) => JSON.parse(line) as StatusEvent);
    for (const pipeline of ['Ticks', 'Tocks']) {
        const last = events.filter((e) => e.pipeline === pipeline && e.type === 'job-status').at(-1) as Extract<PushMessage, { type: 'job-status' }>;
        assert.equal(last.status, 'CANCELED', pipeline);
    }
});

test('on a terminal, a header line names the pipeline before each run of its records', (t) => {
    // `script` (util-linux) gives the command a terminal as stdout.
    if (spawnSync('script', ['--version']).error) {
        t.skip('needs the `script` command to give flowline a terminal');
        return;
    }
    const command = `${JSON.stringify(process.execPath)} bin/flowline.js run ${fixture('two-pipelines.flow')} 2>/dev/null`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.replace(/\r/g, '').split('\n').filter((l) => l !== '');
    let current: string | undefined;
    const seen: Record<string, string[]> = { Evens: [], Odds: [] };
    for (const line of lines) {
        const header = /^==> (\w+) <==$/.exec(line);
        if (header) current = header[1];
        else seen[current ?? 'none'].push(line);
    }
    assert.deepEqual(seen, { Evens: EVENS, Odds: ODDS });
});

test('a file that declares only schemas says there is nothing to run (exit code 1)', async () => {
    const result = await runCli(['run', fixture('schemas-only.flow')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /schemas-only\.flow declares no pipeline: nothing to run/);
});

for (const [command, extra] of [['check', []], ['graph', []], ['run', []], ['run', ['--status', 'json']]] as const) {
    test(`flowline ${[command, ...extra].join(' ')} on a file that does not exist is a usage error (exit code 2)`, async () => {
        const result = await runCli([command, 'no/such/file.flow', ...extra]);
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, /no\/such\/file\.flow/);
        assert.match(result.stderr, /no such file/);
    });
}

for (const [command, file] of [['graph', 'two-pipelines.flow'], ['run', 'two-pipelines.flow'], ['run', 'small-filter-map.json']] as const) {
    test(`flowline ${command} ${file} --pipeline with a name the file lacks is a usage error (exit code 2) listing the names`, async () => {
        const result = await runCli([command, fixture(file), '--pipeline', 'NoSuchPipeline']);
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, new RegExp(`${file.replace('.', '\\.')} has no pipeline 'NoSuchPipeline'; it has (Evens, Odds|SmallFilterMap)\\.`));
    });
}

/**
 * The summary `flowline run` writes on stderr for each job as soon as that job ended: under a
 * `Name:` header with indented lines when several pipelines run, one JSON `summary` event per
 * job with --status json, a bounded job's summary while an endless one still runs, and on a
 * terminal under the live display's last drawing.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import type { PushMessage, RunSummaryEvent } from '../../protocol/cluster-api.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { FIXTURES } from './cluster-harness.js';

const fixture = (name: string): string => path.relative(REPO_ROOT, path.join(FIXTURES, name));

/** The summary block of a datagen(count: 6) pipeline whose sink prints half the numbers. */
function halfPrintedSummary(pipeline: string, stream: string): string {
    return `${pipeline}:\n  source nums (datagen): 6 rows read, 0 skipped, 0 dead-lettered\n  sink 1 (${stream}) -> print: 3 records written\n`;
}

test('with several pipelines each summary comes under a `Name:` header, its lines indented', async () => {
    const result = await runCli(['run', fixture('two-pipelines.flow')]);
    assert.equal(result.code, 0, result.stderr);
    // The jobs run at the same time: either may end first, each block stays whole.
    const blocks = [halfPrintedSummary('Evens', 'evens'), halfPrintedSummary('Odds', 'odds')];
    assert.ok(result.stderr === blocks.join('') || result.stderr === [...blocks].reverse().join(''), result.stderr);
});

test('--status json with several pipelines: one summary event per job, its last, with final counters and its pipeline', async () => {
    const result = await runCli(['run', fixture('two-pipelines.flow'), '--status', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const events = result.stderr.trim().split('\n').map((line) => JSON.parse(line) as (PushMessage | RunSummaryEvent) & { pipeline: string });
    for (const pipeline of ['Evens', 'Odds']) {
        const own = events.filter((e) => e.pipeline === pipeline);
        const summaries = own.filter((e): e is RunSummaryEvent & { pipeline: string } => e.type === 'summary');
        assert.equal(summaries.length, 1, pipeline);
        assert.equal(own.at(-1), summaries[0], `${pipeline}: the summary is the job's last event`);
        const [summary] = summaries;
        assert.equal(summary.status, 'FINISHED');
        assert.equal(summary.jid, own[0].jid);
        assert.deepEqual(summary.sources.map((s) => [s.name, s['read-records'], s.complete]), [['nums', 6, true]]);
        assert.deepEqual(summary.sinks.map((s) => [s.description, s['write-records'], s.complete]), [[`${pipeline.toLowerCase()} -> print`, 3, true]]);
    }
});

test("a bounded job's summary is printed while an endless pipeline still runs; Ctrl-C then ends it with its own summary", { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'flowline.js'), 'run', fixture('bounded-and-endless.flow')], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const bounded = halfPrintedSummary('Bounded', 'evens');
    await new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes(bounded)) resolve();
    }));
    // The endless job still runs: no exit, no summary for it, and it keeps printing.
    assert.equal(child.exitCode, null);
    assert.equal(stderr, bounded);
    const ticksBefore = stdout.split('\n').filter((l) => l.includes('tick')).length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(stdout.split('\n').filter((l) => l.includes('tick')).length > ticksBefore, 'the endless pipeline keeps printing');
    child.kill('SIGINT');
    assert.equal(await exit, 130);
    const endless = /^Endless:\n {2}source ticks \(datagen\): (\d+) rows read, 0 skipped, 0 dead-lettered\n {2}sink 1 \(ticks\) -> print: (\d+) records written\n$/.exec(stderr.slice(bounded.length));
    assert.ok(endless, stderr);
    // Every tick read was written (no operator between), and printed on stdout.
    const ticks = stdout.split('\n').filter((l) => l.includes('tick')).length;
    assert.equal(Number(endless[1]), Number(endless[2]));
    assert.equal(Number(endless[2]), ticks);
});

test('on a terminal the summary comes after the live display, whose source vertex shows no "in"', (t) => {
    // `script` (util-linux) runs the command on a pseudo-terminal: stderr is a TTY, so the live display is drawn.
    if (spawnSync('script', ['--version']).error) {
        t.skip('needs the `script` command to give flowline a terminal');
        return;
    }
    const command = `${JSON.stringify(process.execPath)} bin/flowline.js run ${fixture('two-pipelines.flow')} --parallelism 1`;
    const result = spawnSync('script', ['-qfec', command, '/dev/null'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    // eslint-disable-next-line no-control-regex
    const lines = result.stdout.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '').split('\n');
    const lastDisplayLine = lines.map((l) => /^ {2}slots: /.test(l)).lastIndexOf(true);
    assert.ok(lastDisplayLine >= 0, 'the live display was drawn');
    // Each pipeline is one vertex (source chained to its sink): a source vertex shows its out only.
    const vertexLines = lines.filter((l) => /^ {2}source: nums .* x1: /.test(l));
    assert.ok(vertexLines.length >= 2, result.stdout);
    for (const line of vertexLines) assert.match(line, /\| out \d+ \(\d+(\.\d+)?\/s\)( \d+%)?$/);
    const summaryLines = lines.map((l, i) => [l, i] as const).filter(([l]) => /^(Evens|Odds):$|^ {2}(source nums|sink 1) /.test(l));
    assert.equal(summaryLines.length, 6, result.stdout);
    // The first job's summary stays above the display drawn again; the last one's comes after the display's final drawing.
    assert.ok(summaryLines.slice(3).every(([, i]) => i > lastDisplayLine), result.stdout);
    assert.match(lines.slice(lastDisplayLine - 4, lastDisplayLine).join('\n'), /FINISHED/);
});

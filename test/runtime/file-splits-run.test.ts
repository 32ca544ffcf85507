/**
 * File sources read as splits, through `flowline run` as a user runs a pipeline: results equal at
 * parallelism 1, 2 and 4; bad rows spread over many splits are reported at the same file:line:column
 * with the same counts as one reader reports them; a directory and a glob read every file once.
 * Input files are generated here (fixed seed).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import { runCli, type CliResult } from '../support/run-cli.js';

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function workdir(files: Record<string, string | Buffer>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowline-splits-run-'));
    dirs.push(dir);
    for (const [name, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        writeFileSync(path.join(dir, name), content);
    }
    return dir;
}

/** A small deterministic generator (a fixed seed, so every run reads the same files). */
function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        return state / 2 ** 32;
    };
}

/** A csv of orders with quoted names holding commas, quotes and line breaks; `bad` of every 1 in `badEvery` rows. */
function ordersCsv(rows: number, seed: number, options: { crlf?: boolean; badEvery?: number } = {}): string {
    const next = random(seed);
    const eol = options.crlf ? '\r\n' : '\n';
    const names = ['plain', '"with, comma"', '"say ""hi"""', `"two${eol}lines"`, '""'];
    const bad = ['x,"ok",1.5', '7,"extra",1.5,9', '8,"missing"', '9,ab"c,2.5'];
    const lines = ['id,name,amount'];
    for (let i = 0; i < rows; i++) {
        if (options.badEvery !== undefined && i % options.badEvery === options.badEvery - 1) {
            lines.push(bad[Math.floor(next() * bad.length)]);
            continue;
        }
        if (next() < 0.05) lines.push('');
        lines.push(`${Math.floor(next() * 50)},${names[Math.floor(next() * names.length)]},${(next() * 100).toFixed(2)}`);
    }
    return lines.join(eol) + eol;
}

function groupBy(parallelism: number | undefined, source: string, policy = 'fail'): string {
    return [
        'pipeline Totals {',
        '    mode batch',
        ...(parallelism !== undefined ? [`    parallelism ${parallelism}`] : []),
        `    source orders: { id: int, name: string, amount: double } = ${source} { onError ${policy} }`,
        '    stream totals = orders | keyBy id | aggregate { id, n: count(), total: sum(amount), names: count(name) }',
        '    sink totals -> print',
        ...(policy === 'deadLetter' ? ['    sink orders.deadLetter -> print'] : []),
        '}',
        ''
    ].join('\n');
}

async function run(dir: string, flow: string, ...args: string[]): Promise<CliResult> {
    writeFileSync(path.join(dir, 'p.flow'), flow);
    return runCli(['run', 'p.flow', ...args], { cwd: dir });
}

/** Printed JSON records, sorted (parallel sinks interleave their lines). */
function records(stdout: string): string[] {
    return printedLines(stdout).map((l) => {
        const r = JSON.parse(l) as Record<string, unknown>;
        if (typeof r.total === 'number') r.total = Math.round(r.total * 100) / 100; // sums in another order
        return JSON.stringify(r);
    }).sort();
}

/** The JSON of each printed line (a parallel print sink prefixes `<subtask>> `, as Flink's does). */
function printedLines(stdout: string): string[] {
    return stdout.split('\n').filter((l) => l !== '').map((l) => l.replace(/^\d+> /, ''));
}

function summary(stderr: string): string[] {
    return stderr.split('\n').filter((l) => /^source /.test(l));
}

test('a csv group-by gives the same results at parallelism 1, 2 and 4, its source reading at the pipeline parallelism', async () => {
    // CRLF line ends, quoted line breaks: the property test covers every shape; this one runs the CLI.
    for (const crlf of [true]) {
        const dir = workdir({ 'orders.csv': ordersCsv(3000, 2, { crlf }) });
        const graph = await runCli(['graph', 'p.flow'], { cwd: (writeFileSync(path.join(dir, 'p.flow'), groupBy(4, 'csv("orders.csv")')), dir) });
        assert.equal(graph.code, 0, graph.stderr);
        const source = (JSON.parse(graph.stdout) as LogicalGraph).nodes.find((n) => n.config.kind === 'source')!;
        assert.equal(source.parallelism, 4);
        assert.equal(source.parallelismPinned, undefined);
        const results = [];
        for (const p of [1, 2, 4]) {
            const result = await run(dir, groupBy(p, 'csv("orders.csv")'));
            assert.equal(result.code, 0, result.stderr);
            assert.match(summary(result.stderr)[0], /^source orders \(orders\.csv\): \d+ rows read, 0 skipped, 0 dead-lettered$/);
            results.push({ p, out: records(result.stdout), summary: summary(result.stderr) });
        }
        assert.ok(results[0].out.length > 10);
        for (const r of results.slice(1)) {
            assert.deepEqual(r.out, results[0].out, `parallelism ${r.p}, ${crlf ? 'CRLF' : 'LF'}`);
            assert.deepEqual(r.summary, results[0].summary, `parallelism ${r.p}`);
        }
    }
});

test('bad rows in many splits are reported at the same file:line:column, with the same skip and dead-letter counts, as one reader reports them', async () => {
    const dir = workdir({ 'orders.csv': ordersCsv(2000, 3, { badEvery: 97 }) });
    const letters = async (p: number) => {
        const result = await run(dir, groupBy(p, 'csv("orders.csv")', 'deadLetter'));
        assert.equal(result.code, 0, result.stderr);
        const all = printedLines(result.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
        return { deadLetters: all.filter((r) => 'error' in r).map((r) => JSON.stringify(r)).sort(), summary: summary(result.stderr) };
    };
    const one = await letters(1);
    // Line 2 onwards, every 97th data row (and the empty lines between) is bad: ~20 of them, in every split.
    assert.ok(one.deadLetters.length >= 15, `${one.deadLetters.length} dead letters`);
    assert.ok(one.deadLetters.some((d) => d.includes('malformed CSV: Invalid Opening Quote')), 'an unreadable row is among them');
    assert.deepEqual(await letters(4), one);
    const skipped = summary((await run(dir, groupBy(4, 'csv("orders.csv")', 'skip'))).stderr);
    assert.deepEqual(skipped, one.summary.map((l) => l.replace(/0 skipped, (\d+) dead-lettered/, '$1 skipped, 0 dead-lettered')));
    // Under fail, the job stops at a bad row of one of its splits, named exactly as one reader names it.
    const failed = await run(dir, groupBy(4, 'csv("orders.csv")'));
    assert.equal(failed.code, 1);
    const error = /BadInputError: (orders\.csv:\d+:\d+: .*)/.exec(failed.stderr)?.[1];
    assert.ok(error !== undefined, failed.stderr);
    assert.ok(one.deadLetters.some((d) => (JSON.parse(d) as { error: string }).error === error), `${error} is one of the bad rows`);
});

test('a directory or a glob source at parallelism 2 reads every file once, leaving out hidden files', async () => {
    const files = { 'data/a.csv': ordersCsv(300, 4), 'data/b.csv': ordersCsv(10, 5), 'data/more/c.csv': ordersCsv(500, 6) };
    const dir = workdir({ ...files, 'data/.hidden.csv': 'id,name,amount\n999,hidden,1\n', 'data/_temporary.csv': 'id,name,amount\n998,temp,1\n', 'data/more/notes.txt': 'not csv' });
    const expected = await run(workdir({ 'all.csv': Object.values(files).map((f, i) => (i === 0 ? f : f.slice(f.indexOf('\n') + 1))).join('') }), groupBy(1, 'csv("all.csv")'));
    assert.equal(expected.code, 0, expected.stderr);
    const glob = await run(dir, groupBy(2, 'csv("data/**/*.csv")'));
    assert.equal(glob.code, 0, glob.stderr);
    assert.deepEqual(records(glob.stdout), records(expected.stdout));
    const directory = await run(dir, groupBy(2, 'csv("data")'));
    assert.notEqual(directory.code, 0, 'notes.txt in the directory is not csv with a header: the run names it');
    rmSync(path.join(dir, 'data/more/notes.txt'));
    const clean = await run(dir, groupBy(2, 'csv("data")'));
    assert.equal(clean.code, 0, clean.stderr);
    assert.deepEqual(records(clean.stdout), records(expected.stdout));
});

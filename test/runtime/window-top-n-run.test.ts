/**
 * Window Top-N through `flowline run`: `orderBy | limit` after a windowed aggregate ranks each
 * window once, whatever the parallelism and in both modes, and `across windows` ranks all windows
 * together. Inputs are generated from a seed, out of order within the watermark's delay and with
 * jumps in time so that several windows fire on one watermark; the expected rows are computed
 * here in plain TypeScript, not by the runtime.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { seededRandom } from '../../scripts/seeded-random.js';
import { runCli } from '../support/run-cli.js';

const WINDOW_MS = 10_000;
const DELAY_MS = 25_000;
const TOP = 3;
const TOP_ACROSS = 5;
const KEYS = ['ant', 'bee', 'cat', 'dog', 'eel', 'fox', 'gnu', 'hen'];

interface Event { key: string; v: number; ts: number }
interface Total { windowEnd: string; key: string; total: number; n: number }

const PIPELINE = `
schema Event { key: string  v: int  ts: timestamp }

pipeline TopN {
    mode streaming

    source events: Event = jsonl("events.jsonl") {
        watermark ts - ${DELAY_MS / 1000}s
    }

    stream totals = events
        | keyBy key
        | window tumbling ${WINDOW_MS / 1000}s on ts
        | aggregate { windowEnd: window.end, key, total: sum(v), n: count() }

    stream topPerWindow = totals | orderBy total desc | limit ${TOP}
    stream topOfAll = totals | orderBy total desc across windows | limit ${TOP_ACROSS}

    sink topPerWindow -> jsonl("top-per-window.jsonl")
    sink topOfAll -> jsonl("top-of-all.jsonl")
}
`;

/**
 * Events in file order: time advances 0-400 ms per event and sometimes jumps 35 s (past several
 * window ends at once); each timestamp is late by up to the watermark delay, so nothing is
 * dropped as late and the reference need not model lateness.
 */
function generateEvents(seed: number, count: number): Event[] {
    const next = seededRandom(seed);
    const events: Event[] = [];
    let t = Date.UTC(2024, 0, 1);
    for (let i = 0; i < count; i++) {
        t += Math.floor(next() * 400) + (next() < 0.01 ? 35_000 : 0);
        const key = KEYS[Math.floor(next() * KEYS.length)];
        events.push({ key, v: 1 + Math.floor(next() * 5), ts: t + Math.floor(next() * DELAY_MS) });
    }
    return events;
}

/** The windowed totals per key, computed directly from the events. */
function referenceTotals(events: Event[]): Total[] {
    const byWindowAndKey = new Map<string, Total>();
    for (const e of events) {
        const end = Math.floor(e.ts / WINDOW_MS) * WINDOW_MS + WINDOW_MS;
        const id = `${end}/${e.key}`;
        const total = byWindowAndKey.get(id) ?? { windowEnd: new Date(end).toISOString(), key: e.key, total: 0, n: 0 };
        total.total += e.v;
        total.n += 1;
        byWindowAndKey.set(id, total);
    }
    return [...byWindowAndKey.values()];
}

/** total desc; ties broken by the whole row in schema order (windowEnd, key, total, n) ascending. */
function byRank(a: Total, b: Total): number {
    return b.total - a.total || a.windowEnd.localeCompare(b.windowEnd) || a.key.localeCompare(b.key) || a.n - b.n;
}

/** The first `n` of each window, windows in order of their end (ISO strings order like the times). */
function referenceTopPerWindow(totals: Total[], n: number): Total[] {
    const ends = [...new Set(totals.map((t) => t.windowEnd))].sort();
    return ends.flatMap((end) => totals.filter((t) => t.windowEnd === end).sort(byRank).slice(0, n));
}

function referenceTopOfAll(totals: Total[], n: number): Total[] {
    return [...totals].sort(byRank).slice(0, n);
}

let dir: string;
const cases = [
    { seed: 7, count: 3000, modes: ['streaming', 'batch'] as const },
    { seed: 1234, count: 1500, modes: ['streaming'] as const }
];

before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'flowline-top-n-'));
});

after(() => {
    rmSync(dir, { recursive: true, force: true });
});

/** Writes the events and the pipeline, runs it, and returns what both sinks wrote. */
async function runTopN(events: Event[], mode: 'batch' | 'streaming', parallelism: number): Promise<{ perWindow: Total[]; ofAll: Total[] }> {
    writeFileSync(path.join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    writeFileSync(path.join(dir, 'top-n.flow'), PIPELINE);
    const result = await runCli(['run', path.join(dir, 'top-n.flow'), '--mode', mode, '--parallelism', String(parallelism), '--taskmanagers', '2', '--slots', '2']);
    assert.equal(result.code, 0, result.stderr);
    const read = (file: string): Total[] => readFileSync(path.join(dir, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Total);
    return { perWindow: read('top-per-window.jsonl'), ofAll: read('top-of-all.jsonl') };
}

for (const { seed, count, modes } of cases) {
    for (const mode of modes) {
        test(`seed ${seed}, ${mode}: the top ${TOP} per window and the top ${TOP_ACROSS} across windows are the reference's at parallelism 1, 2 and 4`, async () => {
            const events = generateEvents(seed, count);
            const totals = referenceTotals(events);
            const expectedPerWindow = referenceTopPerWindow(totals, TOP);
            const expectedOfAll = referenceTopOfAll(totals, TOP_ACROSS);
            assert.ok(new Set(totals.map((t) => t.windowEnd)).size > 20, 'the input spans many windows');
            for (const parallelism of [1, 2, 4]) {
                const { perWindow, ofAll } = await runTopN(events, mode, parallelism);
                assert.deepEqual(perWindow, expectedPerWindow, `top per window at parallelism ${parallelism}`);
                assert.deepEqual(ofAll, expectedOfAll, `top across windows at parallelism ${parallelism}`);
            }
        });
    }
}

test(`the issue's case: a tumbling-window top-${TOP} in streaming mode gives exactly ${TOP} rows per window at parallelism 2 and 4, the same on every run`, async () => {
    const events = generateEvents(99, 3000);
    // A window with fewer keys than TOP has one row per key.
    const expectedRows = new Map<string, number>();
    for (const t of referenceTotals(events)) expectedRows.set(t.windowEnd, Math.min(TOP, (expectedRows.get(t.windowEnd) ?? 0) + 1));
    assert.ok([...expectedRows.values()].filter((n) => n === TOP).length > 20, 'most windows have at least TOP keys');
    for (const parallelism of [2, 4]) {
        const runs: Total[][] = [];
        for (let run = 0; run < 2; run++) runs.push((await runTopN(events, 'streaming', parallelism)).perWindow);
        for (const rows of runs) {
            const perWindow = new Map<string, number>();
            for (const row of rows) perWindow.set(row.windowEnd, (perWindow.get(row.windowEnd) ?? 0) + 1);
            assert.deepEqual(perWindow, expectedRows, `rows per window at parallelism ${parallelism}`);
        }
        assert.deepEqual(runs[1], runs[0], `the second run equals the first at parallelism ${parallelism}`);
    }
});

test('--mode streaming refuses a ranking of rows that are not per window (they would be rolling updates), naming its line', async () => {
    writeFileSync(path.join(dir, 'events.jsonl'), generateEvents(5, 50).map((e) => JSON.stringify(e)).join('\n') + '\n');
    const file = path.join(dir, 'global.flow');
    writeFileSync(file, [
        'schema Event { key: string  v: int  ts: timestamp }',
        'pipeline Totals {',
        '    source events: Event = jsonl("events.jsonl")',
        '    stream top = events | keyBy key | aggregate { key, total: sum(v) } | orderBy total desc | limit 3',
        '    sink top -> print',
        '}'
    ].join('\n'));
    const batch = await runCli(['run', file]);
    assert.equal(batch.code, 0, batch.stderr);
    assert.equal(batch.stdout.trim().split('\n').length, 3);
    const streaming = await runCli(['run', file, '--mode', 'streaming']);
    assert.equal(streaming.code, 1);
    assert.match(streaming.stderr, /global\.flow:4:\d+: .*cannot run in streaming mode: orderBy needs windowed input/);
    // The same graph as .json goes through the CLI's loader, which applies the same rule.
    const graph = await runCli(['graph', file]);
    assert.equal(graph.code, 0, graph.stderr);
    writeFileSync(path.join(dir, 'global.json'), graph.stdout);
    const streamingJson = await runCli(['run', path.join(dir, 'global.json'), '--mode', 'streaming']);
    assert.equal(streamingJson.code, 1);
    assert.match(streamingJson.stderr, /--mode streaming needs windowed input for orderBy \(it ranks per window\), but \S+ is global\./);
});

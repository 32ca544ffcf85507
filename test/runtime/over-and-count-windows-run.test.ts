/**
 * OVER aggregates, count windows and Top-N per window with ties through `flowline run`: batch,
 * streaming at p=1 and streaming at p=2 give the rows a plain TypeScript evaluator computes from
 * the same generated events. Events come out of order within the watermark's delay and on a
 * coarse clock (many equal times), so the order of ties (time, then the whole row) and RANGE's
 * peers are exercised; nothing is late, so the evaluator need not model lateness.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { seededRandom } from '../../scripts/seeded-random.js';
import { runCli } from '../support/run-cli.js';

const DELAY_MS = 5_000;
const KEYS = ['ant', 'bee', 'cat', 'dog'];

interface Event { key: string; v: number; ts: number }
type Row = Record<string, unknown>;

const PIPELINE = `
schema Event { key: string  v: long  ts: timestamp }
pipeline Analytics {
    mode streaming
    source events: Event = jsonl("events.jsonl") { watermark ts - ${DELAY_MS / 1000}s }
    stream lastThree = events | keyBy key | over last 3 rows { s: sum(v), n: count() }
    stream lastTwoSeconds = events | keyBy key | over last 2s { s: sum(v), hi: max(v) }
    stream triples = events | keyBy key | window count 3 | aggregate { key, s: sum(v) }
    stream slidingFour = events | keyBy key | window count 4 every 2 | aggregate { key, s: sum(v), n: count() }
    stream hottest = events
        | keyBy key
        | window tumbling 10s on ts
        | aggregate { key, n: count(), windowEnd: window.end }
        | top 1 by n desc with ties as rank
    sink lastThree -> jsonl("last-three.jsonl")
    sink lastTwoSeconds -> jsonl("last-two-seconds.jsonl")
    sink triples -> jsonl("triples.jsonl")
    sink slidingFour -> jsonl("sliding-four.jsonl")
    sink hottest -> jsonl("hottest.jsonl")
}
`;

function generateEvents(seed: number, count: number): Event[] {
    const next = seededRandom(seed);
    const events: Event[] = [];
    let t = Date.UTC(2024, 0, 1);
    for (let i = 0; i < count; i++) {
        t += Math.floor(next() * 3) * 250;
        // Out of order by less than the delay, on a 500 ms clock: many rows share a time.
        const ts = t + Math.floor(next() * (DELAY_MS / 500)) * 500;
        events.push({ key: KEYS[Math.floor(next() * KEYS.length)], v: 1 + Math.floor(next() * 9), ts });
    }
    return events;
}

const iso = (ms: number) => new Date(ms).toISOString();
const asRow = (e: Event): Row => ({ key: e.key, v: e.v, ts: iso(e.ts) });

/** Each key's events in event-time order, ties by the whole row (key, v, ts). */
function perKeyInOrder(events: Event[]): Event[][] {
    const byKey = new Map<string, Event[]>();
    for (const e of events) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
    return [...byKey.values()].map((list) => list.sort((a, b) => a.ts - b.ts || a.v - b.v));
}

function reference(events: Event[]): Record<string, Row[]> {
    const lastThree: Row[] = [], lastTwoSeconds: Row[] = [], triples: Row[] = [], slidingFour: Row[] = [];
    for (const list of perKeyInOrder(events)) {
        list.forEach((e, i) => {
            const rows = list.slice(Math.max(0, i - 2), i + 1);
            lastThree.push({ ...asRow(e), s: rows.reduce((s, r) => s + r.v, 0), n: rows.length });
            const range = list.filter((r) => r.ts >= e.ts - 2000 && r.ts <= e.ts);
            lastTwoSeconds.push({ ...asRow(e), s: range.reduce((s, r) => s + r.v, 0), hi: Math.max(...range.map((r) => r.v)) });
            if ((i + 1) % 3 === 0) triples.push({ key: e.key, s: list.slice(i - 2, i + 1).reduce((s, r) => s + r.v, 0) });
            if ((i + 1) % 2 === 0) {
                const last = list.slice(Math.max(0, i - 3), i + 1);
                slidingFour.push({ key: e.key, s: last.reduce((s, r) => s + r.v, 0), n: last.length });
            }
        });
    }
    const counts = new Map<string, { key: string; n: number; end: number }>();
    for (const e of events) {
        const end = Math.floor(e.ts / 10_000) * 10_000 + 10_000;
        const c = counts.get(`${end}/${e.key}`) ?? { key: e.key, n: 0, end };
        c.n++;
        counts.set(`${end}/${e.key}`, c);
    }
    const best = new Map<number, number>();
    for (const c of counts.values()) best.set(c.end, Math.max(best.get(c.end) ?? 0, c.n));
    const hottest = [...counts.values()].filter((c) => c.n === best.get(c.end)).map((c) => ({ key: c.key, n: c.n, windowEnd: iso(c.end), rank: 1 }));
    return { 'last-three': lastThree, 'last-two-seconds': lastTwoSeconds, triples, 'sliding-four': slidingFour, hottest };
}

const work = mkdtempSync(path.join(tmpdir(), 'flowline-over-run-'));
after(() => rmSync(work, { recursive: true, force: true }));

const sorted = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();

// One seed of 600 events keeps the test to three CLI runs.
for (const seed of [11]) {
    test(`over, count windows and ties (seed ${seed}): batch, streaming p=1 and streaming p=2 equal the evaluator`, { timeout: 120_000 }, async () => {
        const dir = path.join(work, `seed-${seed}`);
        const events = generateEvents(seed, 600);
        const expected = reference(events);
        for (const [mode, p] of [['batch', 1], ['streaming', 1], ['streaming', 2]] as const) {
            const runDir = mkdtempSync(`${dir}-${mode}-${p}-`);
            writeFileSync(path.join(runDir, 'events.jsonl'), events.map((e) => JSON.stringify(asRow(e))).join('\n') + '\n');
            writeFileSync(path.join(runDir, 'analytics.flow'), PIPELINE);
            const run = await runCli(['run', path.join(runDir, 'analytics.flow'), '--mode', mode, '--parallelism', String(p)]);
            assert.equal(run.code, 0, run.stderr);
            for (const [sink, rows] of Object.entries(expected)) {
                const actual = readFileSync(path.join(runDir, `${sink}.jsonl`), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Row);
                assert.deepEqual(sorted(actual), sorted(rows), `${sink} in ${mode} mode at p=${p}`);
            }
        }
    });
}

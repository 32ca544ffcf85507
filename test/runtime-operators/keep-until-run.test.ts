/**
 * `keep first|last by ... until t` through `flowline run`: on generated bids (each auction's
 * rows before its closing time, out of order within the watermark's delay) batch and streaming
 * mode, at parallelism 1 and 2, give the rows of a plain evaluator: each auction's best bid.
 * Rows that come after their key closed are late: dropped and counted where the user sees them
 * (the job's `late-records-dropped`), never emitted a second time.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';

const root = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'flowline-keep-until-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const t0 = Date.UTC(2024, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

interface Bid { auction: number; price: number; ts: number; closes: number }

function pipeline(which: 'first' | 'last'): string {
    return `pipeline Closing {
    mode streaming
    source bids: { auction: long, price: long, ts: timestamp, closes: timestamp } = csv("bids.csv") {
        watermark ts - 2s
    }
    stream best = bids | keyBy auction | keep ${which} by price desc, ts until closes
    sink best -> print
}
`;
}

function flowline(args: string[]) {
    return spawnSync(process.execPath, [join(root, 'bin', 'flowline.js'), ...args], { encoding: 'utf8', cwd: dir, timeout: 120_000 });
}

/** Writes the bids and the pipeline, translates it once; returns a runner of the graph. */
function prepare(bids: Bid[], which: 'first' | 'last'): (args: string[]) => ReturnType<typeof flowline> {
    writeFileSync(join(dir, 'bids.csv'), `auction,price,ts,closes\n${bids.map((b) => `${b.auction},${b.price},${iso(b.ts)},${iso(b.closes)}`).join('\n')}\n`);
    writeFileSync(join(dir, 'closing.flow'), pipeline(which));
    const graph = flowline(['graph', 'closing.flow', '--format', 'json']);
    assert.equal(graph.status, 0, graph.stderr);
    writeFileSync(join(dir, 'graph.json'), graph.stdout);
    return (args) => flowline(['run', 'graph.json', ...args]);
}

/** The evaluator: per auction, the row first in (price desc, ts asc), or last in that order. */
function expected(bids: Bid[], which: 'first' | 'last'): string[] {
    const best = new Map<number, Bid>();
    const before = (a: Bid, b: Bid) => a.price > b.price || (a.price === b.price && a.ts < b.ts);
    for (const bid of bids) {
        const held = best.get(bid.auction);
        if (held === undefined || (which === 'first' ? before(bid, held) : before(held, bid))) best.set(bid.auction, bid);
    }
    return [...best.values()].map((b) => JSON.stringify({ auction: b.auction, price: b.price, ts: iso(b.ts), closes: iso(b.closes) })).sort();
}

const printed = (stdout: string) => stdout.split('\n').filter((l) => l !== '').map((l) => l.replace(/^\d+> /, '')).sort();

/**
 * Bids in time order, one every 10 to 500 ms, each moved back by up to 1.5 s (within the
 * watermark's 2 s delay, so none is late); auctions open at a random bid and close 1 to 30 s
 * after it, and take bids (distinct times per auction) until they close.
 */
const bidsArbitrary = fc.record({
    steps: fc.array(fc.record({ gap: fc.integer({ min: 10, max: 500 }), jitter: fc.integer({ min: 0, max: 1500 }), opens: fc.boolean(), pick: fc.nat(), price: fc.integer({ min: 1, max: 40 }), lasts: fc.integer({ min: 1000, max: 30_000 }) }), { minLength: 50, maxLength: 400 }),
    which: fc.constantFrom<'first' | 'last'>('first', 'last')
}).map(({ steps, which }) => {
    const auctions: { id: number; closes: number }[] = [];
    const bids: Bid[] = [];
    let now = t0 + 10_000;
    for (const step of steps) {
        now += step.gap;
        if (step.opens || auctions.length === 0) auctions.push({ id: auctions.length + 1, closes: now + step.lasts });
        const open = auctions.filter((a) => a.closes >= now);
        if (open.length === 0) continue;
        const auction = open[step.pick % open.length];
        const ts = now - step.jitter;
        if (bids.some((b) => b.auction === auction.id && b.ts === ts)) continue;
        bids.push({ auction: auction.id, price: step.price, ts, closes: auction.closes });
    }
    return { bids, which };
});

test('on generated bids, keep first|last ... until gives the evaluator\'s rows in batch and streaming mode at p=1 and p=2', { timeout: 600_000 }, () => {
    fc.assert(fc.property(bidsArbitrary, ({ bids, which }) => {
        const run = prepare(bids, which);
        const want = expected(bids, which);
        for (const mode of ['batch', 'streaming']) for (const p of ['1', '2']) {
            const result = run(['--mode', mode, '--parallelism', p]);
            assert.equal(result.status, 0, result.stderr);
            assert.deepEqual(printed(result.stdout), want, `${which}, ${mode} at p=${p}, ${bids.length} bids`);
        }
    }), { seed: 20261128, numRuns: 3 });
});

test('rows that come after their key closed are late: counted as dropped, the key\'s row emitted once', () => {
    // Auction 1 closes at t0 + 5 s; auction 2 at t0 + 20000 s. 20000 bids of auction 2, one a
    // second, move the watermark far past auction 1's closing; then one more bid of auction 1 and
    // one of auction 3, which has never been seen but closed long ago: both are late.
    const bids: Bid[] = [{ auction: 1, price: 5, ts: t0 + 1000, closes: t0 + 5000 }, { auction: 1, price: 7, ts: t0 + 2000, closes: t0 + 5000 }];
    for (let i = 0; i < 20_000; i++) bids.push({ auction: 2, price: i % 97, ts: t0 + 3000 + i * 1000, closes: t0 + 20_000_000 });
    bids.push({ auction: 1, price: 99, ts: t0 + 4000, closes: t0 + 5000 }, { auction: 3, price: 1, ts: t0 + 4500, closes: t0 + 6000 });
    const run = prepare(bids, 'first');
    const result = run(['--status', 'json']);
    assert.equal(result.status, 0, result.stderr);
    const summary = result.stderr.trim().split('\n').map((l) => JSON.parse(l) as { type: string; 'late-records-dropped'?: number }).find((m) => m.type === 'summary');
    assert.equal(summary?.['late-records-dropped'], 2);
    const rows = printed(result.stdout).map((l) => JSON.parse(l) as { auction: number; price: number });
    assert.deepEqual(rows.map((r) => [r.auction, r.price]).sort(), [[1, 7], [2, 96]]);
    // In batch mode nothing is late: every row is ranked.
    const batch = printed(run(['--mode', 'batch']).stdout).map((l) => JSON.parse(l) as { auction: number; price: number });
    assert.deepEqual(batch.map((r) => [r.auction, r.price]).sort(), [[1, 99], [2, 96], [3, 1]]);
});

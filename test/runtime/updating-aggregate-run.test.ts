/**
 * An aggregate over an updating stream (operators/updating-aggregate-operator.ts), through
 * `flowline run`: the rolling max and count per (auction, category) feed a count, sum, avg, min
 * and max per category, which must take each replaced row back out. Over generated bids, the final
 * table (the last row of each category) equals a reference computed directly from the bids, in
 * streaming mode at p=1 and p=2 and in batch mode: count, sum and avg by retraction, min and max
 * (which cannot retract) by recomputing the group from its current rows.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'flowline-updating-aggregate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Bid { auction: number; category: number; price: number; ts: number }

/** Bids on 60 auctions in 4 categories (an auction always in the same one), in time order. */
function generatedBids(count: number, seed: number): Bid[] {
    const raw = fc.sample(fc.record({ auction: fc.integer({ min: 0, max: 59 }), price: fc.integer({ min: 1, max: 1000 }) }), { numRuns: count, seed });
    return raw.map((r, i) => ({ auction: r.auction, category: r.auction % 4, price: r.price, ts: 1_700_000_000_000 + i * 1000 }));
}

const RETRACTING = '{ category, auctions: count(), total: sum(final), bids: sum(n), avgFinal: avg(final) }';
const RECOMPUTED = '{ category, auctions: count(), lowest: min(final), highest: max(final) }';

const flow = (mode: string, projection: string): string => `pipeline Averages {
    mode ${mode}
    source bids: { auction: long, category: int, price: long, ts: timestamp } = jsonl("bids.jsonl") { watermark ts - 4s }
    stream winning = bids
        | keyBy auction, category
        | aggregate { auction, category, final: max(price), n: count() }
    stream result = winning
        | keyBy category
        | aggregate ${projection}
    sink result -> print
}
`;

/** The final table of the printed rows: the last row of each category, sorted by category. */
async function finalTable(mode: string, parallelism: number, projection: string): Promise<Record<string, unknown>[]> {
    const file = path.join(dir, `averages-${mode}-${parallelism}.flow`);
    writeFileSync(file, flow(mode, projection));
    const result = await runCli(['run', file, '--parallelism', String(parallelism)]);
    assert.equal(result.code, 0, result.stderr);
    const last = new Map<unknown, Record<string, unknown>>();
    for (const line of result.stdout.trim().split('\n')) {
        const row = JSON.parse(line.replace(/^\d+> /, '')) as Record<string, unknown>;
        last.set(row.category, row);
    }
    return [...last.values()].sort((a, b) => Number(a.category) - Number(b.category));
}

/** The same table computed directly: each auction's highest price and bid count, then per category. */
function reference(bids: Bid[], fields: string[]): Record<string, unknown>[] {
    const auctions = new Map<number, { category: number; final: number; n: number }>();
    for (const b of bids) {
        const a = auctions.get(b.auction) ?? { category: b.category, final: -Infinity, n: 0 };
        a.final = Math.max(a.final, b.price);
        a.n++;
        auctions.set(b.auction, a);
    }
    const categories = new Map<number, number[][]>();
    for (const a of auctions.values()) categories.set(a.category, [...(categories.get(a.category) ?? []), [a.final, a.n]]);
    return [...categories].sort(([x], [y]) => x - y).map(([category, rows]) => {
        const finals = rows.map((r) => r[0]);
        const total = finals.reduce((s, x) => s + x, 0);
        const all: Record<string, unknown> = {
            category, auctions: rows.length, total, bids: rows.reduce((s, r) => s + r[1], 0), avgFinal: total / rows.length,
            lowest: Math.min(...finals), highest: Math.max(...finals)
        };
        return Object.fromEntries(fields.map((f) => [f, all[f]]));
    });
}

const bids = generatedBids(1500, 11);
writeFileSync(path.join(dir, 'bids.jsonl'), `${bids.map((b) => JSON.stringify({ ...b, ts: new Date(b.ts).toISOString() })).join('\n')}\n`);

test('count, sum and avg over rolling per-auction maxima retract each replaced row: streaming at p=1 and p=2 and batch give the directly computed table', async () => {
    const expected = reference(bids, ['category', 'auctions', 'total', 'bids', 'avgFinal']);
    assert.equal(expected.length, 4);
    assert.deepEqual(await finalTable('streaming', 1, RETRACTING), expected, 'streaming, p=1');
    assert.deepEqual(await finalTable('streaming', 2, RETRACTING), expected, 'streaming, p=2');
    assert.deepEqual(await finalTable('batch', 1, RETRACTING), expected, 'batch');
});

test('min and max over rolling per-auction maxima (no retraction: the group is recomputed) give the directly computed table at p=2', async () => {
    assert.deepEqual(await finalTable('streaming', 2, RECOMPUTED), reference(bids, ['category', 'auctions', 'lowest', 'highest']));
});

/**
 * The types and functions added for Nexmark give the same results in batch and streaming mode and
 * at parallelism 1, 2 and 4: test/runtime/fixtures/language-types/types.flow runs through the CLI
 * (`flowline run --mode --parallelism`) over orders generated with fast-check (fixed seed: exact
 * decimals as text, dates at month ends and leap days, nested records with null members), and
 * every sink's records are the same multiset in every run.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { localFileRecords, multiset } from '../flink-sql/sink-records.js';

const SEED = 20261128;
const ORDERS = 400;
const SINKS = ['rows', 'per-city-hour', 'per-month'];

const work = mkdtempSync(join(tmpdir(), 'flowline-language-types-'));
after(() => rmSync(work, { recursive: true, force: true }));

const START = Date.UTC(2024, 0, 30, 20);
const cents = fc.integer({ min: 1, max: 2_000_000 }).map((c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`);
const order = fc.record({
    // Minutes after START: sorted later, so event time only moves forward (no record is late in streaming mode).
    minute: fc.integer({ min: 0, max: 60 * 24 * 45 }),
    placed: fc.constantFrom('2024-01-31', '2024-02-29', '2023-02-28', '2024-03-31', '2024-12-31', '2024-02-01'),
    price: cents,
    qty: fc.integer({ min: 0, max: 12 }),
    url: fc.constantFrom('https://shop.example/items/42', 'http://a.example/x', 'https://b.example/', 'no-url', 'https://c.example/a/b/c'),
    customer: fc.record({
        name: fc.constantFrom('Ann', 'Björn', 'Zoë 😀', ''),
        address: fc.record({ city: fc.constantFrom('Berlin', 'Paris', 'Oslo'), zip: fc.option(fc.constantFrom('10115', '75001'), { freq: 3 }) })
    }),
    coupon: fc.option(fc.record({ code: fc.constantFrom('A', 'B'), rate: fc.constantFrom('0.100', '0.250', '0.005') }), { freq: 2 })
});

function generatedFolder(): string {
    const dir = mkdtempSync(join(work, 'fixture-'));
    cpSync(join(REPO_ROOT, 'test/runtime/fixtures/language-types'), dir, { recursive: true });
    mkdirSync(join(dir, 'data'));
    const orders = fc.sample(order, { seed: SEED, numRuns: ORDERS }).sort((a, b) => a.minute - b.minute);
    const lines = orders.map((o, i) => JSON.stringify({
        id: i, ts: new Date(START + o.minute * 60_000 + (i % 60) * 1000).toISOString(), placed: o.placed, price: o.price, qty: o.qty,
        url: o.url, customer: o.customer, coupon: o.coupon
    }));
    writeFileSync(join(dir, 'data', 'orders.jsonl'), `${lines.join('\n')}\n`);
    return dir;
}

async function runOnce(folder: string, mode: 'batch' | 'streaming', parallelism: number): Promise<Record<string, string[]>> {
    const dir = mkdtempSync(join(work, `${mode}-${parallelism}-`));
    cpSync(folder, dir, { recursive: true });
    const result = await runCli(['run', 'types.flow', '--mode', mode, '--parallelism', String(parallelism)], { cwd: dir });
    assert.equal(result.code, 0, `${mode} at parallelism ${parallelism}: ${result.stderr}`);
    return Object.fromEntries(SINKS.map((sink) => [sink, multiset(localFileRecords(join(dir, 'out', `${sink}.jsonl`), 'json', []))]));
}

test('decimals, dates, string and date functions, calendar intervals, nested records and computed keys give the same records in batch and streaming mode at parallelism 1, 2 and 4', { timeout: 300_000 }, async () => {
    const folder = generatedFolder();
    const reference = await runOnce(folder, 'batch', 1);
    assert.ok(reference.rows.length > ORDERS / 3, `the filter keeps a fair share of the orders (${reference.rows.length})`);
    assert.ok(reference['per-city-hour'].length > 50 && reference['per-month'].length > 20, 'the windowed aggregates have many groups');
    for (const [mode, parallelism] of [['batch', 2], ['batch', 4], ['streaming', 1], ['streaming', 2], ['streaming', 4]] as const) {
        const run = await runOnce(folder, mode, parallelism);
        for (const sink of SINKS) assert.deepEqual(run[sink], reference[sink], `${sink}: ${mode} at parallelism ${parallelism} differs from batch at parallelism 1`);
    }
});

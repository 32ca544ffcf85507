/**
 * Temporal joins (`join R as of t`) on generated histories (fast-check, fixed seed): random
 * customer versions (several per key, the log appended in time order) and random orders (some
 * out of order within the watermark delay, some for customers without any version yet, some at
 * exactly a version's time). The same .flow file runs with `flowline run` in streaming mode at
 * parallelism 1 and 4 and in batch mode, and each result must equal a plain reference (each order
 * meets the version with the latest time <= its time); then the first cases run on a real Flink
 * too (FOR SYSTEM_TIME AS OF a versioned view, at the file's parallelism 2), which must write the
 * same multisets as the local runtime.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { flinkClusterForTests } from '../support/flink-cluster.js';
import { runCli } from '../support/run-cli.js';
import { comparePipelineOnFlink } from './pipeline-parity.js';
import { localFileRecords, multiset, type SinkRecord } from './sink-records.js';

const SEED = 20261127;
const LOCAL_CASES = 12;
const FLINK_CASES = 4;
const START = Date.parse('2024-01-01T00:00:00Z');
const MINUTE = 60_000;
const CUSTOMERS = ['c1', 'c2', 'c3', 'c4'];

interface Version { id: string; country: string; since: number }
interface Order { id: string; customer: string; amount: number; ts: number }
interface Case { versions: Version[]; orders: Order[] }

/** Versions: per customer, strictly increasing times on a 5-minute grid (ties with order times happen); the log is sorted by time. */
const versionsArb = fc.array(
    fc.record({ customer: fc.constantFrom(...CUSTOMERS.slice(0, 3)), step: fc.integer({ min: 0, max: 24 }), country: fc.constantFrom('DE', 'FR', 'NL', 'PL') }),
    { minLength: 1, maxLength: 12 }
).map((raw) => {
    const seen = new Map<string, Set<number>>();
    const versions: Version[] = [];
    for (const r of raw) {
        const times = seen.get(r.customer) ?? new Set<number>();
        seen.set(r.customer, times);
        if (times.has(r.step)) continue; // one version per customer and time
        times.add(r.step);
        versions.push({ id: r.customer, country: r.country, since: START + r.step * 5 * MINUTE });
    }
    return versions.sort((a, b) => a.since - b.since);
});

/** Orders: in time order, then some swapped with a neighbour no more than 5 minutes apart (the watermark allows 10). */
const ordersArb = fc.array(
    fc.record({ customer: fc.constantFrom(...CUSTOMERS), minute: fc.integer({ min: 0, max: 150 }), amount: fc.integer({ min: 1, max: 500 }), swap: fc.boolean() }),
    { minLength: 1, maxLength: 30 }
).map((raw) => {
    const sorted = raw.map((r, i) => ({ ...r, id: `o${i + 1}` })).sort((a, b) => a.minute - b.minute);
    for (let i = 0; i + 1 < sorted.length; i++) {
        if (sorted[i].swap && sorted[i + 1].minute - sorted[i].minute <= 5) [sorted[i], sorted[i + 1]] = [sorted[i + 1], sorted[i]];
    }
    return sorted.map((r): Order => ({ id: r.id, customer: r.customer, amount: r.amount, ts: START + r.minute * MINUTE }));
});

const cases: Case[] = fc.sample(fc.record({ versions: versionsArb, orders: ordersArb }), { seed: SEED, numRuns: LOCAL_CASES });

const FLOW = `/** Orders with the customer's country at the order's time, and the revenue per country and hour after it. */
pipeline OrdersAsOf {
    mode streaming
    parallelism 2
    source orders: { id: string, customer: string, amount: double, ts: timestamp } = jsonl("data/orders.jsonl") {
        watermark ts - 10m
    }
    source customers: { id: string, country: string, since: timestamp } = jsonl("data/customers.jsonl") {
        watermark since
    }
    stream everyOrder = orders
        | left join customers as of ts on orders.customer == customers.id
        | select { id, customer, country, since }
    stream hourly = orders
        | join customers as of ts on orders.customer == customers.id
        | keyBy country
        | window tumbling 1h on ts
        | aggregate { country, hour: window.start, orders: count(), revenue: sum(amount) }
    sink everyOrder -> jsonl("out/every-order.jsonl")
    sink hourly -> jsonl("out/hourly.jsonl")
}
`;

const iso = (ms: number) => new Date(ms).toISOString();

/** The version of `customer` valid at `ts`: the one with the latest time <= ts. */
function versionAt(versions: Version[], customer: string, ts: number): Version | undefined {
    return versions.filter((v) => v.id === customer && v.since <= ts).sort((a, b) => b.since - a.since)[0];
}

function expectedEveryOrder(c: Case): SinkRecord[] {
    return c.orders.map((o) => {
        const v = versionAt(c.versions, o.customer, o.ts);
        return { id: o.id, customer: o.customer, country: v?.country ?? null, since: v ? iso(v.since) : null };
    });
}

function expectedHourly(c: Case): SinkRecord[] {
    const groups = new Map<string, { country: string; hour: number; orders: number; revenue: number }>();
    for (const o of c.orders) {
        const v = versionAt(c.versions, o.customer, o.ts);
        if (!v) continue;
        const hour = o.ts - ((o.ts - START) % (60 * MINUTE));
        const key = `${v.country}|${hour}`;
        const g = groups.get(key) ?? { country: v.country, hour, orders: 0, revenue: 0 };
        g.orders++;
        g.revenue += o.amount;
        groups.set(key, g);
    }
    return [...groups.values()].map((g) => ({ country: g.country, hour: iso(g.hour), orders: g.orders, revenue: g.revenue }));
}

function writeCase(dir: string, c: Case): void {
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'orders-as-of.flow'), FLOW);
    writeFileSync(join(dir, 'data', 'orders.jsonl'), c.orders.map((o) => JSON.stringify({ ...o, ts: iso(o.ts) })).join('\n') + '\n');
    writeFileSync(join(dir, 'data', 'customers.jsonl'), c.versions.map((v) => JSON.stringify({ ...v, since: iso(v.since) })).join('\n') + '\n');
}

describe('a temporal join gives each record the version valid at its time, on the local runtime and on Flink', () => {
    const work = mkdtempSync(join(tmpdir(), 'flowline-temporal-parity-'));
    after(() => rmSync(work, { recursive: true, force: true }));

    it(`matches a reference evaluator on ${LOCAL_CASES} generated histories, streaming at parallelism 1 and 4 and in batch mode`, async () => {
        for (const [index, c] of cases.entries()) {
            const dir = join(work, `local-${index}`);
            writeCase(dir, c);
            for (const args of [['--parallelism', '1'], ['--parallelism', '4'], ['--mode', 'batch', '--parallelism', '4']]) {
                rmSync(join(dir, 'out'), { recursive: true, force: true });
                const run = await runCli(['run', 'orders-as-of.flow', ...args], { cwd: dir });
                const at = `case ${index} (${JSON.stringify(c)}) with ${args.join(' ')}`;
                assert.equal(run.code, 0, `${at}: ${run.stderr}`);
                const every = localFileRecords(join(dir, 'out', 'every-order.jsonl'), 'json', ['id', 'customer', 'country', 'since']);
                assert.deepEqual(multiset(every), multiset(expectedEveryOrder(c)), `${at}: every order with its version`);
                const hourly = expectedHourly(c);
                const actualHourly = hourly.length === 0 ? [] : localFileRecords(join(dir, 'out', 'hourly.jsonl'), 'json', ['country', 'hour', 'orders', 'revenue']);
                assert.deepEqual(multiset(actualHourly), multiset(hourly), `${at}: revenue per country and hour`);
            }
        }
    });

    it(`writes the same records on a real Flink as on the local runtime for ${FLINK_CASES} generated histories`, { timeout: 600_000 }, async () => {
        const cluster = await flinkClusterForTests();
        // Cases with at least one hourly row, so both file sinks have records to compare.
        const chosen = cases.filter((c) => expectedHourly(c).length > 0).slice(0, FLINK_CASES);
        assert.equal(chosen.length, FLINK_CASES, 'the generator yields enough cases with joined orders');
        for (const [index, c] of chosen.entries()) {
            const dir = join(work, `flink-${index}`);
            writeCase(dir, c);
            await comparePipelineOnFlink(cluster, work, dir, 'orders-as-of.flow', 'OrdersAsOf');
        }
    });
});

/**
 * Nested records (jsonl in and out, field access at any depth), keyBy on expressions and calendar
 * intervals give the same records on Flink as on the local runtime: the pipelines of
 * test/flink/fixtures/language-types run on both (test/flink-sql/pipeline-parity.ts) over bids
 * generated with fast-check (fixed seed): nested objects with null members, month ends and leap days.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { flinkClusterForTests } from '../support/flink-cluster.js';
import { REPO_ROOT } from '../support/run-cli.js';
import { comparePipelineOnFlink } from '../flink-sql/pipeline-parity.js';

const SEED = 20261128;
const BIDS = 150;

const work = mkdtempSync(join(tmpdir(), 'flowline-flink-language-types-'));
after(() => rmSync(work, { recursive: true, force: true }));

const instant = fc.oneof(
    fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2025, 0, 1) }),
    // The last hours of month ends and of leap days.
    fc.constantFrom(Date.UTC(2024, 0, 31, 23), Date.UTC(2024, 1, 29, 12), Date.UTC(2023, 1, 28, 1), Date.UTC(2024, 11, 31, 23, 59, 59, 999))
);
const day = fc.constantFrom('2024-01-31', '2024-02-29', '2023-03-31', '2024-12-31', '2023-06-15', '2000-02-29');

const bid = fc.record({
    auction: fc.integer({ min: 1000, max: 1010 }), bidder: fc.integer({ min: 1, max: 60 }), price: fc.integer({ min: 1, max: 5000 }),
    dateTime: instant.map((ms) => new Date(ms).toISOString()),
    origin: fc.record({
        channel: fc.constantFrom('web', 'app', 'partner', 'café'), url: fc.constantFrom('https://a.example/x', 'https://b.example/y?q=1'),
        device: fc.record({ os: fc.constantFrom('android', 'ios', 'linux'), version: fc.option(fc.integer({ min: 1, max: 17 }), { freq: 4 }) })
    }),
    extra: fc.option(fc.record({ note: fc.option(fc.constantFrom('first', 'late', ''), { freq: 3 }), day }), { freq: 4 })
});

/** A copy of the fixture folder with generated bids in data/bids.jsonl. */
function fixtureWithBids(): string {
    const dir = mkdtempSync(join(work, 'fixture-'));
    cpSync(join(REPO_ROOT, 'test/flink/fixtures/language-types'), dir, { recursive: true });
    mkdirSync(join(dir, 'data'), { recursive: true });
    const lines = fc.sample(bid, { seed: SEED, numRuns: BIDS }).map((b) => JSON.stringify(b));
    writeFileSync(join(dir, 'data', 'bids.jsonl'), `${lines.join('\n')}\n`);
    return dir;
}

describe('nested records, expression keys and calendar intervals on Flink equal the local runtime', { timeout: 600_000 }, () => {
    const folder = fixtureWithBids();
    for (const pipeline of ['NestedRecords', 'ExpressionKeys', 'CalendarIntervals']) {
        it(`${pipeline}: every sink's records are the same multiset on Flink and on the local runtime`, async () => {
            const cluster = await flinkClusterForTests();
            await comparePipelineOnFlink(cluster, work, folder, 'language-types.flow', pipeline);
        });
    }
});

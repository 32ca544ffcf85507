/**
 * The Nexmark generator: the sources of a pipeline emit the same events at any parallelism as
 * `flowline nexmark generate` writes to files, and the events follow the reference generator's
 * rules (checked over generated seeds and sizes).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { NEXMARK_BASE_TIME, NEXMARK_KINDS } from '../../protocol/nexmark.js';
import { NexmarkGenerator } from '../../runtime/src/connectors/nexmark/nexmark-generator.js';
import { runCli } from '../support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'flowline-nexmark-events-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A JSON-lines file's rows, timestamps as epoch ms (the sink writes ISO-8601, the generator SQL text). */
function rowsOf(path: string): string[] {
    return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => {
        const row = JSON.parse(l) as Record<string, unknown>;
        for (const f of ['dateTime', 'expires']) if (typeof row[f] === 'string') row[f] = Date.parse(`${(row[f] as string).replace(' ', 'T').replace(/Z$/, '')}Z`);
        return JSON.stringify(row);
    }).sort();
}

test('nexmark sources at parallelism 2 emit exactly the events `flowline nexmark generate` writes, kind by kind', { timeout: 120_000 }, async () => {
    const generated = await runCli(['nexmark', 'generate', '--events', '3000', '--seed', '7', '--rate', '500', '--out', join(work, 'files')]);
    assert.equal(generated.code, 0, generated.stderr);
    assert.match(generated.stdout, /3000 events written to .*: 60 persons, 180 auctions, 2760 bids\./);
    const flow = join(work, 'all.flow');
    writeFileSync(flow, `pipeline all {
    mode streaming
    parallelism 2
${NEXMARK_KINDS.map((k) => `    source ${k} = nexmark.${k}(events: 3000, seed: 7, rate: 500) { watermark dateTime - 4s }\n    sink ${k} -> jsonl("out/${k}.jsonl")`).join('\n')}
}
`);
    const ran = await runCli(['run', flow], { cwd: work });
    assert.equal(ran.code, 0, ran.stderr);
    for (const kind of NEXMARK_KINDS) {
        assert.deepEqual(rowsOf(join(work, 'out', `${kind}.jsonl`)), rowsOf(join(work, 'files', `${kind}.jsonl`)), kind);
    }
});

test('a Nexmark source does not translate to Flink SQL: the diagnostic says how to read the generated files instead', async () => {
    const sql = await runCli(['sql', 'examples/nexmark/q2.flow']);
    assert.equal(sql.code, 1);
    assert.match(sql.stderr, /flink-nexmark-source: .*flowline nexmark generate --events N --seed S --out DIR.*jsonl\("DIR\/bid.jsonl"\)/);
});

test('events follow the reference rules: the 1:3:46 mix, ids from 1000, hot ids, prices, categories and times from the rate', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 3000 }), fc.constantFrom(1, 1000, 10_000_000), (seed, events, rate) => {
        const generator = new NexmarkGenerator({ seed, events, rate, outOfOrder: 1 });
        let persons = 0;
        let auctions = 0;
        let lastTime = -Infinity;
        for (let n = 0; n < events; n++) {
            const { kind, row } = generator.event(n);
            assert.equal(kind, n % 50 === 0 ? 'person' : n % 50 <= 3 ? 'auction' : 'bid', `event ${n}`);
            const time = row.dateTime as number;
            assert.equal(time, NEXMARK_BASE_TIME + Math.trunc(Math.trunc(n * (1_000_000 / rate)) / 1000));
            assert.ok(time >= lastTime, 'in order without outOfOrder');
            lastTime = time;
            if (kind === 'person') {
                assert.equal(row.id, 1000 + persons++);
                assert.match(row.creditCard as string, /^\d{4} \d{4} \d{4} \d{4}$/);
                assert.match(row.emailAddress as string, /^.+@.+\.com$/);
            } else if (kind === 'auction') {
                assert.equal(row.id, 1000 + auctions++);
                assert.ok((row.category as number) >= 10 && (row.category as number) <= 14);
                assert.ok((row.reserve as number) > (row.initialBid as number));
                assert.ok((row.expires as number) > time);
                assert.ok((row.seller as number) >= 1000 && (row.seller as number) < 1000 + persons + 10, 'a seller is a known person or one of the 10 leads');
            } else {
                assert.ok((row.auction as number) >= 1000 && (row.auction as number) < 1000 + auctions + 10, 'a bid is on a known auction or one of the 10 leads');
                assert.ok((row.bidder as number) >= 2000, 'bidders count from 2000, as the reference adds the first person id twice');
                assert.ok((row.price as number) >= 100 && (row.price as number) <= 100_000_000);
                assert.ok(['Google', 'Facebook', 'Baidu', 'Apple'].includes(row.channel as string) || /^channel-\d+$/.test(row.channel as string));
                assert.match(row.url as string, /^https:\/\/www\.nexmark\.com\/[a-z_]+\/[a-z_]+\/[a-z_]+\/item\.htm\?query=1/);
            }
        }
        assert.deepEqual(new NexmarkGenerator({ seed, events, rate, outOfOrder: 1 }).event(events - 1), generator.event(events - 1), 'the same seed gives the same event');
    }), { numRuns: 25, seed: 11 });
});

test('about half of the bids go to the hot auction and three quarters come from the hot bidder of their batch', () => {
    const generator = new NexmarkGenerator({ seed: 3, events: 50_000, rate: 1000, outOfOrder: 1 });
    let bids = 0;
    let hotAuction = 0;
    let hotBidder = 0;
    for (let n = 0; n < 50_000; n++) {
        const { kind, row } = generator.event(n);
        if (kind !== 'bid') continue;
        bids++;
        const lastAuction = Math.floor(n / 50) * 3 + 2;
        const lastPerson = Math.floor(n / 50);
        if (row.auction === Math.floor(lastAuction / 100) * 100 + 1000) hotAuction++;
        if (row.bidder === Math.floor(lastPerson / 100) * 100 + 1 + 2000) hotBidder++;
    }
    // P(hot) = 1 - 1/ratio (2 for auctions, 4 for bidders), plus the rare random pick of the same id.
    assert.ok(Math.abs(hotAuction / bids - 0.5) < 0.02, `hot auctions ${hotAuction / bids}`);
    assert.ok(Math.abs(hotBidder / bids - 0.75) < 0.02, `hot bidders ${hotBidder / bids}`);
});

test('with outOfOrder G the events are shuffled within groups of G: every event number once, times out of order only inside a group', () => {
    const generator = new NexmarkGenerator({ seed: 1, events: 1000, rate: 100, outOfOrder: 10 });
    const ids = Array.from({ length: 1000 }, (_, n) => generator.eventIdOf(n));
    assert.deepEqual([...ids].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, n) => n));
    assert.ok(ids.some((id, n) => id !== n), 'some events move');
    assert.ok(ids.every((id, n) => Math.floor(id / 10) === Math.floor(n / 10)), 'no event leaves its group');
});

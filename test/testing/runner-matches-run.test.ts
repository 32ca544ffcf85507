/**
 * The test runner's records equal `flowline run`'s: for generated data and pipelines (a filter,
 * a keyed aggregate, a map, an event-time window), the records a snapshot expectation writes
 * (`flowline test --update-snapshots`) are, as multisets, the records `flowline run` writes to
 * jsonl files for the same data, at parallelism 1 and 4.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TestRunReport } from '../../protocol/pipeline-tests.js';
import { randomInt, seededRandom, pick } from '../../scripts/seeded-random.js';
import { runCli } from '../support/run-cli.js';

const SEEDS = [11, 42, 2026];
const COUNTRIES = ['DE', 'FR', 'NL', 'PL', 'IT'];

interface Case { seed: number; threshold: number; modulus: number; orders: string; clicks: string }

function generate(seed: number): Case {
    const random = seededRandom(seed);
    const orders = ['id,country,amount'];
    for (let id = 1, n = randomInt(random, 20, 300); id <= n; id++) {
        orders.push(`${id},${pick(random, COUNTRIES)},${(randomInt(random, 0, 50_000) / 100).toFixed(2)}`);
    }
    const clicks = ['user,url,ts'];
    // Out of order by less than the watermark delay (5 s): no record is late, whatever the batches.
    let t = Date.UTC(2026, 0, 1, 10, 0, 0);
    for (let i = 0, n = randomInt(random, 20, 300); i < n; i++) {
        t += randomInt(random, 0, 4000);
        clicks.push(`${randomInt(random, 1, 6)},/p${randomInt(random, 1, 4)},${new Date(t - randomInt(random, 0, 4000)).toISOString()}`);
    }
    return { seed, threshold: randomInt(random, 0, 400), modulus: randomInt(random, 2, 5), orders: `${orders.join('\n')}\n`, clicks: `${clicks.join('\n')}\n` };
}

function pipelineText(c: Case, parallelism: number): string {
    return `pipeline Orders${c.seed} {
    mode batch
    parallelism ${parallelism}
    source orders: { id: int, country: string, amount: double } = csv("orders-${c.seed}.csv")
    stream big = orders
        | filter amount > ${c.threshold}
    stream perCountry = big
        | keyBy country
        | aggregate { country, total: sum(amount), n: count(), top: max(amount) }
    stream cents = orders
        | map { id, country, cents: amount * 100 }
        | filter id % ${c.modulus} != 0
    sink perCountry -> jsonl("out-${c.seed}/perCountry.jsonl")
    sink cents -> jsonl("out-${c.seed}/cents.jsonl")
}

pipeline Clicks${c.seed} {
    mode streaming
    parallelism ${parallelism}
    source clicks: { user: int, url: string, ts: timestamp } = csv("clicks-${c.seed}.csv") {
        watermark ts - 5s
    }
    stream perMinute = clicks
        | keyBy user
        | window tumbling 1m on ts
        | aggregate { user, clicks: count(), minute: window.start, last: max(ts) }
    sink perMinute -> jsonl("out-${c.seed}/perMinute.jsonl")
}
`;
}

function testText(c: Case): string {
    return `import "case-${c.seed}.flow"

test "orders ${c.seed}" for Orders${c.seed} {
    given orders = csv("orders-${c.seed}.csv")
    expect perCountry matches snapshot
    expect cents matches snapshot
}

test "clicks ${c.seed}" for Clicks${c.seed} {
    given clicks = csv("clicks-${c.seed}.csv")
    expect perMinute matches snapshot
}
`;
}

/** JSON lines as sorted canonical texts, doubles rounded to 9 significant digits (sums may add up in another order). */
function canonical(text: string): string[] {
    return text.split('\n').filter((l) => l.trim() !== '').map((line) => {
        const record = JSON.parse(line) as Record<string, unknown>;
        const keys = Object.keys(record).sort();
        return JSON.stringify(keys.map((k) => [k, typeof record[k] === 'number' ? Number((record[k] as number).toPrecision(9)) : record[k]]));
    }).sort();
}

describe('the test runner and flowline run', () => {
    for (const parallelism of [1, 4]) {
        it(`produce the same records for generated pipelines and data at parallelism ${parallelism}`, async () => {
            const dir = mkdtempSync(join(tmpdir(), `flowline-runner-vs-run-p${parallelism}-`));
            try {
                const cases = SEEDS.map(generate);
                for (const c of cases) {
                    writeFileSync(join(dir, `orders-${c.seed}.csv`), c.orders);
                    writeFileSync(join(dir, `clicks-${c.seed}.csv`), c.clicks);
                    writeFileSync(join(dir, `case-${c.seed}.flow`), pipelineText(c, parallelism));
                    writeFileSync(join(dir, `case-${c.seed}.test.flow`), testText(c));
                }
                const tested = await runCli(['test', '.', '--update-snapshots', '--reporter', 'json'], { cwd: dir });
                assert.equal(tested.code, 0, tested.stdout + tested.stderr);
                const report = JSON.parse(tested.stdout) as TestRunReport;
                assert.equal(report.passed, SEEDS.length * 2);
                for (const c of cases) {
                    const ran = await runCli(['run', `case-${c.seed}.flow`], { cwd: dir });
                    assert.equal(ran.code, 0, ran.stderr);
                    const snapshots = readdirSync(join(dir, '__snapshots__')).filter((f) => f.startsWith(`case-${c.seed}.test.flow.`));
                    for (const [stream, test] of [['perCountry', 'orders'], ['cents', 'orders'], ['perMinute', 'clicks']]) {
                        const snapshot = snapshots.find((f) => f.includes(`${test}-${c.seed}`) && f.includes(stream));
                        assert.ok(snapshot, `no snapshot of ${stream} for seed ${c.seed} among ${snapshots.join(', ')}`);
                        const expected = canonical(readFileSync(join(dir, 'out-' + c.seed, `${stream}.jsonl`), 'utf8'));
                        const actual = canonical(readFileSync(join(dir, '__snapshots__', snapshot), 'utf8'));
                        assert.ok(expected.length > 0 || stream === 'perCountry', `flowline run wrote no ${stream} records for seed ${c.seed}`);
                        assert.deepEqual(actual, expected, `${stream}, seed ${c.seed}, parallelism ${parallelism}`);
                    }
                }
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    }
});

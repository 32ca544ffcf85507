/**
 * A negated calendar interval (`-1 month`) moves the other way: `t + -N month` runs as `t - N month`,
 * `-N days + d` as `d - N days`, `t - -N years` as `t + N years`, on generated month ends and leap
 * days (through `flowline run`); alone it is still not a value, and nothing else negates one.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { runCli } from '../support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'flowline-negative-interval-'));
after(() => rmSync(work, { recursive: true, force: true }));

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

test('t + -N month, -N days + d and t - -N years give the rows of t - N month, d - N days and t + N years', async () => {
    // Any hour of four centuries (month ends and 29 February among them), moved by 1 to 40 units.
    const cases = fc.sample(fc.record({
        at: fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2300, 0, 1) }).map((ms) => ms - (ms % 3_600_000)),
        n: fc.integer({ min: 1, max: 40 })
    }), { numRuns: 40, seed: 11 });
    const rows = cases.map(({ at, n }, i) => `{ id: ${i}, n: ${n}, ts: timestamp "${new Date(at).toISOString()}", d: date "${day(at)}" }`);
    // The amounts are literals: one pipeline, each row moved by its own case arm.
    const arms = (make: (n: number) => string) => `case ${cases.map(({ n }, i) => `when id == ${i} then ${make(n)}`).join(' ')} end`;
    const flow = join(work, 'negative.flow');
    writeFileSync(flow, `pipeline Negative {
    mode batch
    source s: { id: int, n: int, ts: timestamp, d: date } = values(
        ${rows.join(',\n        ')}
    )
    stream moved = s | map {
        id,
        negated: ${arms((n) => `ts + -${n} months`)},
        subtracted: ${arms((n) => `ts - ${n} months`)},
        daysFirst: ${arms((n) => `-${n} days + d`)},
        daysSubtracted: ${arms((n) => `d - ${n} days`)},
        doubled: ${arms((n) => `ts - -(${n} years)`)},
        added: ${arms((n) => `ts + ${n} years`)}
    }
    sink moved -> print
}
`);
    const run = await runCli(['run', flow]);
    assert.equal(run.code, 0, run.stderr);
    const out = run.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, string>);
    assert.equal(out.length, cases.length);
    for (const row of out) {
        assert.equal(row.negated, row.subtracted, JSON.stringify(row));
        assert.equal(row.daysFirst, row.daysSubtracted, JSON.stringify(row));
        assert.equal(row.doubled, row.added, JSON.stringify(row));
        assert.notEqual(row.negated, null);
    }
});

test('a negated interval alone is not a value, and a negated interval on a number is an operand-type error', async () => {
    const flow = join(work, 'alone.flow');
    writeFileSync(flow, `pipeline Alone {
    mode batch
    source s: { n: long, ts: timestamp } = values({ n: 1, ts: timestamp "2026-01-31T00:00:00Z" })
    stream out = s | map { m: -1 month, k: n + -2 days }
    sink out -> print
}
`);
    const check = await runCli(['check', flow]);
    assert.notEqual(check.code, 0);
    assert.match(check.stderr + check.stdout, /interval-not-value: A calendar interval \('1 month'\) is not a value/);
    assert.match(check.stderr + check.stdout, /operand-type: A calendar interval \('-2 days'\) moves a timestamp or a date/);
    assert.doesNotMatch(check.stderr + check.stdout, /Cannot negate/);
});

/**
 * Calendar arithmetic (`ts + 1 month`, `d - 2 days`) means the same on Flink as on the local
 * runtime: generated timestamps and dates that lean on month ends, February 29 and years around
 * 1970 and 2000, each moved by every kind of interval, evaluated by the runtime's expression
 * compiler and by a real Flink (`+ INTERVAL 'n' MONTH`, batch mode, one SQL Gateway session).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkExpressions, compareOnFlink, describeDifferences, flinkBatchSessionForSuite } from './support/expression-parity.js';

const SEED = 20261128;
const ROWS = 40;

/** A day that is often the end of a month (28, 29, 30, 31) and often in a leap year or a century year. */
const year = fc.oneof(fc.constantFrom(1900, 1968, 1969, 1970, 1999, 2000, 2023, 2024, 2100), fc.integer({ min: 1901, max: 2099 }));
const month = fc.integer({ min: 1, max: 12 });
const day = fc.oneof(fc.constantFrom(1, 28, 29, 30, 31), fc.integer({ min: 1, max: 31 }));
const timeOfDay = fc.oneof(fc.constant(0), fc.constant(86_399_999), fc.integer({ min: 0, max: 86_399_999 }));

/** The real day of (y, m, d), clamped to the month's last day: an ISO date text. */
function isoDay(y: number, m: number, d: number): string {
    const last = new Date(Date.UTC(2000, m, 0)).getUTCDate() === 29 && m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : new Date(Date.UTC(2001, m, 0)).getUTCDate();
    return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

const row = fc.record({ y: year, m: month, d: day, t: timeOfDay, y2: year, m2: month, d2: day }).map((r) => {
    const ts = new Date(Date.parse(`${isoDay(r.y, r.m, r.d)}T00:00:00Z`) + r.t).toISOString();
    return `{ ts: timestamp "${ts}", d: date "${isoDay(r.y2, r.m2, r.d2)}" }`;
});

const EXPRESSIONS = [
    'ts + 1 month', 'ts - 1 month', 'ts + 2 months', 'ts - 11 months', 'ts + 13 months', 'ts + 1 year', 'ts - 1 year', 'ts + 4 years',
    'ts + 100 months', 'ts - 250 months', 'ts + 1 day', 'ts - 3 days', 'ts + 2 weeks', 'ts + 400 days', 'ts + 1 month + 1 day',
    'ts - 1 month - 1 day', '1 month + ts', 'd + 1 month', 'd - 1 month', 'd + 1 year', 'd - 4 years', 'd + 12 months', 'd + 1 day',
    'd - 1 day', 'd + 2 weeks', 'd - 365 days', 'd + 1000 days', 'd + 1 month - 1 day', '3 months + d', 'cast(ts as date) + 1 month',
    'date_trunc("month", ts) + 1 month', 'date_trunc("month", ts) + 1 month - 1d',
    // Negated intervals move the other way.
    'ts + -1 month', 'ts - -13 months', '-2 days + d', 'd + -(1 year)', '-1 month + ts'
];

describe('calendar intervals on Flink equal the local runtime', { timeout: 300_000 }, () => {
    const session = flinkBatchSessionForSuite();

    it('timestamps and dates at month ends and in leap years moved by months, years, weeks and days give the same value on every row', async () => {
        const rows = fc.sample(row, { seed: SEED, numRuns: ROWS });
        const checked = await checkExpressions('ts: timestamp, d: date', rows, EXPRESSIONS);
        assert.deepEqual(checked.rejected, [], 'every expression is well-typed');
        const report = await compareOnFlink(session(), checked);
        assert.deepEqual(report.unsupported, [], 'every calendar expression translates');
        assert.deepEqual(report.localErrors, []);
        assert.equal(report.differences.length, 0, describeDifferences(report));
        assert.equal(report.compared, EXPRESSIONS.length);
    });
});

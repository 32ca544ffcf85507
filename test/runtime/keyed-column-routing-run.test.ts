/**
 * A column batch feeding a keyBy is routed by key group from its key columns into per-channel
 * column batches (exchange/column-buffer.ts), encoded from the columns for another thread and
 * decoded lazily as columns (batch-codec.ts); no rows are built on the sending side. Checked
 * against the row path: random keyed pipelines over generated keys (int, long near 2^53, string
 * and double with nulls, -0 and NaN, composite keys, decimals made by a map) give at parallelism
 * 1, 2 and 4 with fusion on (columns) the records of parallelism 1 with fusion off
 * (FLOWLINE_NO_FUSION's row path), with the combiner off so records, not partials, cross.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { InProcessRunner } from './differential/in-process-runner.js';
import { exactCanonical } from './differential/result-comparison.js';

const FIELDS = `        i: int = random(0, 40)
        l: long = sequence(9007199254740000)
        s: string? = oneOf("a", "b-c", null, "", "ü")
        d: double? = oneOf(1.5, -0.0, null, sqrt(-1.0), 2.5)
        v: long = random(-5000, 5000)`;

/** Keys (with what goes before the keyBy: nothing keeps the source's column batches). */
const KEYS: { before: string; keys: string; out: string }[] = [
    { before: '', keys: 'i', out: 'i' },
    { before: '', keys: 'l', out: 'l' },
    { before: '', keys: 's', out: 's' },
    { before: '', keys: 'd', out: 'd' },
    { before: '', keys: 'i, s', out: 'i, s' },
    { before: '', keys: 's, d', out: 's, d' },
    // Computed keys: routed as rows.
    { before: '', keys: 'i % 7', out: 'n' },
    // Decimal keys come from a map (rows to the exchange, columns from the decoder).
    { before: '| map { i, l, s, d, v, m: cast(i % 5 as decimal(10, 2)) / 4 }', keys: 'm', out: 'm' }
];

function flow(count: number, seed: number, key: (typeof KEYS)[number]): string {
    return `pipeline Routed {
    mode batch
    parallelism 1
    source rows = datagen(count: ${count}, seed: ${seed}) {
${FIELDS}
    }
    stream out = rows
        ${key.before}
        | keyBy ${key.keys}
        | aggregate { ${key.out === 'n' ? 'n: count()' : `${key.out}, n: count()`}, total: sum(v), lo: min(v), hi: max(l) }
    sink out -> collect
}
`;
}

let runner: InProcessRunner;
let saved: string | undefined;
before(async () => {
    saved = process.env.FLOWLINE_COMBINER;
    process.env.FLOWLINE_COMBINER = 'off';
    runner = await InProcessRunner.start();
});
after(async () => {
    await runner.stop();
    if (saved === undefined) delete process.env.FLOWLINE_COMBINER;
    else process.env.FLOWLINE_COMBINER = saved;
});

test('keyed pipelines over generated column batches give at p=1, 2 and 4 the records of the row path at p=1 (int, long, string, double, null, composite and decimal keys; 16 cases, seed 4)', { timeout: 600_000 }, async () => {
    const cases = fc.record({
        count: fc.integer({ min: 1, max: 7000 }),
        seed: fc.integer({ min: 0, max: 1000 }),
        key: fc.constantFrom(...KEYS)
    });
    await fc.assert(fc.asyncProperty(cases, async ({ count, seed, key }) => {
        const text = flow(count, seed, key);
        const translations = [1, 2, 4].map((parallelism) => ({ mode: 'batch' as const, parallelism }));
        const graphs = await runner.translate(text, translations);
        assert.ok(typeof graphs !== 'string', `${graphs as string}\n${text}`);
        const reference = await runner.run(graphs[0], false);
        assert.ok(reference.ok, `${JSON.stringify(reference).slice(0, 500)}\n${text}`);
        assert.ok(reference.rows.length > 0);
        const expected = reference.rows.map(exactCanonical).sort();
        for (const [i, { parallelism }] of translations.entries()) {
            const columns = await runner.run(graphs[i], true);
            assert.ok(columns.ok, `parallelism ${parallelism}: ${JSON.stringify(columns).slice(0, 500)}\n${text}`);
            assert.deepEqual(columns.rows.map(exactCanonical).sort(), expected, `parallelism ${parallelism}\n${text}`);
        }
    }), { numRuns: 16, seed: 4 });
});

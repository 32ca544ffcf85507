/**
 * A keyBy into an aggregate without a window sends across threads only the fields the aggregate
 * names (exchange/shipped-fields.ts): the wide string fields it never reads stay behind. Checked
 * against the whole-record path: generated keyed pipelines (plain and computed keys, a key made of
 * a timestamp, no key at all, a nullable string key with unicode, records
 * with fields no aggregate reads), in batch mode and streaming (the rolling aggregate: its last
 * update per key), give at parallelism 2 and 4 on two TaskManagers the records of parallelism 1.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { InProcessRunner } from './differential/in-process-runner.js';
import { exactCanonical } from './differential/result-comparison.js';

const FIELDS = `        id: long = sequence(1)
        k: int = random(0, 25)
        v: long = random(-1000, 1000)
        name: string? = oneOf("a", "ü-名", null, "🙂 b", "")
        wide: string = oneOf("${'w'.repeat(300)}", "${'ß'.repeat(200)}", "short")
        note: string? = oneOf(null, "n", "${'日'.repeat(50)}")
        ts: timestamp = timestamp "2026-03-02T09:00:00Z" + 7h * sequence(0)`;

/** What goes into the aggregate, and which field of its output says which group a record is. */
const AGGREGATES: { keys: string; items: string; group: string[] }[] = [
    { keys: 'k', items: 'k, n: count(), total: sum(v), lo: min(v)', group: ['k'] },
    { keys: 'k % 5 as bucket', items: 'bucket, n: count(), hi: max(v)', group: ['bucket'] },
    { keys: 'k, date_format(ts, "yyyy-MM-dd") as day', items: 'k, day, n: count(), total: sum(v)', group: ['k', 'day'] },
    { keys: 'name', items: 'name, n: count(), lo: min(v), hi: max(id)', group: ['name'] },
    // No key: one aggregate subtask, fed from every source subtask; count() alone reads no field.
    { keys: '', items: 'n: count()', group: [] },
    { keys: '', items: 'n: count(), total: sum(v), last: max(ts)', group: [] }
];

function flow(mode: 'batch' | 'streaming', count: number, seed: number, agg: (typeof AGGREGATES)[number]): string {
    return `pipeline Shipped {
    mode ${mode}
    parallelism 1
    source rows = datagen(count: ${count}, seed: ${seed}) {
${FIELDS}
    }
    stream out = rows
        ${agg.keys ? `| keyBy ${agg.keys}` : ''}
        | aggregate { ${agg.items} }
    sink out -> collect
}
`;
}

/** The last record of each group (a rolling aggregate's final state; the only one in batch mode). */
function lastPerGroup(rows: Record<string, unknown>[], group: string[]): string[] {
    const last = new Map<string, Record<string, unknown>>();
    for (const row of rows) last.set(JSON.stringify(group.map((g) => row[g] ?? null)), row);
    return [...last.values()].map(exactCanonical).sort();
}

let runner: InProcessRunner;
before(async () => {
    runner = await InProcessRunner.start();
});
after(async () => {
    await runner.stop();
});

test('aggregates fed across threads with only the fields they name give at p=2 and p=4 the results of p=1 (batch and streaming, 20 generated cases, seed 11)', { timeout: 600_000 }, async () => {
    const cases = fc.record({
        mode: fc.constantFrom<'batch' | 'streaming'>('batch', 'streaming'),
        count: fc.integer({ min: 1, max: 6000 }),
        seed: fc.integer({ min: 0, max: 1000 }),
        agg: fc.constantFrom(...AGGREGATES)
    });
    await fc.assert(fc.asyncProperty(cases, async ({ mode, count, seed, agg }) => {
        const text = flow(mode, count, seed, agg);
        const translations = [1, 2, 4].map((parallelism) => ({ mode, parallelism }));
        const graphs = await runner.translate(text, translations);
        assert.ok(typeof graphs !== 'string', `${graphs as string}\n${text}`);
        // The reference: one subtask, operators one at a time, nothing crosses a thread.
        const reference = await runner.run(graphs[0], false);
        assert.ok(reference.ok, `${JSON.stringify(reference).slice(0, 500)}\n${text}`);
        assert.ok(reference.rows.length > 0);
        const expected = lastPerGroup(reference.rows, agg.group);
        for (const [i, { parallelism }] of translations.entries()) {
            for (const fusion of [true, false]) {
                const result = await runner.run(graphs[i], fusion);
                assert.ok(result.ok, `parallelism ${parallelism}: ${JSON.stringify(result).slice(0, 500)}\n${text}`);
                assert.deepEqual(lastPerGroup(result.rows, agg.group), expected, `parallelism ${parallelism}, fusion ${fusion}\n${text}`);
                if (mode === 'batch') assert.equal(result.rows.length, expected.length);
            }
        }
    }), { numRuns: 20, seed: 11 });
});

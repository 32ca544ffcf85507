/**
 * A rolling aggregate outputs its key parts from the values its state key was computed of, once
 * per record (operators/aggregate-operator.ts), where a batch aggregate evaluates them on the
 * group's first record. Checked one against the other: generated keyed aggregates whose outputs
 * repeat their keys (plain and computed, a date_format of a timestamp as in Nexmark q17, nullable
 * unicode strings, booleans, timestamps, and a double key, which is left to the first record), in
 * streaming mode (each group's last update) give the rows of batch mode, at parallelism 1 and 2.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { InProcessRunner } from './differential/in-process-runner.js';
import { exactCanonical, lastPerGroup } from './differential/result-comparison.js';

const FIELDS = `        id: long = sequence(1)
        k: int = random(0, 25)
        v: long = random(-1000, 1000)
        name: string? = oneOf("a", "ü-名", null, "🙂 b", "", "a\\u0000b")
        ts: timestamp = timestamp "2026-03-02T22:00:00Z" + 37m * sequence(0)`;

/** Keys and outputs; `group` names the output fields that say which group a record is. */
const AGGREGATES: { keys: string; items: string; group: string[] }[] = [
    { keys: 'k, date_format(ts, "yyyy-MM-dd") as day', items: 'k, day, n: count(), hi: max(v)', group: ['k', 'day'] },
    { keys: 'date_format(ts, "yyyy-MM-dd HH") as hour, name', items: 'name, hour, total: sum(v)', group: ['hour', 'name'] },
    { keys: 'name', items: 'n: count(), name, lo: min(id)', group: ['name'] },
    { keys: 'k % 4 == 0 as even, ts', items: 'even, ts, n: count()', group: ['even', 'ts'] },
    { keys: 'cast(k as double) / 2 as half', items: 'half, n: count(), total: sum(v)', group: ['half'] },
    { keys: 'k', items: 'k, twice: k * 2, n: count()', group: ['k'] }
];

function flow(mode: 'batch' | 'streaming', count: number, seed: number, agg: (typeof AGGREGATES)[number]): string {
    return `pipeline KeyOutputs {
    mode ${mode}
    parallelism 1
    source rows = datagen(count: ${count}, seed: ${seed}) {
${FIELDS}
    }
    stream out = rows
        | keyBy ${agg.keys}
        | aggregate { ${agg.items} }
    sink out -> collect
}
`;
}

let runner: InProcessRunner;
before(async () => {
    runner = await InProcessRunner.start();
});
after(async () => {
    await runner.stop();
});

test('rolling aggregates output the key parts batch aggregates output (16 generated cases, seed 3)', { timeout: 600_000 }, async () => {
    const cases = fc.record({
        count: fc.integer({ min: 1, max: 4000 }),
        seed: fc.integer({ min: 0, max: 1000 }),
        agg: fc.constantFrom(...AGGREGATES)
    });
    await fc.assert(fc.asyncProperty(cases, async ({ count, seed, agg }) => {
        const batchText = flow('batch', count, seed, agg);
        const batch = await runner.translate(batchText, [{ mode: 'batch', parallelism: 1 }]);
        assert.ok(typeof batch !== 'string', `${batch as string}\n${batchText}`);
        const reference = await runner.run(batch[0], false);
        assert.ok(reference.ok, `${JSON.stringify(reference).slice(0, 500)}\n${batchText}`);
        const expected = reference.rows.map(exactCanonical).sort();
        const text = flow('streaming', count, seed, agg);
        const graphs = await runner.translate(text, [1, 2].map((parallelism) => ({ mode: 'streaming' as const, parallelism })));
        assert.ok(typeof graphs !== 'string', `${graphs as string}\n${text}`);
        for (const [i, graph] of graphs.entries()) {
            for (const fusion of [true, false]) {
                const result = await runner.run(graph, fusion);
                assert.ok(result.ok, `parallelism ${i + 1}: ${JSON.stringify(result).slice(0, 500)}\n${text}`);
                assert.deepEqual(lastPerGroup(result.rows, agg.group), expected, `parallelism ${i + 1}, fusion ${fusion}\n${text}`);
            }
        }
    }), { numRuns: 16, seed: 3 });
});

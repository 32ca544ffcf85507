/**
 * An exchange sends across threads only the fields the receiving node names
 * (exchange/shipped-fields.ts): the wide string fields it never reads stay behind. Checked against
 * the whole-record path, at parallelism 2 and 4 on two TaskManagers against parallelism 1, in
 * batch mode and streaming:
 * - a keyBy into an aggregate without a window: generated keyed pipelines (plain and computed
 *   keys, a key made of a timestamp, no key at all, a nullable string key with unicode), the
 *   rolling aggregate's last update per key;
 * - a keyBy into a time window, and a projection after a rebalance: tumbling, sliding and session
 *   windows on plain, computed and nullable unicode string keys, combined before the exchange or
 *   not; every case is first shown to prune a field, so the comparison is never between two
 *   whole-record runs.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { fieldsReadBy } from '../../runtime/src/exchange/shipped-fields.js';
import { InProcessRunner } from './differential/in-process-runner.js';
import { exactCanonical, lastPerGroup } from './differential/result-comparison.js';

/** The records, `step` apart in time. */
const fields = (step: string): string => `        id: long = sequence(1)
        k: int = random(0, 25)
        v: long = random(-1000, 1000)
        name: string? = oneOf("a", "ü-名", null, "🙂 b", "")
        wide: string = oneOf("${'w'.repeat(300)}", "${'ß'.repeat(200)}", "short")
        note: string? = oneOf(null, "n", "${'日'.repeat(50)}")
        ts: timestamp = timestamp "2026-03-02T09:00:00Z" + ${step} * sequence(0)
        watermark ts`;

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
${fields('7h')}
    }
    stream out = rows
        ${agg.keys ? `| keyBy ${agg.keys}` : ''}
        | aggregate { ${agg.items} }
    sink out -> collect
}
`;
}

/** What follows the source: an exchange into the node whose fields are pruned (and what follows it). */
const STAGES: string[] = [
    '| keyBy k | window tumbling 10s on ts | aggregate { k, n: count(), total: sum(v), start: window.start }',
    '| keyBy k % 5 as bucket | window sliding 20s every 5s on ts | aggregate { bucket, hi: max(v), lo: min(id), end: window.end }',
    '| keyBy name | window session gap 3s on ts | aggregate { name, n: count(), last: max(ts), start: window.start, end: window.end }',
    // Not combined before the exchange (a session window, a distinct count, a sum of doubles):
    // the records themselves cross, and the window reads its time field from them alone.
    '| keyBy k % 3 as bucket | window session gap 2s on ts | aggregate { bucket, n: count(), end: window.end }',
    '| keyBy k | window tumbling 10s on ts | aggregate { k, kinds: count(distinct v), start: window.start }',
    '| keyBy name | window sliding 20s every 10s on ts | aggregate { name, quarter: sum(cast(v as double) / 4) }',
    '| keyBy k, date_format(ts, "HH") as hour | window tumbling 1m on ts | aggregate { k, hour, n: count() }',
    '| rebalance | map { id, twice: v * 2, name }',
    '| rebalance | map { id, label: concat(coalesce(name, "-"), "/", cast(k as string)), ts } | filter id % 3 != 0',
    '| rebalance | map { id, k, v, ts } | keyBy k | window tumbling 30s on ts | aggregate { k, n: count(), s: sum(v) }'
];

function windowFlow(mode: 'batch' | 'streaming', count: number, seed: number, stage: string): string {
    return `pipeline ShippedWindows {
    mode ${mode}
    parallelism 1
    source rows = datagen(count: ${count}, seed: ${seed}) {
${fields('700ms')}
    }
    stream out = rows
        ${stage}
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

test('windows and projections fed across threads with only the fields they name give at p=2 and p=4 the records of p=1 (batch and streaming, 30 generated cases, seed 5)', { timeout: 900_000 }, async () => {
    const cases = fc.record({
        mode: fc.constantFrom<'batch' | 'streaming'>('batch', 'streaming'),
        count: fc.integer({ min: 1, max: 5000 }),
        seed: fc.integer({ min: 0, max: 1000 }),
        stage: fc.constantFrom(...STAGES)
    });
    await fc.assert(fc.asyncProperty(cases, async ({ mode, count, seed, stage }) => {
        const text = windowFlow(mode, count, seed, stage);
        const translations = [1, 2, 4].map((parallelism) => ({ mode, parallelism }));
        const graphs = await runner.translate(text, translations);
        assert.ok(typeof graphs !== 'string', `${graphs as string}\n${text}`);
        // The edge out of the source leaves the wide fields behind.
        const first = graphs[1].edges.find((e) => e.source === graphs[1].nodes[0].id)!;
        const head = graphs[1].nodes.find((n) => n.id === first.target);
        const lateRead = graphs[1].edges.some((e) => e.source === head?.id && e.sideOutput === 'late');
        const shipped = fieldsReadBy(head, graphs[1].nodes[0].schema.map((f) => f.name), lateRead);
        assert.ok(shipped !== null && !shipped.includes('wide'), `nothing pruned: ${JSON.stringify(shipped)}\n${text}`);
        // The reference: one subtask, operators one at a time, nothing crosses a thread.
        const reference = await runner.run(graphs[0], false);
        assert.ok(reference.ok, `${JSON.stringify(reference).slice(0, 500)}\n${text}`);
        const expected = reference.rows.map(exactCanonical).sort();
        for (const [i, { parallelism }] of translations.entries()) {
            for (const fusion of [true, false]) {
                const result = await runner.run(graphs[i], fusion);
                assert.ok(result.ok, `parallelism ${parallelism}: ${JSON.stringify(result).slice(0, 500)}\n${text}`);
                assert.deepEqual(result.rows.map(exactCanonical).sort(), expected, `parallelism ${parallelism}, fusion ${fusion}\n${text}`);
            }
        }
    }), { numRuns: 30, seed: 5 });
});

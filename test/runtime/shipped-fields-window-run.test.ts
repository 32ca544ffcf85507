/**
 * An exchange into a time-window aggregate or a projection sends across threads only the fields
 * that node names (exchange/shipped-fields.ts): the window's time field, its keys and outputs, or
 * the projection's expressions. Checked against the whole-record path: generated pipelines
 * (tumbling, sliding and session windows on plain, computed and nullable unicode string keys,
 * combined before the exchange or not; maps after a rebalance), with wide string fields no node reads, in batch and streaming mode, give at
 * parallelism 2 and 4 on two TaskManagers the records of parallelism 1. Each case is first shown
 * to prune a field, so the comparison is never between two whole-record runs.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { fieldsReadBy } from '../../runtime/src/exchange/shipped-fields.js';
import { InProcessRunner } from './differential/in-process-runner.js';
import { exactCanonical } from './differential/result-comparison.js';

const FIELDS = `        id: long = sequence(1)
        k: int = random(0, 25)
        v: long = random(-1000, 1000)
        name: string? = oneOf("a", "ü-名", null, "🙂 b", "")
        wide: string = oneOf("${'w'.repeat(300)}", "${'ß'.repeat(200)}", "short")
        note: string? = oneOf(null, "n", "${'日'.repeat(50)}")
        ts: timestamp = timestamp "2026-03-02T09:00:00Z" + 700ms * sequence(0)
        watermark ts`;

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

function flow(mode: 'batch' | 'streaming', count: number, seed: number, stage: string): string {
    return `pipeline ShippedWindows {
    mode ${mode}
    parallelism 1
    source rows = datagen(count: ${count}, seed: ${seed}) {
${FIELDS}
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

test('windows and projections fed across threads with only the fields they name give at p=2 and p=4 the records of p=1 (batch and streaming, 30 generated cases, seed 5)', { timeout: 900_000 }, async () => {
    const cases = fc.record({
        mode: fc.constantFrom<'batch' | 'streaming'>('batch', 'streaming'),
        count: fc.integer({ min: 1, max: 5000 }),
        seed: fc.integer({ min: 0, max: 1000 }),
        stage: fc.constantFrom(...STAGES)
    });
    await fc.assert(fc.asyncProperty(cases, async ({ mode, count, seed, stage }) => {
        const text = flow(mode, count, seed, stage);
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

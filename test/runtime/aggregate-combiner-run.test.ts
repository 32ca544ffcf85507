/**
 * The combiner before a keyBy (operators/aggregate-combiner.ts), through `flowline run`: a keyed
 * batch aggregation gives the same records at parallelism 1, 2 and 4 with the combiner as with
 * FLOWLINE_COMBINER=off, over generated input with nulls, unicode keys and more records than a
 * batch; at p=1 even first/last agree; and a keyBy over more distinct keys than a combiner holds
 * (partials first, then plain records once combining stops paying) loses and doubles nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'flowline-combiner-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const KEYS = ['a', 'b', 'é', 'ß', '日本', '🙂', '', 'A b', 'a\u0000b', 'x"y'];

/** Records with a unicode string key, an int key, nullable ints, doubles and booleans. */
const recordArbitrary = fc.record({
    g: fc.constantFrom(...KEYS),
    k: fc.integer({ min: 0, max: 40 }),
    n: fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null }),
    x: fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
    b: fc.option(fc.boolean(), { nil: null })
});

function writeData(name: string, count: number, seed: number): string {
    const rows = fc.sample(recordArbitrary, { numRuns: count, seed });
    const file = path.join(dir, name);
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    return name;
}

const pipelineText = (data: string, aggregate: string): string => `pipeline Combined {
    mode batch
    source rows: { g: string, k: int, n: int?, x: double, b: boolean? } = jsonl("${data}")
    stream out = rows
        | rebalance
        | filter k >= 0
        | keyBy g, k
        | aggregate ${aggregate}
    sink out -> print
}
`;

// The rebalance spreads the file's records over every subtask, so each key's partials come from
// several senders and the aggregate merges them.

/** Runs `flow` at parallelism `p`; returns the printed records without subtask prefixes, sorted. */
async function run(flow: string, p: number, combiner: boolean): Promise<string[]> {
    const file = path.join(dir, `combined-${Math.random().toString(36).slice(2)}.flow`);
    writeFileSync(file, flow);
    const result = await runCli(['run', file, '--parallelism', String(p), '--taskmanagers', '2', '--slots', '2'], {
        env: combiner ? { FLOWLINE_COMBINER: '' } : { FLOWLINE_COMBINER: 'off' }
    });
    assert.equal(result.code, 0, result.stderr);
    return result.stdout.trim().split('\n').map((l) => l.replace(/^\d+> /, '')).sort();
}

test('a keyed batch aggregation gives the same records at p=1, 2 and 4 with the combiner as without it (nulls, unicode keys, several batches)', async () => {
    const data = writeData('mixed.jsonl', 5000, 41);
    // Order-free aggregates only: at p > 1 first/last depend on which subtask's records come first.
    const flow = pipelineText(data, '{ g, k, c: count(), cn: count(n), s: sum(n), a: avg(n), lo: min(n), hi: max(n), xlo: min(x), xhi: max(x), bmax: max(b), glen: length(g) }');
    const reference = await run(flow, 1, false);
    assert.ok(reference.length > 100, `expected many groups, got ${reference.length}`);
    for (const p of [1, 2, 4]) assert.deepEqual(await run(flow, p, true), reference, `p=${p} with the combiner`);
});

test('at parallelism 1 first() and last() give the values of the run without the combiner (accumulators merge in arrival order)', async () => {
    const data = writeData('ordered.jsonl', 3000, 7);
    const flow = pipelineText(data, '{ g, k, firstN: first(n), lastN: last(n), firstX: first(x), lastX: last(x), firstB: first(b), lastB: last(b), c: count() }');
    assert.deepEqual(await run(flow, 1, true), await run(flow, 1, false));
});

test('a keyBy over more keys than a combiner holds loses and doubles nothing at p=2 (partials, then plain records)', async () => {
    const flow = `pipeline ManyKeys {
    mode batch
    source rows = datagen(count: 60000, seed: 9) {
        id: long = sequence(0)
        v: long = random(0, 9)
    }
    stream out = rows
        | map { key: id % 40000, v }
        | keyBy key
        | aggregate { key, c: count(), s: sum(v) }
        | parallelism 2
    stream total = out
        | aggregate { groups: count(), records: sum(c), s: sum(s) }
        | parallelism 1
    sink total -> print
}
`;
    const [withCombiner] = await run(flow, 2, true);
    const [without] = await run(flow, 2, false);
    assert.deepEqual(JSON.parse(withCombiner), JSON.parse(without));
    assert.equal((JSON.parse(withCombiner) as { groups: number }).groups, 40000);
    assert.equal((JSON.parse(withCombiner) as { records: number }).records, 60000);
});

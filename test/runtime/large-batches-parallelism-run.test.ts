/**
 * Large source batches (datagen, 16,384 records) cut by the exchange's record credit give the same
 * results at parallelism 1, 2 and 4, and the same as a reference computed here: generated cases
 * of a keyed sum through `flowline run`, with the combiner (partial aggregates cross the exchange)
 * and without it (column batches cross it, cut where the credit ends), over sizes that are not
 * multiples of any batch.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'flowline-large-batches-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const flow = (p: number, count: number, keys: number, mod: number): string => `pipeline LargeBatches {
    mode batch
    parallelism ${p}
    source events = datagen(count: ${count}) {
        n: long = sequence(0)
    }
    stream sums = events
        | map { k: n % ${keys}, v: n % ${mod} }
        | keyBy k
        | aggregate { k, s: sum(v), c: count() }
    sink sums -> print
}
`;

/** Printed records, without the subtask prefix, sorted. */
function results(stdout: string): string[] {
    return stdout.trim().split('\n').filter((l) => l !== '').map((l) => l.replace(/^\d+> /, '')).sort();
}

function reference(count: number, keys: number, mod: number): string[] {
    const s = new Map<number, { s: number; c: number }>();
    for (let n = 0; n < count; n++) {
        const k = n % keys;
        const acc = s.get(k) ?? { s: 0, c: 0 };
        acc.s += n % mod;
        acc.c++;
        s.set(k, acc);
    }
    return [...s].map(([k, { s: sum, c }]) => JSON.stringify({ k, s: sum, c })).sort();
}

test('a keyed sum over large source batches gives the reference result at parallelism 1, 2 and 4, with and without the combiner', async () => {
    await fc.assert(fc.asyncProperty(
        fc.integer({ min: 40000, max: 160000 }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 2, max: 1000 }),
        async (count, keys, mod) => {
            const expected = reference(count, keys, mod);
            for (const combiner of ['on', 'off']) {
                for (const p of [1, 2, 4]) {
                    const file = path.join(dir, `p${p}.flow`);
                    writeFileSync(file, flow(p, count, keys, mod));
                    const run = await runCli(['run', file], { env: { ...process.env, FLOWLINE_COMBINER: combiner } });
                    assert.equal(run.code, 0, run.stderr);
                    assert.deepEqual(results(run.stdout), expected, `count ${count}, ${keys} keys, v = n % ${mod}, p=${p}, combiner ${combiner}`);
                }
            }
        }), { numRuns: 3 });
});

/**
 * datagen fills columns and fused loops, aggregates and the combiner read them (column-batch.ts).
 * Checked two ways: the records of a seeded datagen equal the golden output of the datagen that
 * built one object per record (through `flowline run`, at parallelism 1 and 2); and random
 * pipelines over random generated fields (nulls, strings, integers near 2^53, -0, NaN) give the
 * same records with fusion on (columns) as with fusion off (FLOWLINE_NO_FUSION: rows end to end),
 * at parallelism 1 and 2, in batch and streaming mode. A datagen of sequence fields only (no generator
 * call per record) gives record i each field's start plus i at parallelism 1, 2 and 4.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { runCli } from '../support/run-cli.js';
import { FIXTURES } from './cluster-harness.js';
import { InProcessRunner } from './differential/in-process-runner.js';
import { exactCanonical } from './differential/result-comparison.js';

const FLOW = path.join(FIXTURES, 'datagen-columns', 'generated-fields.flow');
const GOLDEN = readFileSync(path.join(FIXTURES, 'datagen-columns', 'generated-fields.expected.jsonl'), 'utf8').trim().split('\n');

for (const parallelism of [1, 2]) {
    test(`a seeded datagen's records at parallelism ${parallelism} are those the row-per-record datagen made`, async () => {
        const result = await runCli(['run', FLOW, '--parallelism', String(parallelism)]);
        assert.equal(result.code, 0, result.stderr);
        const lines = result.stdout.trim().split('\n').map((l) => l.replace(/^\d+> /, '')).sort();
        assert.deepEqual(lines, GOLDEN);
    });
}

const SEQUENCE_ONLY = (count: number, parallelism: number): string => `pipeline SequenceOnly {
    mode batch
    parallelism ${parallelism}
    source rows = datagen(count: ${count}) {
        a: long = sequence()
        b: long = sequence(-7)
        c: long = sequence(9007199254740000)
        d: long = sequence(2) * 3 - sequence(1)
        e: double = sequence(0.5)
    }
    stream out = rows
    sink out -> print
}
`;

// No field draws random numbers, so datagen's filler adds record i's index inline (no generator call).
for (const parallelism of [1, 2, 4]) {
    test(`a datagen of sequence fields only gives record i its start plus i at parallelism ${parallelism}`, async () => {
        // Several batches of 4096 records per subtask at every parallelism.
        const count = 40000;
        const dir = mkdtempSync(path.join(tmpdir(), 'flowline-sequence-'));
        try {
            const file = path.join(dir, 'sequence.flow');
            writeFileSync(file, SEQUENCE_ONLY(count, parallelism));
            const result = await runCli(['run', file]);
            assert.equal(result.code, 0, result.stderr);
            const records = result.stdout.trim().split('\n').map((l) => JSON.parse(l.replace(/^\d+> /, '')) as Record<string, number>);
            records.sort((x, y) => x.a - y.a);
            const expected = Array.from({ length: count }, (_, i) => ({ a: 1 + i, b: -7 + i, c: 9007199254740000 + i, d: (2 + i) * 3 - (1 + i), e: 0.5 + i }));
            assert.deepEqual(records, expected);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
}

const FIELDS = `        k: int = random(0, 40)
        v: long = random(-5000, 5000)
        big: long = sequence(9007199254740000)
        s: string? = oneOf("a", "b-c", null, "", "ü")
        d: double? = oneOf(1.5, -0.0, null, sqrt(-1.0), 2.5)
        x: double = random(0.0, 1.0)`;

/** Stateless stages that keep every field, so any can follow any other. */
const STAGES = [
    'filter k % 3 != 0',
    'filter coalesce(s, "") != "a"',
    'filter d > 1.0 or x < 0.3',
    'map { k, v: v * 2 + k, big: big + 1, s: concat(s, "!"), d, x }',
    'map { k: k + 1, v, big, s, d: d * 2.0, x: x - 0.5 }',
    'select { k, v, big, s: upper(s), d, x }',
    'flatMap split(coalesce(s, "x-y"), "-") as s'
];

/** What ends the pipeline; `streaming` when its result does not depend on arrival order across subtasks. */
const TERMINALS: { text: string; streaming: boolean }[] = [
    { text: '', streaming: true },
    { text: '| aggregate { n: count(), total: sum(v), top: max(big), nd: count(d), lo: min(x) }', streaming: false },
    { text: '| keyBy k\n        | aggregate { k, n: count(), total: sum(v), top: max(big), nd: count(d), hi: max(s) }', streaming: false },
    { text: '| keyBy s\n        | aggregate { s, n: count(), total: sum(v), m: avg(k) }', streaming: false },
    // Keys -0, NaN and null next to whole and fractional numbers (the combiner's array-indexed keys).
    { text: '| keyBy d\n        | aggregate { d, n: count(), total: sum(v) }', streaming: false }
];

function flow(mode: 'batch' | 'streaming', count: number, seed: number, stages: string[], terminal: string): string {
    return `pipeline Columns {
    mode ${mode}
    parallelism 1
    source rows = datagen(count: ${count}, seed: ${seed}) {
${FIELDS}
    }
    stream out = rows
        ${stages.map((s) => `| ${s}`).join('\n        ')}
        ${terminal}
    sink out -> collect
}
`;
}

let runner: InProcessRunner;
before(async () => { runner = await InProcessRunner.start(); });
after(async () => { await runner.stop(); });

test('random pipelines over generated columns give the records of the row path at parallelism 1 and 2, batch and streaming (40 cases, seed 10)', { timeout: 600_000 }, async () => {
    const cases = fc.record({
        // Up to three batches of 4096 records per subtask.
        count: fc.integer({ min: 1, max: 9000 }),
        seed: fc.integer({ min: 0, max: 1000 }),
        stages: fc.array(fc.constantFrom(...STAGES), { maxLength: 3 }),
        terminal: fc.constantFrom(...TERMINALS),
        streaming: fc.boolean()
    });
    await fc.assert(fc.asyncProperty(cases, async ({ count, seed, stages, terminal, streaming }) => {
        const mode: 'batch' | 'streaming' = streaming && terminal.streaming ? 'streaming' : 'batch';
        const text = flow(mode, count, seed, stages, terminal.text);
        const translations = [1, 2].map((parallelism) => ({ mode, parallelism }));
        const graphs = await runner.translate(text, translations);
        assert.ok(typeof graphs !== 'string', `${graphs as string}\n${text}`);
        for (const [i, { parallelism }] of translations.entries()) {
            const columns = await runner.run(graphs[i], true);
            const rows = await runner.run(graphs[i], false);
            assert.ok(columns.ok && rows.ok, `parallelism ${parallelism}: ${JSON.stringify([columns, rows]).slice(0, 500)}\n${text}`);
            assert.deepEqual(columns.rows.map(exactCanonical).sort(), rows.rows.map(exactCanonical).sort(), `parallelism ${parallelism}, ${mode}\n${text}`);
        }
    }), { numRuns: 40, seed: 10 });
});

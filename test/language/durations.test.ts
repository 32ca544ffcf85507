/**
 * Duration literals: one number and unit (`5s`) or a sum of them (`1m30s`, as Go and Prometheus
 * write them), checked through `flowline check`/`flowline graph` and against a reference sum.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import { runCli } from '../support/run-cli.js';

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNITS;

test('compound durations reach the LogicalGraph as the sum of their parts', async () => {
    const result = await runCli(['graph', 'test/fixtures/valid/compound-durations.flow']);
    assert.equal(result.code, 0, result.stderr);
    const graph = JSON.parse(result.stdout) as LogicalGraph;
    const source = graph.nodes.find((n) => n.config.kind === 'source')!.config as { watermark: { delayMs: number; idleMs: number } };
    assert.deepEqual(source.watermark, { field: 'ts', delayMs: 90_000, idleMs: 120_500 });
    assert.match(result.stdout.replace(/\s/g, ''), /"sizeMs":5400000/, 'tumbling 1h30m');
    assert.match(result.stdout.replace(/\s/g, ''), /"value":129600000/, '1d12h');
});

test('any sum of number-and-unit parts is the duration a reference sum gives (generated cases)', async () => {
    const parts = fc.array(fc.tuple(fc.integer({ min: 0, max: 999 }), fc.constantFrom<Unit>('ms', 's', 'm', 'h', 'd')), { minLength: 1, maxLength: 4 });
    const cases = fc.sample(parts, { numRuns: 40, seed: 7 });
    // One file, one datagen field per case; the graph holds each literal's milliseconds.
    const dir = mkdtempSync(path.join(tmpdir(), 'flowline-durations-'));
    const file = path.join(dir, 'durations.flow');
    const fields = cases.map((c, i) => `        d${i}: duration = ${c.map(([n, u]) => `${n}${u}`).join('')}`);
    writeFileSync(file, `pipeline Durations {\n    source ds = datagen(count: 1) {\n${fields.join('\n')}\n    }\n    sink ds -> print\n}\n`);
    const result = await runCli(['run', file]);
    assert.equal(result.code, 0, result.stderr);
    const row = JSON.parse(result.stdout.trim()) as Record<string, number>;
    cases.forEach((c, i) => {
        const expected = c.reduce((sum, [n, u]) => sum + n * UNITS[u], 0);
        assert.equal(row[`d${i}`], expected, `${c.map(([n, u]) => `${n}${u}`).join('')}`);
    });
});

test('a duration text is read the same by a cast, a CSV column and a JSONL field as by a literal (generated cases)', async () => {
    const parts = fc.array(fc.tuple(fc.integer({ min: 0, max: 999 }), fc.constantFrom<Unit>('ms', 's', 'm', 'h', 'd')), { minLength: 1, maxLength: 4 });
    const cases = [[[1, 'm'], [30, 's']], [[2, 's'], [500, 'ms']], ...fc.sample(parts, { numRuns: 30, seed: 11 })] as [number, Unit][][];
    const texts = cases.map((c) => c.map(([n, u]) => `${n}${u}`).join(''));
    const dir = mkdtempSync(path.join(tmpdir(), 'flowline-duration-values-'));
    writeFileSync(path.join(dir, 'data.csv'), `i,text,d\n${texts.map((t, i) => `${i},${t},${t}`).join('\n')}\n`);
    writeFileSync(path.join(dir, 'data.jsonl'), texts.map((t, i) => JSON.stringify({ i, d: t })).join('\n') + '\n');
    writeFileSync(path.join(dir, 'p.flow'), `pipeline DurationValues {
    source rows: { i: long, text: string, d: duration } = csv("data.csv") { onError fail }
    source lines: { i: long, d: duration } = jsonl("data.jsonl") { onError fail }
    stream casts = rows | map { i, viaCast: cast(text as duration), d }
    stream fields = lines | map { i, j: d }
    sink casts -> print
    sink fields -> print
}
`);
    const result = await runCli(['run', 'p.flow'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const printedRows = result.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, number>);
    const csvRows = new Map(printedRows.filter((r) => 'viaCast' in r).map((r) => [r.i, r]));
    const jsonlRows = new Map(printedRows.filter((r) => 'j' in r).map((r) => [r.i, r]));
    cases.forEach((c, i) => {
        const expected = c.reduce((sum, [n, u]) => sum + n * UNITS[u], 0);
        assert.deepEqual(csvRows.get(i), { i, viaCast: expected, d: expected }, texts[i]);
        assert.deepEqual(jsonlRows.get(i), { i, j: expected }, texts[i]);
    });
});

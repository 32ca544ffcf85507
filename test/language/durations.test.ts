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

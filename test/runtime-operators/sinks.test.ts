/** Sinks: print like Flink's, atomic csv/jsonl files (temp file renamed on commit), collect, blackhole. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { LogicalNode, SinkConfig } from '../../protocol/logical-graph.js';
import { node, schema } from './graph-nodes.js';
import { runSink, runSource } from './operator-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'flowline-sinks-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const s = schema({ country: 'string', total: 'double?', windowEnd: 'timestamp', ok: 'boolean' });
const rows = [
    { country: 'DE', total: 12.5, windowEnd: Date.UTC(2024, 0, 1, 0, 1), ok: true },
    { country: 'Côte, "d\'Ivoire"', total: null, windowEnd: Date.UTC(2024, 0, 1, 0, 2), ok: false }
];
const sink = (connector: SinkConfig['connector'], path?: string): LogicalNode => node({ kind: 'sink', connector, options: {}, ...(path ? { path } : {}) }, s);

test('print writes one JSON line per record, timestamps in ISO-8601, prefixed by the subtask when parallel', async () => {
    const single = await runSink(sink('print'), [rows]);
    assert.equal(single.printed, '{"country":"DE","total":12.5,"windowEnd":"2024-01-01T00:01:00.000Z","ok":true}\n'
        + '{"country":"Côte, \\"d\'Ivoire\\"","total":null,"windowEnd":"2024-01-01T00:02:00.000Z","ok":false}\n');
    const parallel = await runSink(sink('print'), [rows.slice(0, 1)], { subtaskIndex: 1, parallelism: 2 });
    assert.equal(parallel.printed, '2> {"country":"DE","total":12.5,"windowEnd":"2024-01-01T00:01:00.000Z","ok":true}\n');
});

test('a jsonl sink makes its file visible only on commit', async () => {
    const path = join(dir, 'out', 'revenue.jsonl');
    await runSink(sink('jsonl', path), [rows.slice(0, 1), rows.slice(1)]);
    assert.deepEqual(readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l).country), ['DE', 'Côte, "d\'Ivoire"']);
    assert.deepEqual(readdirSync(join(dir, 'out')), ['revenue.jsonl']);
});

test('an aborted file sink leaves no file behind, not even a temporary one', async () => {
    for (const connector of ['jsonl', 'csv'] as const) {
        const sub = join(dir, `aborted-${connector}`);
        await runSink(sink(connector, join(sub, `result.${connector}`)), [rows], { abort: true });
        assert.deepEqual(readdirSync(sub), []);
    }
});

test('a csv sink writes a header and quotes as needed, and the csv source reads it back', async () => {
    const path = join(dir, 'round-trip.csv');
    await runSink(sink('csv', path), [rows]);
    assert.equal(readFileSync(path, 'utf8'), 'country,total,windowEnd,ok\n'
        + 'DE,12.5,2024-01-01T00:01:00.000Z,true\n'
        + '"Côte, ""d\'Ivoire""",,2024-01-01T00:02:00.000Z,false\n');
    const back = await runSource(node({ kind: 'source', sourceName: 'back', connector: 'csv', path, options: {}, bounded: true, onError: 'fail' }, s), 'batch');
    assert.deepEqual(back.rows, rows);
});

test('parallel file sink instances write one part file each', async () => {
    const path = join(dir, 'parts', 'counts.jsonl');
    await runSink(sink('jsonl', path), [rows.slice(0, 1)], { subtaskIndex: 0, parallelism: 2 });
    await runSink(sink('jsonl', path), [rows.slice(1)], { subtaskIndex: 1, parallelism: 2 });
    assert.deepEqual(readdirSync(join(dir, 'parts')).sort(), ['counts-0.jsonl', 'counts-1.jsonl']);
    assert.ok(!existsSync(path));
});

test('collect hands records to the engine unchanged; blackhole accepts and discards them', async () => {
    assert.deepEqual((await runSink(sink('collect'), [rows])).collected, rows);
    const discarded = await runSink(sink('blackhole'), [rows]);
    assert.deepEqual([discarded.printed, discarded.collected, discarded.rows], ['', [], []]);
});

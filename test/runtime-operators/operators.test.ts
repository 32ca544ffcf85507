/** Stateless chains, user functions, union, distinct, orderBy and limit (batch and per window). */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fuseStatelessChain } from '../../runtime/src/operators/operator-factory.js';
import type { Row } from '../../runtime/src/operators/operator.js';
import { PROCESSING_TIME_GRACE_MS } from '../../runtime/src/operators/pending-windows.js';
import { bin, call, field, lit, node, schema } from './graph-nodes.js';
import { recordingContext, runOperator, type Recorded } from './operator-harness.js';

const words = schema({ word: 'string', n: 'long', windowEnd: 'timestamp' });
const arr = { kind: 'array' as const, element: { kind: 'string' as const } };

test('a fused filter -> flatMap -> filter -> map chain gives what the operators give one by one', async () => {
    const lines = schema({ line: 'string', ts: 'timestamp' });
    const nodes = [
        node({ kind: 'filter', predicate: bin('>', field('ts', 'timestamp'), lit(0), 'boolean') }, lines),
        node({ kind: 'flatMap', value: call('split', [call('lower', [field('line', 'string')], 'string'), lit('\\W+')], arr), as: 'word' }, schema({ line: 'string', ts: 'timestamp', word: 'string' })),
        node({ kind: 'filter', predicate: bin('!=', field('word', 'string'), lit(''), 'boolean') }, schema({ line: 'string', ts: 'timestamp', word: 'string' })),
        node({ kind: 'map', fields: [{ name: 'word', expr: call('upper', [field('word', 'string')], 'string') }, { name: 'ts', expr: field('ts', 'timestamp') }] }, schema({ word: 'string', ts: 'timestamp' }))
    ];
    const input = [{ line: 'To be, or not', ts: 1 }, { line: 'ignored', ts: 0 }, { line: '...to BE!', ts: 2 }];
    let staged: Row[] = input;
    for (const n of nodes) staged = (await runOperator(n, 'batch', [{ rows: staged }])).rows;
    const rec: Recorded = { rows: [], side: {}, dropped: {}, watermarks: [], idle: [], printed: '', collected: [], events: [] };
    const fused = fuseStatelessChain(nodes);
    fused.open?.(recordingContext(nodes[0], 'batch', rec));
    fused.processBatch(input, 0);
    assert.deepEqual(rec.rows, staged);
    assert.deepEqual(rec.rows.map((r) => r.word), ['TO', 'BE', 'OR', 'NOT', 'TO', 'BE']);
});

test('an error inside a fused chain names the operator that failed', async () => {
    const s = schema({ n: 'int' });
    const fused = fuseStatelessChain([
        node({ kind: 'filter', predicate: bin('>', field('n', 'int'), lit(-100), 'boolean') }, s, { line: 4 }),
        node({ kind: 'map', fields: [{ name: 'q', expr: bin('/', lit(1), field('n', 'int'), 'int') }] }, schema({ q: 'int' }), { line: 5 })
    ]);
    const rec: Recorded = { rows: [], side: {}, dropped: {}, watermarks: [], idle: [], printed: '', collected: [], events: [] };
    fused.open?.(recordingContext(node({ kind: 'union' }, s), 'batch', rec));
    assert.throws(() => fused.processBatch([{ n: 1 }, { n: 0 }], 0), { message: 'test.flow:5:5: error in map: division by zero' });
});

const udf = (role: 'map' | 'filter', exportName: string, line = 1, out = schema({ id: 'string', amount: 'double', gross: 'double' })) =>
    node({ kind: 'udf', role, file: join(import.meta.dirname, 'fixtures', 'enrich-udf.ts'), exportName }, out, { line });

test('user functions from a TypeScript file map and filter records', async () => {
    const orders = [{ id: 'o1', amount: 10 }, { id: 'o2', amount: 5 }];
    assert.deepEqual((await runOperator(udf('map', 'withTax'), 'batch', [{ rows: orders }])).rows, [{ id: 'o1', amount: 10, gross: 12 }, { id: 'o2', amount: 5, gross: 6 }]);
    assert.deepEqual((await runOperator(udf('filter', 'isLarge', 1, schema({ id: 'string', amount: 'double' })), 'batch', [{ rows: orders }])).rows, [{ id: 'o1', amount: 10 }]);
});

test('a failing or missing user function names the operator, its location and the function', async () => {
    await assert.rejects(runOperator(udf('map', 'explode', 9, schema({ id: 'string', amount: 'double' })), 'batch', [{ rows: [{ id: 'o1', amount: 1 }, { id: 'o2', amount: 2 }] }]),
        /^OperatorError: test\.flow:9:5: error in udf: user function explode \(.*enrich-udf\.ts\) failed on \{"id":"o2","amount":2\}: cannot enrich o2$/);
    await assert.rejects(runOperator(udf('map', 'nothing', 2), 'batch', []), /test\.flow:2:5: error in udf: .*enrich-udf\.ts has no exported function "nothing" \(its exported functions: explode, isLarge, withTax, wrongType\)/);
});

test('union passes every input through unchanged', async () => {
    const out = await runOperator(node({ kind: 'union' }, words), 'streaming', [{ rows: [{ word: 'a' }], input: 0 }, { rows: [{ word: 'b' }], input: 1 }], 2);
    assert.deepEqual(out.rows, [{ word: 'a' }, { word: 'b' }]);
});

test('distinct emits the first of equal records whatever their field order', async () => {
    const out = await runOperator(node({ kind: 'distinct' }, words), 'batch', [{ rows: [{ word: 'a', n: 1, windowEnd: 0 }, { n: 1, word: 'a', windowEnd: 0 }, { word: 'a', n: 2, windowEnd: 0 }] }]);
    assert.deepEqual(out.rows, [{ word: 'a', n: 1, windowEnd: 0 }, { word: 'a', n: 2, windowEnd: 0 }]);
});

const byCountDesc = [{ expr: field('n', 'long'), descending: true }, { expr: field('word', 'string'), descending: false }];

test('orderBy then limit in batch mode sorts everything at the end of input and keeps the first N', async () => {
    const rows = [{ word: 'b', n: 2 }, { word: 'a', n: 5 }, { word: 'c', n: 2 }, { word: 'd', n: 9 }];
    const sorted = await runOperator(node({ kind: 'orderBy', keys: byCountDesc }, words), 'batch', [{ rows: rows.slice(0, 2) }, { rows: rows.slice(2) }]);
    assert.deepEqual(sorted.rows.map((r) => r.word), ['d', 'a', 'b', 'c']);
    const top = await runOperator(node({ kind: 'limit', count: 3 }, words), 'batch', [{ rows: sorted.rows.slice(0, 2) }, { rows: sorted.rows.slice(2) }]);
    assert.deepEqual(top.rows.map((r) => r.word), ['d', 'a', 'b']);
});

test('orderBy sorts nulls first ascending and last descending', async () => {
    const rows = [{ word: 'x', n: null }, { word: 'y', n: 1 }];
    const asc = await runOperator(node({ kind: 'orderBy', keys: [{ expr: field('n', 'long?'), descending: false }] }, words), 'batch', [{ rows }]);
    const desc = await runOperator(node({ kind: 'orderBy', keys: [{ expr: field('n', 'long?'), descending: true }] }, words), 'batch', [{ rows }]);
    assert.deepEqual([asc.rows.map((r) => r.word), desc.rows.map((r) => r.word)], [['x', 'y'], ['y', 'x']]);
});

const byWindowEnd = { fields: ['windowEnd'], endField: 'windowEnd', endOffsetMs: 0, eventTime: true };

test('in streaming mode orderBy and limit rank each window once the watermark reaches its end (top-N per window)', async () => {
    const w1 = [{ word: 'a', n: 1, windowEnd: 10 }, { word: 'b', n: 3, windowEnd: 10 }, { word: 'c', n: 2, windowEnd: 10 }];
    const w2 = [{ word: 'a', n: 7, windowEnd: 20 }, { word: 'b', n: 1, windowEnd: 20 }];
    const w3 = [{ word: 'z', n: 4, windowEnd: 30 }, { word: 'y', n: 5, windowEnd: 30 }];
    const order = node({ kind: 'orderBy', keys: byCountDesc, window: byWindowEnd }, words);
    // Window 20's first row arrives before watermark 10 and its second after: it is ranked once, whole, at watermark 30.
    const sorted = await runOperator(order, 'streaming', [{ rows: [...w1, w2[1]] }, { watermark: 10 }, { rows: [w2[0], ...w3] }, { watermark: 30 }]);
    assert.deepEqual(sorted.events.map((e) => ('rows' in e ? e.rows.map((r) => r.word).join('') : e.watermark)), ['bca', 10, 'abyz', 30]);
    const limit = node({ kind: 'limit', count: 1, window: byWindowEnd }, words);
    const top = await runOperator(limit, 'streaming', [{ rows: sorted.rows.slice(0, 3) }, { watermark: 10 }, { rows: sorted.rows.slice(3) }, { watermark: 30 }]);
    assert.deepEqual(top.rows.map((r) => `${r.windowEnd}:${r.word}`), ['10:b', '20:a', '30:y']);
});

test('on processing-time windows orderBy and limit ignore watermarks and rank a window a grace period after its end on the clock', async () => {
    const byClock = { fields: ['windowEnd'], endField: 'windowEnd', endOffsetMs: 0, eventTime: false };
    const rows = [{ word: 'a', n: 1, windowEnd: 10_000 }, { word: 'b', n: 3, windowEnd: 10_000 }, { word: 'c', n: 2, windowEnd: 20_000 }];
    const order = node({ kind: 'orderBy', keys: byCountDesc, window: byClock }, words);
    const sorted = await runOperator(order, 'streaming', [
        { rows }, { watermark: 50_000 }, { time: 10_000 + PROCESSING_TIME_GRACE_MS - 1 }, { time: 10_000 + PROCESSING_TIME_GRACE_MS }, { end: 0 }
    ]);
    assert.deepEqual(sorted.events.map((e) => ('rows' in e ? e.rows.map((r) => r.word).join('') : e.watermark)), [50_000, 'ba', 'c']);
    const limit = node({ kind: 'limit', count: 1, window: byClock }, words);
    const top = await runOperator(limit, 'streaming', [{ rows: sorted.rows }, { time: 10_000 + PROCESSING_TIME_GRACE_MS }, { end: 0 }]);
    assert.deepEqual(top.events.map((e) => ('rows' in e ? e.rows.map((r) => r.word).join('') : e.watermark)), ['b', 'c']);
});

test('orderBy breaks ties by the whole row, so the order of arrival does not matter', async () => {
    const rows = [{ word: 'b', n: 2, windowEnd: 0 }, { word: 'a', n: 2, windowEnd: 0 }, { word: 'c', n: 1, windowEnd: 0 }, { word: 'a', n: 2, windowEnd: -1 }];
    const byCount = [{ expr: field('n', 'long'), descending: true }];
    const forward = await runOperator(node({ kind: 'orderBy', keys: byCount }, words), 'batch', [{ rows }]);
    const backward = await runOperator(node({ kind: 'orderBy', keys: byCount }, words), 'batch', [{ rows: [...rows].reverse() }]);
    assert.deepEqual(forward.rows, backward.rows);
    assert.deepEqual(forward.rows.map((r) => `${r.word}${r.windowEnd}`), ['a-1', 'a0', 'b0', 'c0']);
});

test('a stateless chain ending in an aggregate folds records into it and gives the unfused results', async () => {
    const s = schema({ k: 'string', v: 'long' });
    const filter = node({ kind: 'filter', predicate: bin('>', field('v', 'long'), lit(1), 'boolean') }, s);
    const map = node({ kind: 'map', fields: [{ name: 'k', expr: field('k', 'string') }, { name: 'v', expr: bin('*', field('v', 'long'), lit(10), 'long') }] }, s);
    const input = [{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'a', v: 3 }, { k: 'b', v: 4 }, { k: 'c', v: 0 }];
    for (const keys of [[field('k', 'string')], []]) {
        const fields = [...keys.map((k) => ({ name: 'k', expr: k })), { name: 'total', expr: call('sum', [field('v', 'long')], 'long') }, { name: 'n', expr: call('count', [], 'long') }];
        const agg = node({ kind: 'aggregate', keys, fields, rolling: false }, schema({ k: 'string', total: 'long', n: 'long' }));
        const staged = (await runOperator(agg, 'batch', [{ rows: (await runOperator(map, 'batch', [{ rows: (await runOperator(filter, 'batch', [{ rows: input }])).rows }])).rows }])).rows;
        const rec: Recorded = { rows: [], side: {}, dropped: {}, watermarks: [], idle: [], printed: '', collected: [], events: [] };
        const fused = fuseStatelessChain([filter, map, agg]);
        fused.open?.(recordingContext(agg, 'batch', rec));
        fused.processBatch(input.slice(0, 2), 0);
        fused.processBatch(input.slice(2), 0);
        assert.deepEqual(rec.rows, [], 'nothing before the end of input');
        fused.endOfInput?.(0);
        assert.deepEqual(rec.rows, staged);
        assert.deepEqual(rec.rows, keys.length ? [{ k: 'b', total: 60, n: 2 }, { k: 'a', total: 30, n: 1 }] : [{ total: 90, n: 3 }]);
    }
});

test('a user map function returning a record that does not fit the declared schema fails naming the field', async () => {
    await assert.rejects(runOperator(udf('map', 'wrongType', 6), 'batch', [{ rows: [{ id: 'o1', amount: 10 }] }]),
        /test\.flow:6:5: error in udf: user function wrongType \(.*\) failed on \{"id":"o1","amount":10\}: expected a double for field "gross", found "10"/);
});

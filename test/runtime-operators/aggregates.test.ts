/** Keyed aggregation: every aggregate function, batch results at the end, rolling results per record. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NamedExpr } from '../../protocol/logical-graph.js';
import { bin, call, field, lit, node, schema } from './graph-nodes.js';
import { runOperator } from './operator-harness.js';

const input = schema({ user: 'string', url: 'string', ms: 'double?' });
const rows = [
    { user: 'a', url: '/x', ms: 10 },
    { user: 'b', url: '/y', ms: null },
    { user: 'a', url: '/y', ms: 30 },
    { user: 'a', url: '/x', ms: null },
    { user: 'b', url: '/z', ms: 5 },
    { user: 'a', url: '/z', ms: 20 }
];
const MS = field('ms', 'double?');
const URL_ = field('url', 'string');
const arr = { kind: 'array' as const, element: { kind: 'string' as const } };

const allFunctions: NamedExpr[] = [
    { name: 'user', expr: field('user', 'string') },
    { name: 'n', expr: call('count', [], 'long') },
    { name: 'withMs', expr: call('count', [MS], 'long') },
    { name: 'urls', expr: call('count', [URL_], 'long', true) },
    { name: 'total', expr: call('sum', [MS], 'double?') },
    { name: 'fastest', expr: call('min', [MS], 'double?') },
    { name: 'slowest', expr: call('max', [MS], 'double?') },
    { name: 'mean', expr: call('avg', [MS], 'double?') },
    { name: 'firstUrl', expr: call('first', [URL_], 'string') },
    { name: 'lastUrl', expr: call('last', [URL_], 'string') },
    { name: 'visited', expr: call('collect', [URL_], arr) },
    { name: 'meanRounded', expr: call('round', [bin('/', call('sum', [MS], 'double?'), call('count', [], 'long'), 'double?'), lit(1)], 'double?') }
];

test('a batch aggregate emits one row per key at the end of input, with every aggregate function', async () => {
    const agg = node({ kind: 'aggregate', keys: [field('user', 'string')], fields: allFunctions, rolling: false }, input);
    const out = await runOperator(agg, 'batch', [{ rows: rows.slice(0, 3) }, { rows: rows.slice(3) }]);
    assert.deepEqual(out.events.length, 1, 'nothing is emitted before the end of input');
    assert.deepEqual(out.rows, [
        { user: 'a', n: 4, withMs: 3, urls: 3, total: 60, fastest: 10, slowest: 30, mean: 20, firstUrl: '/x', lastUrl: '/z', visited: ['/x', '/y', '/x', '/z'], meanRounded: 15 },
        { user: 'b', n: 2, withMs: 1, urls: 2, total: 5, fastest: 5, slowest: 5, mean: 5, firstUrl: '/y', lastUrl: '/z', visited: ['/y', '/z'], meanRounded: 2.5 }
    ]);
});

test('sum, min, max and avg of only nulls are null, count of them is zero', async () => {
    const agg = node({ kind: 'aggregate', keys: [], fields: allFunctions.slice(1, 8), rolling: false }, input);
    const out = await runOperator(agg, 'batch', [{ rows: [{ user: 'a', url: '/x', ms: null }] }]);
    assert.deepEqual(out.rows, [{ n: 1, withMs: 0, urls: 1, total: null, fastest: null, slowest: null, mean: null }]);
});

test('a rolling aggregate (reduce) emits the updated row of the key after every record', async () => {
    const agg = node({
        kind: 'aggregate', keys: [field('user', 'string')], rolling: true,
        fields: [{ name: 'user', expr: field('user', 'string') }, { name: 'n', expr: call('count', [], 'long') }, { name: 'total', expr: call('sum', [MS], 'double?') }]
    }, input);
    const out = await runOperator(agg, 'streaming', [{ rows }]);
    assert.deepEqual(out.rows, [
        { user: 'a', n: 1, total: 10 }, { user: 'b', n: 1, total: null }, { user: 'a', n: 2, total: 40 },
        { user: 'a', n: 3, total: 40 }, { user: 'b', n: 2, total: 5 }, { user: 'a', n: 4, total: 60 }
    ]);
});

test('a composite key keeps null apart from the string "null"', async () => {
    const s = schema({ a: 'string?', b: 'int' });
    const agg = node({
        kind: 'aggregate', keys: [field('a', 'string?'), field('b', 'int')], rolling: false,
        fields: [{ name: 'a', expr: field('a', 'string?') }, { name: 'b', expr: field('b', 'int') }, { name: 'n', expr: call('count', [], 'long') }]
    }, s);
    const out = await runOperator(agg, 'batch', [{ rows: [{ a: null, b: 1 }, { a: 'null', b: 1 }, { a: null, b: 1 }, { a: null, b: 2 }] }]);
    assert.deepEqual(out.rows, [{ a: null, b: 1, n: 2 }, { a: 'null', b: 1, n: 1 }, { a: null, b: 2, n: 1 }]);
});

test('an aggregate function outside an aggregation is reported with the operator location', async () => {
    const map = node({ kind: 'map', fields: [{ name: 'n', expr: call('count', [], 'long') }] }, schema({ n: 'long' }), { line: 7 });
    await assert.rejects(runOperator(map, 'batch', []), /test\.flow:7:5: error in map: count\(\) is an aggregate function/);
});

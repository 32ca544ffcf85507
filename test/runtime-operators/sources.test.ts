/** Sources: typed conversion by schema, bad-row policies with file:line:column, watermarks, datagen. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEAD_LETTER_SCHEMA, type ErrorPolicy, type LogicalNode, type SourceConfig } from '../../protocol/logical-graph.js';
import { call, lit, node, schema } from './graph-nodes.js';
import { runSource } from './operator-harness.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const orderSchema = schema({ id: 'string', customer: 'string', amount: 'double?', ts: 'timestamp' });
const t0 = Date.UTC(2024, 0, 1);

function source(connector: SourceConfig['connector'], file: string | undefined, s = orderSchema, extra: Partial<SourceConfig> = {}): LogicalNode {
    const config: SourceConfig = { kind: 'source', connector, ...(file ? { path: fixture(file) } : {}), options: {}, bounded: true, onError: 'fail', ...extra, sourceName: extra.sourceName ?? connector };
    return node(config, s, config.onError === 'deadLetter' ? { sideOutputs: ['deadLetter'] } : {});
}

test('the csv source converts each column by the schema, empty nullable fields to null', async () => {
    const out = await runSource(source('csv', 'orders.csv'), 'batch');
    assert.deepEqual(out.rows, [
        { id: 'o1', customer: 'alice', amount: 12.5, ts: t0 + 5000 },
        { id: 'o2', customer: 'bob', amount: 7, ts: t0 + 20_000 },
        { id: 'o3', customer: 'carol', amount: null, ts: t0 + 40_000 },
        { id: 'o4', customer: 'dave', amount: 3.25, ts: t0 + 70_000 }
    ]);
});

test('the fail policy stops at the first bad csv row naming file:line:column and what was expected', async () => {
    await assert.rejects(runSource(source('csv', 'orders-malformed.csv'), 'batch'), (err: Error) => {
        assert.equal(err.message, 'test/runtime-operators/fixtures/orders-malformed.csv:3:8: expected a double for field "amount", found "abc"');
        return true;
    });
});

test('the skip policy drops bad csv rows and counts them', async () => {
    const out = await runSource(source('csv', 'orders-malformed.csv', orderSchema, { onError: 'skip' as ErrorPolicy }), 'batch');
    assert.deepEqual(out.rows.map((r) => r.id), ['o1', 'o4', 'o6']);
    assert.deepEqual(out.dropped, { skipped: 3 });
});

test('the deadLetter policy sends the raw row and the error to the deadLetter side output', async () => {
    const out = await runSource(source('csv', 'orders-malformed.csv', orderSchema, { onError: 'deadLetter' }), 'batch');
    assert.deepEqual(out.rows.map((r) => r.id), ['o1', 'o4', 'o6']);
    const file = 'test/runtime-operators/fixtures/orders-malformed.csv';
    assert.deepEqual(out.side.deadLetter, [
        { source: 'csv', file, line: 3, raw: 'o2,bob,abc,2024-01-01T00:00:20Z', error: `${file}:3:8: expected a double for field "amount", found "abc"` },
        { source: 'csv', file, line: 4, raw: 'o3,carol,4.5,yesterday', error: `${file}:4:14: expected a timestamp for field "ts", found "yesterday"` },
        { source: 'csv', file, line: 6, raw: 'o5,erin', error: `${file}:6:8: expected 4 fields, found 2 (no value for field "amount")` }
    ]);
    for (const row of out.side.deadLetter) assert.deepEqual(Object.keys(row), DEAD_LETTER_SCHEMA.map((f) => f.name));
    assert.deepEqual(out.dropped, {});
});

test('the jsonl source reports invalid JSON and mistyped values by line and column', async () => {
    const events = schema({ user: 'string', ts: 'timestamp' });
    const file = 'test/runtime-operators/fixtures/events-malformed.jsonl';
    await assert.rejects(runSource(source('jsonl', 'events-malformed.jsonl', events), 'batch'), {
        message: `${file}:2:17: invalid JSON: Unexpected end of JSON input`
    });
    const out = await runSource(source('jsonl', 'events-malformed.jsonl', events, { onError: 'deadLetter' }), 'batch');
    assert.deepEqual(out.rows, [{ user: 'a', ts: 1000 }, { user: 'd', ts: t0 }]);
    assert.deepEqual(out.side.deadLetter.map((d) => [d.line, d.error]), [
        [2, `${file}:2:17: invalid JSON: Unexpected end of JSON input`],
        [3, `${file}:3:18: expected a timestamp for field "ts", found "not a time"`]
    ]);
});

test('the text source emits one record per line, CRLF or LF, empty lines included', async () => {
    const out = await runSource(source('text', 'lines.txt', schema({ line: 'string' })), 'batch');
    assert.deepEqual(out.rows.map((r) => r.line), ['the quick brown fox', 'jumps over', '', 'the lazy dog']);
});

test('the values source converts inline records and splits them between subtasks', async () => {
    const s = schema({ k: 'string', ts: 'timestamp' });
    const values = [{ k: 'a', ts: '2024-01-01T00:00:00Z' }, { k: 'b', ts: 5 }, { k: 'c', ts: 6 }];
    const n = source('values', undefined, s, { values });
    assert.deepEqual((await runSource(n, 'batch')).rows, [{ k: 'a', ts: t0 }, { k: 'b', ts: 5 }, { k: 'c', ts: 6 }]);
    const parts = await Promise.all([0, 1].map((i) => runSource(n, 'batch', i, 2)));
    assert.deepEqual(parts.map((p) => p.rows.map((r) => r.k)), [['a', 'c'], ['b']]);
});

test('a streaming source emits watermarks of the max timestamp minus the delay', async () => {
    const events = schema({ user: 'string', ts: 'timestamp' });
    const out = await runSource(source('jsonl', 'events-out-of-order.jsonl', events, { watermark: { field: 'ts', delayMs: 2000 } }), 'streaming');
    assert.deepEqual(out.watermarks, [23_000]);
    assert.deepEqual((await runSource(source('jsonl', 'events-out-of-order.jsonl', events, { watermark: { field: 'ts', delayMs: 2000 } }), 'batch')).watermarks, []);
});

const clickSchema = schema({ id: 'long', user: 'int', score: 'double', url: 'string', key: 'string' });
function datagen(options: Record<string, number>, bounded = true): LogicalNode {
    return source('datagen', undefined, clickSchema, {
        options, bounded,
        generators: [
            { name: 'id', expr: call('sequence', [lit(1)], 'long') },
            { name: 'user', expr: call('random', [lit(1), lit(100)], 'int') },
            { name: 'score', expr: call('random', [lit(0), lit(1.5)], 'double') },
            { name: 'url', expr: call('oneOf', [lit('/a'), lit('/b'), lit('/c')], 'string') },
            { name: 'key', expr: call('uuid', [], 'string') }
        ]
    });
}

test('datagen with a seed produces the same records whatever the parallelism', async () => {
    const one = (await runSource(datagen({ count: 1000, seed: 42 }), 'batch')).rows;
    const again = (await runSource(datagen({ count: 1000, seed: 42 }), 'batch')).rows;
    const split = (await Promise.all([0, 1, 2].map((i) => runSource(datagen({ count: 1000, seed: 42 }), 'batch', i, 3)))).flatMap((r) => r.rows);
    assert.equal(one.length, 1000);
    assert.deepEqual(again, one);
    assert.deepEqual(split, one);
    assert.deepEqual(one.slice(0, 3).map((r) => r.id), [1, 2, 3]);
    for (const r of one) {
        assert.ok(Number.isInteger(r.user) && (r.user as number) >= 1 && (r.user as number) <= 100);
        assert.ok((r.score as number) >= 0 && (r.score as number) < 1.5);
        assert.ok(['/a', '/b', '/c'].includes(r.url as string));
        assert.match(r.key as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    assert.equal(new Set(one.map((r) => r.key)).size, 1000);
    const other = (await runSource(datagen({ count: 1000, seed: 7 }), 'batch')).rows;
    assert.notDeepEqual(other, one);
});

test('an unbounded datagen keeps generating until cancelled, subtasks interleaving their sequence', async () => {
    const out = await runSource(datagen({ seed: 1 }, false), 'streaming', 1, 2, 5000);
    assert.ok(out.rows.length >= 5000);
    assert.deepEqual(out.rows.slice(0, 3).map((r) => r.id), [2, 4, 6]);
});

test('a source with a missing file fails with a clear message', async () => {
    await assert.rejects(runSource(source('csv', 'no-such-file.csv'), 'batch'), /: the input file of source: csv, \S*no-such-file\.csv, does not exist/);
});

test('parallel instances of a file source share its rows without duplicates', async () => {
    const cases: [SourceConfig['connector'], string, ReturnType<typeof schema>][] = [
        ['csv', 'orders.csv', orderSchema],
        ['jsonl', 'events-out-of-order.jsonl', schema({ user: 'string', ts: 'timestamp' })],
        ['text', 'lines.txt', schema({ line: 'string' })]
    ];
    for (const [connector, file, s] of cases) {
        const whole = (await runSource(source(connector, file, s), 'batch')).rows;
        const parts = await Promise.all([0, 1, 2].map((i) => runSource(source(connector, file, s), 'batch', i, 3)));
        assert.ok(parts.every((p) => p.rows.length > 0), `${connector}: every instance gets rows`);
        const key = (r: object) => JSON.stringify(r);
        assert.deepEqual(parts.flatMap((p) => p.rows).map(key).sort(), whole.map(key).sort(), connector);
    }
});

test('a slow source is declared idle after idleMs without data and active again with the next record', async () => {
    const slow = source('datagen', undefined, schema({ ts: 'timestamp' }), {
        options: { count: 3, rate: 4, seed: 1 },
        watermark: { field: 'ts', delayMs: 0, idleMs: 50 },
        generators: [{ name: 'ts', expr: call('sequence', [lit(1000)], 'long') }]
    });
    const out = await runSource(slow, 'streaming');
    assert.deepEqual(out.rows.map((r) => r.ts), [1000, 1001, 1002]);
    assert.deepEqual(out.idle, [true, false, true, false]);
    assert.deepEqual(out.watermarks, [1000, 1001, 1002]);
});

test('the csv source reads files without a header by position, with another delimiter', async () => {
    const out = await runSource(source('csv', 'orders-no-header.csv', orderSchema, { options: { header: false, delimiter: ';' } }), 'batch');
    assert.deepEqual(out.rows.map((r) => [r.id, r.customer, r.amount]), [['o1', 'alice', 12.5], ['o2', 'bob;jr', 7]]);
});

test('a csv file the parser cannot read (an unclosed quote) fails with its position, or is skipped and counted', async () => {
    await assert.rejects(runSource(source('csv', 'orders-unclosed-quote.csv'), 'batch'), /^BadInputError: test\/runtime-operators\/fixtures\/orders-unclosed-quote\.csv:\d+:1: malformed CSV: Quote Not Closed/);
    const out = await runSource(source('csv', 'orders-unclosed-quote.csv', orderSchema, { onError: 'skip' }), 'batch');
    assert.deepEqual(out.rows.map((r) => r.id), ['o1']);
    assert.ok((out.dropped.skipped ?? 0) >= 1);
});

test('a bad inline record names the .flow location and the record number', async () => {
    const n = source('values', undefined, schema({ k: 'string', n: 'int' }), { values: [{ k: 'a', n: 1 }, { k: 'b', n: 'two' }] });
    await assert.rejects(runSource(n, 'batch'), { message: 'test.flow:1:5: inline record 2: expected an int for field "n", found "two"' });
});

test('csv line numbers count empty lines and quoted fields spanning lines', async () => {
    const out = await runSource(source('csv', 'orders-multiline.csv', orderSchema, { onError: 'deadLetter' }), 'batch');
    assert.deepEqual(out.rows.map((r) => r.customer), ['alice\nsmith']);
    assert.deepEqual(out.side.deadLetter.map((d) => d.error), ['test/runtime-operators/fixtures/orders-multiline.csv:6:8: expected a double for field "amount", found "abc"']);
});

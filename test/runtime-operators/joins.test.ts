/** Joins: hash join in batch, regular and interval joins in streaming; inner and left. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogicalNode } from '../../protocol/logical-graph.js';
import type { Row } from '../../runtime/src/operators/operator.js';
import { field, node, schema } from './graph-nodes.js';
import { runOperator } from './operator-harness.js';

const orders = [
    { id: 'o1', customer: 'c1', amount: 10, ts: 1000 },
    { id: 'o2', customer: 'c2', amount: 20, ts: 2000 },
    { id: 'o3', customer: 'c9', amount: 30, ts: 3000 },
    { id: 'o4', customer: null, amount: 40, ts: 4000 },
    { id: 'o5', customer: 'c1', amount: 50, ts: 60_000 }
];
const customers = [
    { id: 'c1', country: 'DE', ts: 500 },
    { id: 'c2', country: 'FR', ts: 9000 },
    { id: 'c2', country: 'BE', ts: 2500 }
];
const output = schema({ id: 'string', customer: 'string?', amount: 'double', ts: 'timestamp', customers_id: 'string', country: 'string', customers_ts: 'timestamp' });

function joinNode(joinType: 'inner' | 'left', withinMs?: number): LogicalNode {
    return node({
        kind: 'join', joinType, leftKeys: [field('customer', 'string?')], rightKeys: [field('id', 'string')],
        leftFields: ['id', 'customer', 'amount', 'ts'],
        rightFields: [{ from: 'id', as: 'customers_id' }, { from: 'country', as: 'country' }, { from: 'ts', as: 'customers_ts' }],
        ...(withinMs !== undefined ? { withinMs } : {})
    }, output);
}

const summary = (rows: Row[]) => rows.map((r) => `${r.id}-${r.country ?? 'null'}`).sort();

test('a batch inner hash join matches equal keys and never matches null keys', async () => {
    const out = await runOperator(joinNode('inner'), 'batch', [{ rows: orders.slice(0, 2), input: 0 }, { rows: customers, input: 1 }, { rows: orders.slice(2), input: 0 }], 2);
    assert.deepEqual(summary(out.rows), ['o1-DE', 'o2-BE', 'o2-FR', 'o5-DE']);
    assert.deepEqual(out.rows.find((r) => r.id === 'o1'), { id: 'o1', customer: 'c1', amount: 10, ts: 1000, customers_id: 'c1', country: 'DE', customers_ts: 500 });
});

test('a batch left join keeps unmatched left records with null right fields', async () => {
    const out = await runOperator(joinNode('left'), 'batch', [{ rows: orders, input: 0 }, { rows: customers, input: 1 }], 2);
    assert.deepEqual(summary(out.rows), ['o1-DE', 'o2-BE', 'o2-FR', 'o3-null', 'o4-null', 'o5-DE']);
    assert.deepEqual(out.rows.find((r) => r.id === 'o3'), { id: 'o3', customer: 'c9', amount: 30, ts: 3000, customers_id: null, country: null, customers_ts: null });
});

test('a streaming regular join emits matches as either side arrives', async () => {
    const out = await runOperator(joinNode('inner'), 'streaming', [
        { rows: [orders[0]], input: 0 }, { rows: [customers[0]], input: 1 }, { rows: [orders[4]], input: 0 }
    ], 2);
    assert.deepEqual(out.events.map((e) => ('rows' in e ? summary(e.rows) : e)), [['o1-DE'], ['o5-DE']]);
});

test('a streaming left join emits the left records that never matched at the end of input', async () => {
    const out = await runOperator(joinNode('left'), 'streaming', [{ rows: orders, input: 0 }, { rows: customers, input: 1 }], 2);
    assert.deepEqual(summary(out.rows), ['o1-DE', 'o2-BE', 'o2-FR', 'o3-null', 'o4-null', 'o5-DE']);
    assert.deepEqual(summary((out.events.at(-1) as { rows: Row[] }).rows), ['o3-null']);
});

test('an interval join matches only records whose event times are within the bound', async () => {
    const out = await runOperator(joinNode('inner', 1000), 'streaming', [{ rows: orders, input: 0 }, { rows: customers, input: 1 }], 2);
    // o1 (1000) and c1 (500): 500 apart; o2 (2000) and c2/BE (2500); c2/FR (9000) is too late; o5 (60000) too far from c1.
    assert.deepEqual(summary(out.rows), ['o1-DE', 'o2-BE']);
});

test('an interval left join emits an unmatched left record once the watermark rules out any match', async () => {
    const out = await runOperator(joinNode('left', 1000), 'streaming', [
        { rows: [orders[0], orders[2]], input: 0 }, { watermark: 3500 }, { watermark: 4500 }, { rows: [customers[0]], input: 1 }
    ], 2);
    // Watermark 3500 rules out a match for o1 (1000 + 1000 < 3500), 4500 for o3 (3000 + 1000 < 4500);
    // the join forwards its watermark held back by the bound (2500, 3500) so its output is never
    // late downstream. The harness logs each watermark after what it caused. c1 is too late for o1.
    assert.deepEqual(out.events.map((e) => ('rows' in e ? summary(e.rows) : e.watermark)), [['o1-null'], 2500, ['o3-null'], 3500]);
});

test('in batch mode a join with a time bound applies it too, agreeing with streaming', async () => {
    const batch = await runOperator(joinNode('left', 1000), 'batch', [{ rows: orders, input: 0 }, { rows: customers, input: 1 }], 2);
    const streaming = await runOperator(joinNode('left', 1000), 'streaming', [{ rows: orders, input: 0 }, { rows: customers, input: 1 }], 2);
    assert.deepEqual(summary(batch.rows), ['o1-DE', 'o2-BE', 'o3-null', 'o4-null', 'o5-null']);
    assert.deepEqual(summary(batch.rows), summary(streaming.rows));
});

function temporalNode(joinType: 'inner' | 'left'): LogicalNode {
    return node({
        kind: 'join', joinType, leftKeys: [field('customer', 'string?')], rightKeys: [field('id', 'string')],
        temporal: true, leftTimeField: 'ts', rightTimeField: 'ts',
        leftFields: ['id', 'customer', 'amount', 'ts'],
        rightFields: [{ from: 'id', as: 'customers_id' }, { from: 'country', as: 'country' }, { from: 'ts', as: 'customers_ts' }]
    }, output);
}

test('a temporal join gives each record the version with the latest time at or before its own', async () => {
    // c2 is BE from 2500 and FR from 9000 (read out of order): o2 at 2000 has no version yet.
    const out = await runOperator(temporalNode('left'), 'streaming', [{ rows: customers, input: 1 }, { rows: orders, input: 0 }, { end: 1 }, { end: 0 }], 2);
    assert.deepEqual(summary(out.rows), ['o1-DE', 'o2-null', 'o3-null', 'o4-null', 'o5-DE']);
    const later = await runOperator(temporalNode('inner'), 'streaming', [
        { rows: customers, input: 1 }, { rows: [{ id: 'o6', customer: 'c2', amount: 1, ts: 2500 }, { id: 'o7', customer: 'c2', amount: 1, ts: 9500 }], input: 0 }, { end: 1 }, { end: 0 }
    ], 2);
    assert.deepEqual(summary(later.rows), ['o6-BE', 'o7-FR'], 'a version counts from exactly its time');
});

test('a streaming temporal join emits a record once the watermark passes its time, so a version read before then counts', async () => {
    const out = await runOperator(temporalNode('inner'), 'streaming', [
        { rows: [customers[0]], input: 1 }, { rows: [orders[0], { id: 'o8', customer: 'c1', amount: 1, ts: 5000 }], input: 0 },
        { watermark: 1000 },
        // A new version of c1 from 4000, read after o8 (5000) arrived but before the watermark passed it.
        { rows: [{ id: 'c1', country: 'AT', ts: 4000 }], input: 1 },
        { watermark: 6000 }
    ], 2);
    assert.deepEqual(out.events.map((e) => ('rows' in e ? summary(e.rows) : e.watermark)), [['o1-DE'], 1000, ['o8-AT'], 6000]);
});

test('a streaming temporal join drops versions no record can need, and a late record joins with what is left', async () => {
    const out = await runOperator(temporalNode('left'), 'streaming', [
        { rows: [customers[0], { id: 'c1', country: 'AT', ts: 4000 }], input: 1 },
        { rows: [{ id: 'o9', customer: 'c1', amount: 1, ts: 5000 }], input: 0 }, { watermark: 6000 },
        // Late: at 1000 c1 was DE, but that version was dropped when the watermark passed 4000.
        { rows: [orders[0]], input: 0 }, { watermark: 7000 }
    ], 2);
    assert.deepEqual(out.events.map((e) => ('rows' in e ? summary(e.rows) : e.watermark)), [['o9-AT'], 6000, ['o1-null'], 7000]);
});

test('a later version with the same time replaces the earlier one, and batch mode gives what streaming gives', async () => {
    const versions = [...customers, { id: 'c1', country: 'CH', ts: 500 }];
    const steps = [{ rows: orders, input: 0 }, { watermark: 3000 }, { rows: versions, input: 1 }, { end: 1 }, { end: 0 }];
    const batch = await runOperator(temporalNode('left'), 'batch', steps, 2);
    assert.deepEqual(summary(batch.rows), ['o1-CH', 'o2-null', 'o3-null', 'o4-null', 'o5-CH']);
    const streaming = await runOperator(temporalNode('left'), 'streaming', steps.filter((s) => !('watermark' in s)), 2);
    assert.deepEqual(summary(streaming.rows), summary(batch.rows));
});

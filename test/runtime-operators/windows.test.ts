/**
 * Windows on event time fire on the watermark: [start, end) with start inclusive and end
 * exclusive; late records are dropped and counted, or go to the `late` side output.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LogicalNode, NamedExpr, WindowSpec } from '../../protocol/logical-graph.js';
import type { Row } from '../../runtime/src/operators/operator.js';
import { call, field, node, schema, windowEnd, windowStart } from './graph-nodes.js';
import { runOperator, runSource, type Step } from './operator-harness.js';

const events = schema({ user: 'string', ts: 'timestamp' });
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const perUser: NamedExpr[] = [
    { name: 'user', expr: field('user', 'string') },
    { name: 'n', expr: call('count', [], 'long') },
    { name: 'start', expr: windowStart },
    { name: 'end', expr: windowEnd }
];

function windowNode(window: WindowSpec, extra: Partial<LogicalNode> = {}, allowedLatenessMs?: number): LogicalNode {
    return node({ kind: 'aggregate', keys: [field('user', 'string')], fields: perUser, window, rolling: false, ...(allowedLatenessMs ? { allowedLatenessMs } : {}) }, events, extra);
}

/** The out-of-order fixture, read by the jsonl source. */
async function readEvents(): Promise<Row[]> {
    const source = node({ kind: 'source', sourceName: 'events', connector: 'jsonl', path: fixture('events-out-of-order.jsonl'), options: {}, bounded: true, onError: 'fail' }, events);
    return (await runSource(source, 'batch')).rows;
}

/** One record at a time, each followed by the watermark a source with this delay emits (max ts - delay). */
function withWatermarks(rows: Row[], delayMs: number): Step[] {
    let max = -Infinity;
    return rows.flatMap((r) => {
        max = Math.max(max, r.ts as number);
        return [{ rows: [r] }, { watermark: max - delayMs }];
    });
}

const sortRows = (rows: Row[]) => [...rows].sort((a, b) => (a.end as number) - (b.end as number) || String(a.user).localeCompare(String(b.user)));

test('tumbling windows fire on the watermark, include their start, exclude their end and drop late records counted', async () => {
    const out = await runOperator(windowNode({ type: 'tumbling', sizeMs: 10_000, timeField: 'ts' }), 'streaming', withWatermarks(await readEvents(), 2000));
    assert.deepEqual(sortRows(out.rows), [
        { user: 'a', n: 3, start: 0, end: 10_000 },          // 1000, 2000, 9999
        { user: 'b', n: 1, start: 0, end: 10_000 },          // 3000 (4000 came after the watermark passed 10000)
        { user: 'a', n: 1, start: 10_000, end: 20_000 },     // 12000
        { user: 'b', n: 1, start: 10_000, end: 20_000 },     // 10000 (19999 came after the watermark passed 20000)
        { user: 'a', n: 1, start: 20_000, end: 30_000 },     // 25000, at the end of input
        { user: 'b', n: 1, start: 20_000, end: 30_000 }      // 20000
    ]);
    assert.deepEqual(out.dropped, { late: 3 });
    // The first window fired on the watermark 10000 (the log shows a watermark after what it fired).
    const firstFiring = out.events.findIndex((e) => 'rows' in e);
    assert.deepEqual(out.events[firstFiring + 1], { watermark: 10_000 });
});

test('late records go to the late side output when the window declares one', async () => {
    const out = await runOperator(windowNode({ type: 'tumbling', sizeMs: 10_000, timeField: 'ts' }, { sideOutputs: ['late'] }), 'streaming', withWatermarks(await readEvents(), 2000));
    assert.deepEqual(out.side.late, [{ user: 'b', ts: 4000 }, { user: 'a', ts: 8000 }, { user: 'b', ts: 19_999 }]);
    assert.deepEqual(out.dropped, {});
});

test('allowed lateness keeps a fired window and fires it again with the late record', async () => {
    const steps: Step[] = [{ rows: [{ user: 'a', ts: 1000 }] }, { watermark: 10_000 }, { rows: [{ user: 'a', ts: 2000 }] }, { watermark: 16_000 }, { rows: [{ user: 'a', ts: 3000 }] }];
    const out = await runOperator(windowNode({ type: 'tumbling', sizeMs: 10_000, timeField: 'ts' }, {}, 5000), 'streaming', steps);
    assert.deepEqual(out.rows, [{ user: 'a', n: 1, start: 0, end: 10_000 }, { user: 'a', n: 2, start: 0, end: 10_000 }]);
    assert.deepEqual(out.dropped, { late: 1 });
});

test('sliding windows assign a record to every window that covers it', async () => {
    const rows = [{ user: 'a', ts: 1000 }, { user: 'a', ts: 6000 }, { user: 'a', ts: 12_000 }];
    const out = await runOperator(windowNode({ type: 'sliding', sizeMs: 10_000, slideMs: 5000, timeField: 'ts' }), 'batch', [{ rows }]);
    assert.deepEqual(out.rows, [
        { user: 'a', n: 1, start: -5000, end: 5000 },
        { user: 'a', n: 2, start: 0, end: 10_000 },
        { user: 'a', n: 2, start: 5000, end: 15_000 },
        { user: 'a', n: 1, start: 10_000, end: 20_000 }
    ]);
});

test('session windows merge when a record bridges two sessions of the same key', async () => {
    const rows = [
        { user: 'a', ts: 1000 }, { user: 'a', ts: 12_000 }, { user: 'b', ts: 2000 },
        { user: 'a', ts: 5000 }, { user: 'a', ts: 9000 }, { user: 'a', ts: 40_000 }
    ];
    const out = await runOperator(windowNode({ type: 'session', gapMs: 5000, timeField: 'ts' }), 'streaming', [
        { rows: rows.slice(0, 3) }, { watermark: 4000 }, { rows: rows.slice(3) }, { watermark: 30_000 }
    ]);
    assert.deepEqual(out.rows, [
        { user: 'b', n: 1, start: 2000, end: 7000 },
        { user: 'a', n: 4, start: 1000, end: 17_000 },
        { user: 'a', n: 1, start: 40_000, end: 45_000 }
    ]);
    assert.deepEqual(out.events.map((e) => ('watermark' in e ? `wm ${e.watermark}` : e.rows.length)), ['wm 4000', 2, 'wm 30000', 1]);
});

test('a record whose session would already be complete is late', async () => {
    const out = await runOperator(windowNode({ type: 'session', gapMs: 5000, timeField: 'ts' }), 'streaming', [
        { rows: [{ user: 'a', ts: 20_000 }] }, { watermark: 18_000 }, { rows: [{ user: 'a', ts: 1000 }, { user: 'a', ts: 15_000 }] }
    ]);
    assert.deepEqual(out.rows, [{ user: 'a', n: 2, start: 15_000, end: 25_000 }]);
    assert.deepEqual(out.dropped, { late: 1 });
});

test('processing-time windows fire when the clock passes their end', async () => {
    const out = await runOperator(windowNode({ type: 'tumbling', sizeMs: 10_000 }), 'streaming', [
        { time: 1000 }, { rows: [{ user: 'a', ts: 0 }, { user: 'b', ts: 0 }] }, { time: 5000 }, { rows: [{ user: 'a', ts: 0 }] },
        { time: 10_000 }, { time: 12_000 }, { rows: [{ user: 'a', ts: 0 }] }
    ]);
    assert.deepEqual(out.events.map((e) => ('rows' in e ? e.rows : e)), [
        [{ user: 'a', n: 2, start: 0, end: 10_000 }, { user: 'b', n: 1, start: 0, end: 10_000 }],
        [{ user: 'a', n: 1, start: 10_000, end: 20_000 }]
    ]);
});

test('in batch mode every window fires at the end of input, in window order', async () => {
    const out = await runOperator(windowNode({ type: 'tumbling', sizeMs: 10_000, timeField: 'ts' }), 'batch', [{ rows: await readEvents() }]);
    assert.equal(out.events.length, 1);
    assert.deepEqual(out.rows.map((r) => `${r.user}@${r.start}:${r.n}`), ['a@0:4', 'b@0:2', 'b@10000:2', 'a@10000:1', 'a@20000:1', 'b@20000:1']);
});

test('max_by and min_by keep the value of the largest and smallest ordering when sessions merge, equal orderings taking the larger value', async () => {
    const bids = schema({ user: 'string', ts: 'timestamp', price: 'double?', item: 'string' });
    const PRICE = field('price', 'double?');
    const ITEM = field('item', 'string');
    const fields: NamedExpr[] = [
        { name: 'user', expr: field('user', 'string') },
        { name: 'top', expr: call('max_by', [ITEM, PRICE], 'string') },
        { name: 'low', expr: call('min_by', [ITEM, PRICE], 'string') }
    ];
    const session = node({ kind: 'aggregate', keys: [field('user', 'string')], fields, window: { type: 'session', gapMs: 5000, timeField: 'ts' }, rolling: false }, bids);
    // Two sessions of 'a' (1000 and 12 000) merged by the record at 8000; equal top prices 9 ('x' and 'y').
    const rows = [
        { user: 'a', ts: 1000, price: 9, item: 'x' }, { user: 'a', ts: 12_000, price: 9, item: 'y' },
        { user: 'a', ts: 8000, price: null, item: 'z' }, { user: 'a', ts: 4000, price: 2, item: 'w' }
    ];
    const out = await runOperator(session, 'streaming', [{ rows: rows.slice(0, 2) }, { rows: rows.slice(2) }, { watermark: 30_000 }]);
    assert.deepEqual(out.rows, [{ user: 'a', top: 'y', low: 'w' }]);
});

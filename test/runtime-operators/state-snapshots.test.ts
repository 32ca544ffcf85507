/**
 * Stateful operators hand their live state to a checkpoint, which serialises it at once with v8's
 * structured clone (as the task's checkpointer does), and an operator restored from those bytes
 * continues exactly where the first left off.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import type { LogicalNode } from '../../protocol/logical-graph.js';
import { createOperator } from '../../runtime/src/operators/operator-factory.js';
import type { Row, StreamOperator } from '../../runtime/src/operators/operator.js';
import { call, field, node, schema, windowEnd } from './graph-nodes.js';
import { recordingContext, type Recorded, type Step } from './operator-harness.js';

const events = schema({ user: 'string', url: 'string', ts: 'timestamp' });
const rows: Row[] = [
    { user: 'a', url: '/x', ts: 1000 }, { user: 'b', url: '/y', ts: 2000 }, { user: 'a', url: '/y', ts: 4000 },
    { user: 'a', url: '/x', ts: 12_000 }, { user: 'b', url: '/x', ts: 13_000 }, { user: 'a', url: '/z', ts: 31_000 }
];
const user = field('user', 'string');
const fields = [
    { name: 'user', expr: user },
    { name: 'n', expr: call('count', [], 'long') },
    { name: 'urls', expr: call('count', [field('url', 'string')], 'long', true) },
    { name: 'visited', expr: call('collect', [field('url', 'string')], { kind: 'array', element: { kind: 'string' } }) }
];
const windowed = [...fields, { name: 'end', expr: windowEnd }];

const cases: [string, LogicalNode, Step[], number][] = [
    ['a keyed aggregate', node({ kind: 'aggregate', keys: [user], fields, rolling: false }, events), [{ rows: rows.slice(0, 3) }, { rows: rows.slice(3) }], 1],
    ['a tumbling window', node({ kind: 'aggregate', keys: [user], fields: windowed, rolling: false, window: { type: 'tumbling', sizeMs: 10_000, timeField: 'ts' } }, events),
        [{ rows: rows.slice(0, 4) }, { watermark: 10_000 }, { rows: rows.slice(4) }, { watermark: 20_000 }], 2],
    ['a session window', node({ kind: 'aggregate', keys: [user], fields: windowed, rolling: false, window: { type: 'session', gapMs: 5000, timeField: 'ts' } }, events),
        [{ rows: rows.slice(0, 3) }, { watermark: 3000 }, { rows: rows.slice(3) }, { watermark: 20_000 }], 2],
    ['a distinct', node({ kind: 'distinct' }, schema({ user: 'string' })), [{ rows: rows.map((r) => ({ user: r.user })).slice(0, 3) }, { rows: rows.map((r) => ({ user: r.user })).slice(3) }], 1],
    ['a streaming join', node({ kind: 'join', joinType: 'left', leftKeys: [user], rightKeys: [field('id', 'string')], leftFields: ['user', 'url'], rightFields: [{ from: 'name', as: 'name' }] }, schema({ user: 'string', url: 'string', name: 'string?' })),
        [{ rows: rows.slice(0, 2), input: 0 }, { rows: [{ id: 'a', name: 'Ann' }], input: 1 }, { rows: rows.slice(2), input: 0 }, { end: 1 }, { end: 0 }], 2],
    // Windows 10 s and 20 s are pending when the snapshot is taken.
    ['a per-window orderBy', node({ kind: 'orderBy', keys: [{ expr: field('n', 'long'), descending: true }], window: { fields: ['end'], endField: 'end', endOffsetMs: 0, eventTime: true } }, schema({ user: 'string', n: 'long', end: 'timestamp' })),
        [{ rows: [{ user: 'a', n: 1, end: 10_000 }, { user: 'b', n: 2, end: 20_000 }] }, { rows: [{ user: 'c', n: 3, end: 10_000 }] }, { watermark: 10_000 }, { rows: [{ user: 'd', n: 4, end: 20_000 }] }, { watermark: 20_000 }], 2],
    ['a per-window limit', node({ kind: 'limit', count: 1, window: { fields: ['end'], endField: 'end', endOffsetMs: 0, eventTime: true } }, schema({ user: 'string', end: 'timestamp' })),
        [{ rows: [{ user: 'a', end: 10_000 }, { user: 'b', end: 20_000 }] }, { rows: [{ user: 'c', end: 10_000 }] }, { watermark: 10_000 }, { rows: [{ user: 'd', end: 20_000 }] }, { watermark: 20_000 }], 1],
    // Snapshotted before any watermark: -Infinity must survive.
    ['an interval join', node({
        kind: 'join', joinType: 'left', leftKeys: [user], rightKeys: [field('id', 'string')], withinMs: 2000,
        leftFields: ['user', 'url', 'ts'], rightFields: [{ from: 'name', as: 'name' }, { from: 'ts', as: 'seen' }]
    }, schema({ user: 'string', url: 'string', ts: 'timestamp', name: 'string?', seen: 'timestamp?' })),
    [{ rows: rows.slice(0, 3), input: 0 }, { rows: [{ id: 'a', name: 'Ann', ts: 3000 }], input: 1 }, { watermark: 9000 }, { rows: rows.slice(3), input: 0 }, { end: 1 }, { end: 0 }], 1],
    // Snapshotted with versions kept and left records waiting for the watermark.
    ['a temporal join', node({
        kind: 'join', joinType: 'left', leftKeys: [user], rightKeys: [field('id', 'string')], temporal: true, leftTimeField: 'ts', rightTimeField: 'since',
        leftFields: ['user', 'url', 'ts'], rightFields: [{ from: 'name', as: 'name' }, { from: 'since', as: 'since' }]
    }, schema({ user: 'string', url: 'string', ts: 'timestamp', name: 'string?', since: 'timestamp?' })),
    [{ rows: [{ id: 'a', name: 'Ann', since: 0 }, { id: 'b', name: 'Bob', since: 1500 }], input: 1 }, { rows: rows.slice(0, 3), input: 0 }, { watermark: 2500 },
        { rows: [{ id: 'a', name: 'Anna', since: 3000 }], input: 1 }, { rows: rows.slice(3), input: 0 }, { watermark: 12_500 }, { end: 1 }, { end: 0 }], 3]
];

function apply(op: StreamOperator, step: Step): void {
    if ('rows' in step) op.processBatch(step.rows, step.input ?? 0);
    else if ('watermark' in step) op.processWatermark?.(step.watermark);
    else if ('end' in step) op.endOfInput?.(step.end);
}

async function start(n: LogicalNode, rec: Recorded): Promise<StreamOperator> {
    const op = createOperator(n, 'streaming');
    await op.open?.(recordingContext(n, 'streaming', rec));
    return op;
}

const fresh = (): Recorded => ({ rows: [], side: {}, dropped: {}, watermarks: [], idle: [], printed: '', collected: [], events: [] });

for (const [name, n, steps, split] of cases) {
    test(`${name} restored from its serialised snapshot continues as if never stopped`, async () => {
        const whole = fresh();
        const uninterrupted = await start(n, whole);
        for (const step of steps) apply(uninterrupted, step);
        if (!steps.some((s) => 'end' in s)) uninterrupted.endOfInput?.(0);

        const head = fresh();
        const first = await start(n, head);
        for (const step of steps.slice(0, split)) apply(first, step);
        const emittedBeforeBarrier = head.rows.length;
        const bytes = serialize(first.snapshotState!());
        // The snapshot is the live state, not a copy: the bytes taken at the barrier are the copy,
        // so what the first operator does afterwards never reaches them.
        for (const step of steps.slice(split)) apply(first, step);
        const tail = fresh();
        const second = await start(n, tail);
        second.restoreState!(deserialize(bytes));
        for (const step of steps.slice(split)) apply(second, step);
        if (!steps.some((s) => 'end' in s)) second.endOfInput?.(0);
        const resumed = { rows: [...head.rows.slice(0, emittedBeforeBarrier), ...tail.rows] };

        assert.ok(whole.rows.length > 0);
        assert.deepEqual(resumed.rows, whole.rows);
    });
}

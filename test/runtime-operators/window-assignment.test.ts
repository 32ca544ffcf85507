/**
 * The window aggregate's assignment (tumbling, sliding, cumulate) keeps the time bucket of the
 * records before it in a batch and recomputes it only when a record falls outside. Generated
 * streams (fixed seed) of disordered, late and negative timestamps, keys and watermarks, cut into
 * random batches: the results equal (1) those of the same records one per batch, where no bucket
 * carries over, in the same order, late-record side output included, and (2) a count per window
 * and key computed by brute force over every window that can hold each record.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { LogicalNode, WindowSpec } from '../../protocol/logical-graph.js';
import { createOperator } from '../../runtime/src/operators/operator-factory.js';
import type { Row } from '../../runtime/src/operators/operator.js';
import { call, field, node, schema, windowEnd, windowStart } from './graph-nodes.js';

type TimeWindow = Extract<WindowSpec, { type: 'tumbling' | 'sliding' | 'cumulate' }>;

const spec: fc.Arbitrary<TimeWindow> = fc.oneof(
    fc.integer({ min: 1, max: 40 }).map((size): TimeWindow => ({ type: 'tumbling', sizeMs: size, timeField: 'ts' })),
    fc.tuple(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 4 })).map(([slide, times]): TimeWindow => ({ type: 'sliding', sizeMs: slide * times, slideMs: slide, timeField: 'ts' })),
    fc.tuple(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 4 })).map(([step, times]): TimeWindow => ({ type: 'cumulate', sizeMs: step * times, stepMs: step, timeField: 'ts' }))
);

/** Records around a drifting clock (runs of near-equal times, jumps back and forth, some null), and where watermarks come. */
const stream = fc.array(fc.record({
    drift: fc.integer({ min: -30, max: 60 }),
    key: fc.constantFrom('a', 'b', 'c', 'é'),
    watermarkAfter: fc.option(fc.integer({ min: 0, max: 50 }), { freq: 4 }),
    cut: fc.boolean()
}), { minLength: 1, maxLength: 80 });

interface Step { rows: Row[]; watermark: number | null }

type StreamItem = { drift: number; key: string; watermarkAfter: number | null; cut: boolean };

/** The stream as batches: a batch ends where `cut` is set or a watermark follows. */
function batchesOf(items: StreamItem[], start: number): Step[] {
    const steps: Step[] = [];
    let clock = start;
    let rows: Row[] = [];
    for (const item of items) {
        clock += item.drift;
        rows.push({ key: item.key, ts: clock });
        const watermark = item.watermarkAfter === null ? null : clock - item.watermarkAfter;
        if (item.cut || watermark !== null) {
            steps.push({ rows, watermark });
            rows = [];
        }
    }
    if (rows.length > 0) steps.push({ rows, watermark: null });
    return steps;
}

function windowNode(window: TimeWindow, lateness: number): LogicalNode {
    return node({
        kind: 'aggregate', keys: [field('key', 'string')], rolling: false, window, ...(lateness > 0 ? { allowedLatenessMs: lateness } : {}),
        fields: [{ name: 'key', expr: field('key', 'string') }, { name: 'n', expr: call('count', [], 'long') }, { name: 'start', expr: windowStart }, { name: 'end', expr: windowEnd }]
    }, schema({ key: 'string', n: 'long', start: 'timestamp', end: 'timestamp' }));
}

/** What the operator emits and routes as late, for these steps (each batch split in ones when `oneByOne`). */
function run(n: LogicalNode, steps: Step[], oneByOne: boolean): { out: Row[]; late: Row[] } {
    const out: Row[] = [];
    const late: Row[] = [];
    const op = createOperator(n, 'streaming');
    op.open?.({
        node: n, subtaskIndex: 0, parallelism: 1, mode: 'streaming', emit: (rows: Row[]) => { out.push(...rows); },
        emitSide: (_tag: string, rows: Row[]) => { late.push(...rows); }, processingTime: () => 0, countDropped: (count: number) => { for (let i = 0; i < count; i++) late.push({ dropped: true }); }
    } as never);
    for (const step of steps) {
        if (oneByOne) for (const r of step.rows) op.processBatch([r], 0);
        else op.processBatch(step.rows, 0);
        if (step.watermark !== null) op.processWatermark?.(step.watermark);
    }
    op.endOfInput?.(0);
    return { out, late };
}

/** Every window [start, end) of `w` that holds `ts`, by trying each candidate start near it. */
function bruteForceWindows(w: TimeWindow, ts: number): { start: number; end: number }[] {
    const found: { start: number; end: number }[] = [];
    if (w.type === 'cumulate') {
        for (let start = Math.floor(ts / w.sizeMs) * w.sizeMs - w.sizeMs; start <= ts; start += w.sizeMs) {
            for (let end = start + w.stepMs; end <= start + w.sizeMs; end += w.stepMs) if (start <= ts && ts < end) found.push({ start, end });
        }
        return found;
    }
    const slide = w.type === 'sliding' ? w.slideMs : w.sizeMs;
    for (let start = Math.floor(ts / slide) * slide - w.sizeMs - slide; start <= ts; start += slide) if (start <= ts && ts < start + w.sizeMs) found.push({ start, end: start + w.sizeMs });
    return found;
}

test('tumbling, sliding and cumulate windows assign each record as when it comes alone, and count what a brute-force assignment counts, late records and empty windows included', () => {
    fc.assert(fc.property(spec, stream, fc.integer({ min: -200, max: 1e12 }), fc.constantFrom(0, 0, 5, 25), (window, items, start, lateness) => {
        const steps = batchesOf(items, start);
        const n = windowNode(window, lateness);
        const batched = run(n, steps, false);
        const single = run(n, steps, true);
        assert.deepEqual(batched, single);
        if (lateness === 0 && steps.every((s) => s.watermark === null)) {
            // No watermark before the end: nothing is late, every window fires once at the end of input.
            const expected = new Map<string, number>();
            for (const r of steps.flatMap((s) => s.rows)) {
                for (const w of bruteForceWindows(window, r.ts as number)) {
                    const id = `${r.key as string}|${w.start}|${w.end}`;
                    expected.set(id, (expected.get(id) ?? 0) + 1);
                }
            }
            const actual = new Map(batched.out.map((r) => [`${r.key as string}|${r.start as number}|${r.end as number}`, r.n as number]));
            assert.deepEqual(new Map([...actual].sort()), new Map([...expected].sort()));
            assert.equal(batched.late.length, 0);
        }
    }), { seed: 20261128, numRuns: 400 });
});

/**
 * The keep operators' event-time timer queue (runtime/src/operators/key-timer-queue.ts) gives
 * back its timers earliest first, whatever the order they were pushed and popped in, and a
 * rebuild from the live timers holds exactly those.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { KeyTimerQueue } from '../../runtime/src/operators/key-timer-queue.js';

const operations = fc.array(fc.oneof(
    fc.record({ push: fc.integer({ min: -1000, max: 1000 }), key: fc.integer({ min: 0, max: 20 }) }),
    fc.constant({ pop: true as const })
), { maxLength: 300 });

test('pushes and pops interleaved give each popped timer the earliest time held, as a sorted list would', () => {
    fc.assert(fc.property(operations, (ops) => {
        const queue = new KeyTimerQueue();
        const reference: [number, number][] = [];
        for (const op of ops) {
            if ('push' in op) {
                queue.push(op.push, op.key);
                reference.push([op.push, op.key]);
            } else {
                const earliest = Math.min(...reference.map(([time]) => time));
                assert.equal(queue.peekTime(), earliest);
                if (reference.length > 0) {
                    // Among equal times any key may come first: it must be one pushed with that time.
                    const at = reference.findIndex(([time, key]) => time === earliest && key === queue.peekKey());
                    assert.ok(at >= 0, `key ${String(queue.peekKey())} was pushed with time ${earliest}`);
                    reference.splice(at, 1);
                }
                queue.pop();
            }
            assert.equal(queue.size, reference.length);
        }
    }), { seed: 11, numRuns: 300 });
});

test('a rebuild holds exactly the live timers given, earliest first', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer(), fc.integer({ min: -1e6, max: 1e6 })), { maxLength: 200 }), (timers) => {
        const queue = new KeyTimerQueue();
        for (let i = 0; i < 50; i++) queue.push(i, `stale-${i}`);
        queue.rebuild(timers);
        const popped: number[] = [];
        while (queue.size > 0) {
            popped.push(queue.peekTime());
            queue.pop();
        }
        assert.deepEqual(popped, timers.map(([, time]) => time).sort((a, b) => a - b));
    }), { seed: 12, numRuns: 200 });
});

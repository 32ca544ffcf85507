/**
 * Barrier alignment in a task's input gate (exchange/input-gate.ts): in exactly-once mode what a
 * channel sends after its barrier waits until every open channel delivered the barrier; in
 * at-least-once mode nothing waits; a channel that ends no longer holds a barrier back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputGate, type InputEvent } from '../../../runtime/src/exchange/input-gate.js';

function gate(aligned: boolean): InputGate {
    return new InputGate([{ input: 0, returnCredits: () => {} }, { input: 0, returnCredits: () => {} }], aligned);
}

/** Every event until the gate has nothing more, data as the first row's `v`, barriers as `|n`. */
function drain(g: InputGate): string[] {
    const seen: string[] = [];
    for (let i = 0; i < 100; i++) {
        const e: InputEvent = g.poll();
        if (e.kind === 'data') seen.push(String(e.rows![0].v));
        else if (e.kind === 'barrier') seen.push(`|${e.checkpointId}`);
        else if (e.kind === 'input-ended') seen.push('end');
        else if (g.isEmpty) break;
    }
    return seen;
}

test('exactly-once: records a channel sends after its barrier wait until the other channel delivers the barrier', () => {
    const g = gate(true);
    g.deliver(0, { kind: 'data', rows: [{ v: 'a1' }] });
    g.deliver(0, { kind: 'barrier', checkpointId: 1 });
    g.deliver(0, { kind: 'data', rows: [{ v: 'a2' }] });
    g.deliver(1, { kind: 'data', rows: [{ v: 'b1' }] });
    g.deliver(1, { kind: 'barrier', checkpointId: 1 });
    g.deliver(1, { kind: 'data', rows: [{ v: 'b2' }] });
    assert.deepEqual(drain(g), ['a1', 'b1', '|1', 'a2', 'b2']);
    // a2 waited for the alignment: the checkpoint's alignment_buffered counts it.
    assert.equal(g.alignmentBuffered, 1);
});

test('at-least-once: records after a barrier pass at once; the barrier passes when the last channel delivers it', () => {
    const g = gate(false);
    g.deliver(0, { kind: 'data', rows: [{ v: 'a1' }] });
    g.deliver(0, { kind: 'barrier', checkpointId: 1 });
    g.deliver(0, { kind: 'data', rows: [{ v: 'a2' }] });
    g.deliver(1, { kind: 'data', rows: [{ v: 'b1' }] });
    g.deliver(1, { kind: 'barrier', checkpointId: 1 });
    assert.deepEqual(drain(g), ['a1', 'a2', 'b1', '|1']);
});

test('a channel that ends releases a barrier the other channel delivered, and what was held behind it', () => {
    const g = gate(true);
    g.deliver(0, { kind: 'barrier', checkpointId: 3 });
    g.deliver(0, { kind: 'data', rows: [{ v: 'a-after' }] });
    g.deliver(1, { kind: 'data', rows: [{ v: 'b-last' }] });
    g.deliver(1, { kind: 'end-of-data' });
    assert.deepEqual(drain(g), ['b-last', '|3', 'a-after']);
});

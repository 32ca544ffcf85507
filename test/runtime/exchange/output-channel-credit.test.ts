/**
 * A channel's credits stand for buffers of BUFFER_RECORDS records (runtime/src/exchange/
 * output-channel.ts): for generated sequences of batches of any size (rows, partial aggregates,
 * columns; empty, small, and many buffers large) mixed with watermarks, idle markers, barriers and
 * the end of data, and a receiver (the real InputGate) taking them at generated moments, neither
 * the records nor the messages in flight ever exceed what the credits allow, and the receiver
 * gets every record and every control message in the order sent, each record in a batch of the
 * kind it was sent in.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BUFFER_RECORDS, type ChannelMessage } from '../../../runtime/src/exchange/channel-message.js';
import { InputGate } from '../../../runtime/src/exchange/input-gate.js';
import { OutputChannel } from '../../../runtime/src/exchange/output-channel.js';

type Step =
    | { kind: 'rows' | 'partial' | 'columns'; n: number }
    | { kind: 'watermark'; idle: boolean }
    | { kind: 'barrier' }
    | { kind: 'take'; n: number };

const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom('rows' as const, 'partial' as const, 'columns' as const), n: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 900, max: 9000 })) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('watermark' as const), idle: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('barrier' as const) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('take' as const), n: fc.integer({ min: 1, max: 6 }) }) }
);

/** What the receiver sees, in order: one entry per record (its number and batch kind) or control message. */
type Seen = string;

test('a channel never has more records or batches in flight than its credits allow, and delivers everything in order', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), (steps, window) => {
        const inFlight: number[] = [];
        // Unaligned, so the one channel's barriers pass at once; credit returns go straight back.
        const gate = new InputGate([{ input: 0, returnCredits: (n) => { inFlight.shift(); channel.addCredits(n); } }], false);
        const channel = new OutputChannel(0, (message) => {
            if (message.kind === 'data') inFlight.push(message.columns?.length ?? message.rows!.length);
            const records = inFlight.reduce((a, b) => a + b, 0);
            assert.ok(records <= window * BUFFER_RECORDS, `${records} records in flight, ${window} credits of ${BUFFER_RECORDS}`);
            assert.ok(inFlight.length <= window, `${inFlight.length} batches in flight, ${window} credits`);
            gate.deliver(0, message);
            return 0;
        }, () => {}, window);
        const sent: Seen[] = [];
        const seen: Seen[] = [];
        let next = 0;
        let barrier = 0;
        let watermark = 0;
        const take = (max: number): void => {
            for (let i = 0; i < max && !gate.isEmpty; i++) {
                const event = gate.poll();
                if (event.kind === 'data') {
                    if (event.columns !== undefined) for (let r = 0; r < event.columns.length; r++) seen.push(`${event.columns.columns[0][r]}:columns`);
                    else for (const row of event.rows) seen.push(`${row.i}:${event.partial ? 'partial' : 'rows'}`);
                } else if (event.kind === 'barrier') seen.push(`barrier ${event.checkpointId}`);
                else if (event.kind === 'watermark') seen.push(`watermark ${event.timestamp}`);
                else if (event.kind === 'input-ended') seen.push('end');
            }
        };
        const send = (message: ChannelMessage): void => channel.send(message);
        for (const s of steps) {
            if (s.kind === 'take') take(s.n);
            else if (s.kind === 'watermark') {
                // An idle marker does not move the combined watermark; a new one does.
                if (s.idle) send({ kind: 'watermark', timestamp: watermark, idle: true });
                else {
                    send({ kind: 'watermark', timestamp: ++watermark });
                    sent.push(`watermark ${watermark}`);
                }
            } else if (s.kind === 'barrier') {
                send({ kind: 'barrier', checkpointId: ++barrier });
                sent.push(`barrier ${barrier}`);
            } else {
                const ids = Array.from({ length: s.n }, () => next++);
                for (const i of ids) sent.push(`${i}:${s.kind}`);
                if (s.kind === 'columns') send({ kind: 'data', columns: { fields: ['i', 'x'], columns: [ids, ids.map((i) => i * 2)], length: s.n } });
                else if (s.kind === 'partial') send({ kind: 'data', rows: ids.map((i) => ({ i })), partial: true });
                else send({ kind: 'data', rows: ids.map((i) => ({ i })) });
            }
        }
        send({ kind: 'end-of-data' });
        sent.push('end');
        while (!gate.isEmpty) take(1);
        assert.equal(channel.blocked, false, 'the backlog drains once the receiver took everything');
        assert.equal(inFlight.length, 0);
        assert.deepEqual(seen, sent);
    }), { numRuns: 200 });
});

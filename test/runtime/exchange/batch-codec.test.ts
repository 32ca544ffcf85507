/**
 * The columnar batch codec (runtime/src/exchange/batch-codec.ts) through a real MessagePort, as
 * batches cross between TaskManager threads: every value a record can hold comes back exactly
 * (numbers incl. -0 and NaN, nulls, undefined, unicode strings, booleans, nested records and
 * arrays, columns of mixed types), and each column takes the path its values allow: typed arrays
 * for numbers and booleans (with nulls), one text for strings (with nulls), the generic
 * structured-clone fallback for the rest.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import fc from 'fast-check';
import { decodeBatch, encodeBatch, type EncodedBatch } from '../../../runtime/src/exchange/batch-codec.js';
import type { Row } from '../../../runtime/src/operators/operator.js';

/** Sends an encoded batch over a real MessagePort with its transfer list and returns what arrives. */
async function roundTrip(rows: Row[], fields: string[] | null): Promise<{ sent: EncodedBatch; rows: Row[] }> {
    const { port1, port2 } = new MessageChannel();
    try {
        const { batch, transfer } = encodeBatch(rows, fields);
        const kinds = { ...batch, columns: batch.columns.map(columnKind) } as unknown as EncodedBatch;
        const received = new Promise<EncodedBatch>((resolve) => port2.once('message', resolve));
        port1.postMessage(batch, transfer);
        return { sent: kinds, rows: decodeBatch(await received) };
    } finally {
        port1.close();
        port2.close();
    }
}

function columnKind(column: EncodedBatch['columns'][number]): string {
    if (column instanceof Float64Array) return 'float64';
    if (Array.isArray(column)) return 'generic';
    if ('text' in column) return 'strings';
    return column.values === null ? 'tagged booleans' : 'tagged numbers';
}

const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', 'é', '日本語', '🙂👍🏽', 'a\u0000b', '"quoted"'));
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-0, NaN, Infinity, -Infinity, 2 ** 53 + 2));
const nested = fc.jsonValue().map((v) => (typeof v === 'object' && v !== null ? v : [v]));
const nullish = fc.constantFrom(null, undefined);

/** A column generator: one kind of value (some with nulls), or anything at all. */
const columnOf = fc.constantFrom<fc.Arbitrary<unknown>>(
    number,
    fc.oneof(number, nullish),
    fc.boolean(),
    fc.oneof(fc.boolean(), nullish),
    text,
    fc.oneof(text, nullish),
    nested,
    nullish,
    fc.oneof(number, fc.boolean(), text, nested, nullish)
);

test('every value of every column survives a trip through a MessagePort exactly, whatever the column holds', async () => {
    await fc.assert(fc.asyncProperty(
        fc.array(columnOf, { minLength: 1, maxLength: 6 }).chain((columns) => fc.tuple(
            fc.constant(columns.map((_, i) => `f${i}`)),
            fc.array(fc.tuple(...columns), { minLength: 0, maxLength: 300 })
        )),
        async ([fields, tuples]) => {
            const rows = tuples.map((values) => Object.fromEntries(fields.map((f, i) => [f, values[i]])) as Row);
            const { rows: back } = await roundTrip(rows, fields);
            assert.deepStrictEqual(back, rows);
        }
    ), { numRuns: 200, seed: 20261128 });
});

test('numbers travel as Float64Arrays, numbers or booleans with nulls as tagged typed arrays, strings as one text, and records and mixed columns by the generic fallback', async () => {
    const rows: Row[] = [];
    for (let i = 0; i < 2000; i++) {
        rows.push({
            id: i, amount: i % 7 === 0 ? null : i * 1.5, flag: i % 5 === 0 ? null : i % 2 === 0, on: i % 3 === 0,
            name: i % 11 === 0 ? null : `名前-${i}`, tags: { first: i, list: [i, 'x', null] }, mixed: i % 2 === 0 ? i : `${i}`
        });
    }
    const { sent, rows: back } = await roundTrip(rows, Object.keys(rows[0]));
    assert.deepEqual(sent.columns, ['float64', 'tagged numbers', 'tagged booleans', 'tagged booleans', 'strings', 'generic', 'generic']);
    assert.deepStrictEqual(back, rows);
});

test('without a schema a batch travels as rows, exactly', async () => {
    const rows: Row[] = [{ a: 1, b: 'x' }, { c: null, d: [1, { e: '🙂' }] }, {}];
    const { sent, rows: back } = await roundTrip(rows, null);
    assert.equal(sent.fields, null);
    assert.deepStrictEqual(back, rows);
});

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
import { decodeBatch, decodeColumns, encodeBatch, encodeColumns, STRING_CHUNK, type EncodedBatch } from '../../../runtime/src/exchange/batch-codec.js';
import type { ColumnBatch } from '../../../runtime/src/operators/column-batch.js';
import type { Row } from '../../../runtime/src/operators/operator.js';

/** Sends an encoded batch over a real MessagePort with its transfer list and returns what arrives. */
async function roundTrip(rows: Row[], fields: string[] | null): Promise<{ sent: EncodedBatch; rows: Row[]; transferred: number }> {
    const { port1, port2 } = new MessageChannel();
    try {
        const { batch, transfer } = encodeBatch(rows, fields);
        const kinds = { ...batch, columns: batch.columns.map(columnKind) } as unknown as EncodedBatch;
        const received = new Promise<EncodedBatch>((resolve) => port2.once('message', resolve));
        port1.postMessage(batch, transfer);
        return { sent: kinds, rows: decodeBatch(await received), transferred: transfer.length };
    } finally {
        port1.close();
        port2.close();
    }
}

function columnKind(column: EncodedBatch['columns'][number]): string {
    if (column.kind === 'numbers') return 'float64';
    if (column.kind === 'tagged') return column.values < 0 ? 'tagged booleans' : 'tagged numbers';
    return column.kind;
}

/** Strings, lone surrogates (not valid UTF-16, still exact JS strings) and long ones included. */
const text = fc.oneof(
    fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }),
    fc.constantFrom('', 'é', '日本語', '🙂👍🏽', 'a\u0000b', '"quoted"', '\uD800', 'x\uDFFFy'),
    fc.string({ unit: 'grapheme', minLength: 500, maxLength: 3000 })
);
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-0, NaN, Infinity, -Infinity, 2 ** 53 + 2));
/** Decimals are their canonical text at run time (expressions/decimal-values.ts), timestamps epoch milliseconds. */
const decimal = fc.tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 6 }))
    .map(([unscaled, scale]) => {
        const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
        return `${unscaled < 0n ? '-' : ''}${scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`}`;
    });
const timestamp = fc.integer({ min: -8_640_000_000_000, max: 8_640_000_000_000 });
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
    decimal,
    fc.oneof(decimal, nullish),
    timestamp,
    fc.oneof(timestamp, nullish),
    nested,
    nullish,
    fc.oneof(number, fc.boolean(), text, nested, nullish),
    // Nested records as a record holds them (plain objects).
    fc.tuple(timestamp, fc.oneof(decimal, nullish), text, number).map(([at, price, name, id]) => ({ at, price, seller: { name, id } }))
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

/** Sends a column batch encoded from its columns over a real MessagePort; returns what arrives, as columns. */
async function columnsRoundTrip(batch: ColumnBatch): Promise<{ sent: EncodedBatch; columns: ColumnBatch }> {
    const { port1, port2 } = new MessageChannel();
    try {
        const { batch: encoded, transfer } = encodeColumns(batch);
        const sent = { ...encoded, columns: encoded.columns.map((c) => (c.kind === 'strings' ? { ...c, texts: c.texts.length } : c)) } as unknown as EncodedBatch;
        const received = new Promise<EncodedBatch>((resolve) => port2.once('message', resolve));
        port1.postMessage(encoded, transfer);
        return { sent, columns: decodeColumns(await received)! };
    } finally {
        port1.close();
        port2.close();
    }
}

test('a column batch encoded from its columns (plain arrays, Float64Arrays, columns longer than the batch) comes back as the same columns, and as the same rows', async () => {
    await fc.assert(fc.asyncProperty(
        fc.array(columnOf, { minLength: 1, maxLength: 6 }).chain((columns) => fc.tuple(
            fc.constant(columns.map((_, i) => `f${i}`)),
            fc.array(fc.tuple(...columns), { minLength: 0, maxLength: 300 }),
            fc.array(fc.boolean(), { minLength: columns.length, maxLength: columns.length }),
            fc.nat({ max: 3 })
        )),
        async ([fields, tuples, typed, spare]) => {
            const n = tuples.length;
            const expected = fields.map((_, c) => tuples.map((t) => t[c]));
            // A column of numbers may be a Float64Array (datagen's), and any column may hold more than the batch.
            const columns = expected.map((values, c) => {
                const padded = [...values, ...Array.from({ length: spare }, () => 'not in the batch')];
                return typed[c] && values.every((v) => typeof v === 'number') ? Float64Array.from(padded.map((v) => (typeof v === 'number' ? v : 0))) : padded;
            });
            const batch: ColumnBatch = { fields, columns, length: n };
            const { columns: back } = await columnsRoundTrip(batch);
            assert.deepStrictEqual(back.fields, fields);
            assert.equal(back.length, n);
            back.columns.forEach((column, c) => assert.deepStrictEqual(Array.from(column), expected[c]));
            // The encoder only read the batch: it is unchanged and encodes again to the same records.
            assert.deepStrictEqual(Array.from(columns[0]).slice(0, n), expected[0]);
            const rows = tuples.map((t) => Object.fromEntries(fields.map((f, c) => [f, t[c]])) as Row);
            const { rows: asRows } = await roundTrip(rows, fields);
            assert.deepStrictEqual(asRows, rows);
        }
    ), { numRuns: 150, seed: 20261129 });
});

test('a string column longer than one text travels in several texts, each string whole in one, and comes back exactly', async () => {
    // Lengths that put strings exactly on, just over and far over a text's end, empty strings and nulls between them.
    const values: (string | null | undefined)[] = [];
    const pieces = ['', 'é', '🙂', '\uD83D', 'z'.repeat(STRING_CHUNK - 1), 'y'.repeat(STRING_CHUNK), 'w'.repeat(STRING_CHUNK + 7), '日本'.repeat(900)];
    for (let i = 0; i < 600; i++) values.push(i % 13 === 0 ? null : i % 17 === 0 ? undefined : pieces[(i * 7) % pieces.length] + (i % 3 === 0 ? '' : String(i)));
    const { sent, columns } = await columnsRoundTrip({ fields: ['s'], columns: [values], length: values.length });
    const texts = (sent.columns[0] as unknown as { texts: number }).texts;
    assert.ok(texts > 10, `${texts} texts`);
    assert.deepStrictEqual(Array.from(columns.columns[0]), values);
});

test('numbers travel as float64 values, numbers or booleans with nulls as tagged values, strings as texts and lengths, and records and mixed columns by the generic fallback', async () => {
    const rows: Row[] = [];
    for (let i = 0; i < 2000; i++) {
        rows.push({
            id: i, amount: i % 7 === 0 ? null : i * 1.5, flag: i % 5 === 0 ? null : i % 2 === 0, on: i % 3 === 0,
            name: i % 11 === 0 ? null : `名前-${i}`, tags: { first: i, list: [i, 'x', null] }, mixed: i % 2 === 0 ? i : `${i}`
        });
    }
    const { sent, rows: back, transferred } = await roundTrip(rows, Object.keys(rows[0]));
    assert.deepEqual(sent.columns, ['float64', 'tagged numbers', 'tagged booleans', 'tagged booleans', 'strings', 'generic', 'generic']);
    // Every typed part of every column in one transferred buffer.
    assert.equal(transferred, 1);
    assert.deepStrictEqual(back, rows);
});

test('a column whose values leave one typed form late in the batch (a null after numbers, a number after strings and nulls, a string after booleans) comes back exactly, beside columns that keep their form', async () => {
    // Each form is tried in turn on the same part of the batch's buffer: what an abandoned form
    // wrote there must not show through the form the column ends up taking.
    const n = 700;
    const columns: Record<string, (i: number) => unknown> = {
        nullLast: (i) => (i === n - 1 ? null : i * 0.25 - 3),
        numberAfterStrings: (i) => (i === n - 2 ? 42.5 : i % 9 === 0 ? null : `s${i}`),
        numberAfterNulls: (i) => (i < n - 1 ? (i % 2 === 0 ? null : undefined) : -7),
        stringAfterBooleans: (i) => (i === n - 1 ? 'late' : i % 4 === 0 ? null : i % 3 === 0),
        booleansAfterNulls: (i) => (i < n / 2 ? null : i % 2 === 0),
        numbers: (i) => 1e15 + i,
        strings: (i) => `名前-${i}`
    };
    const rows: Row[] = Array.from({ length: n }, (_, i) => Object.fromEntries(Object.entries(columns).map(([f, v]) => [f, v(i)])) as Row);
    const { sent, rows: back } = await roundTrip(rows, Object.keys(columns));
    assert.deepEqual(sent.columns, ['tagged numbers', 'generic', 'tagged numbers', 'generic', 'tagged booleans', 'float64', 'strings']);
    assert.deepStrictEqual(back, rows);
    const fields = Object.keys(columns);
    const { columns: asColumns } = await columnsRoundTrip({ fields, columns: fields.map((f) => rows.map((r) => r[f])), length: n });
    asColumns.columns.forEach((column, c) => assert.deepStrictEqual(Array.from(column), rows.map((r) => r[fields[c]]), fields[c]));
});

test('without a schema a batch travels as rows, exactly', async () => {
    const rows: Row[] = [{ a: 1, b: 'x' }, { c: null, d: [1, { e: '🙂' }] }, {}];
    const { sent, rows: back } = await roundTrip(rows, null);
    assert.equal(sent.fields, null);
    assert.deepStrictEqual(back, rows);
});

/**
 * Schema-aware columnar encoding of a batch for crossing threads. Structured-cloning an array of
 * row objects costs a lot per object; columns do not: a numeric field travels as one transferable
 * Float64Array, a numeric field with nulls as a Float64Array plus a Uint8Array of tags, a boolean
 * field (nullable or not) as one Uint8Array, a string field (nullable or not) as one string
 * holding all its values plus an Int32Array of lengths, and any other field (nested records and
 * arrays, fields of mixed types) as one plain array, which structured clone copies (the generic
 * fallback, exact for every value a record can hold). Rows are rebuilt on the other side by a
 * generated constructor, so every decoded row has the same hidden class.
 */
import type { ColumnBatch } from '../operators/column-batch.js';
import type { Row } from '../operators/operator.js';

/** Tags of a tagged column: what the value at an index is (0: the number in `values`, or false). */
const NULL = 1;
const UNDEFINED = 2;
const TRUE = 3;

/**
 * One encoded column: numbers (Float64Array), numbers with nulls (`values` + `tags`), booleans
 * with nulls (`tags` only, VALUE meaning false) or any values (a plain array).
 */
export type EncodedColumn = Float64Array | unknown[] | { values: Float64Array | null; tags: Uint8Array } | StringColumn;

/**
 * A column of strings (and nulls/undefined): one string holding them all, and each one's length
 * (-1: null, -2: undefined). Structured clone copies one flat string instead of one per row.
 */
export interface StringColumn { text: string; lengths: Int32Array }

/** A batch as it crosses a thread boundary. */
export interface EncodedBatch {
    n: number;
    /** Field names; null = rows sent as they are (no schema known). */
    fields: string[] | null;
    columns: EncodedColumn[];
    rows?: Row[];
}

/** Encodes `rows` (all with the fields `fields`); returns the batch, its transfer list and byte size. */
export function encodeBatch(rows: Row[], fields: string[] | null): { batch: EncodedBatch; transfer: ArrayBuffer[]; bytes: number } {
    const n = rows.length;
    if (fields === null) {
        return { batch: { n, fields: null, columns: [], rows }, transfer: [], bytes: estimateBytes(rows) };
    }
    const columns: EncodedColumn[] = [];
    const transfer: ArrayBuffer[] = [];
    let bytes = 0;
    const fill = fillerFor(fields);
    for (let c = 0; c < fields.length; c++) {
        const numbers = new Float64Array(n);
        if (fill.numeric[c](rows, numbers)) {
            columns.push(numbers);
            transfer.push(numbers.buffer);
            bytes += 8 * n;
            continue;
        }
        const values = new Array<unknown>(n);
        bytes += fill.generic[c](rows, values);
        const strings = stringColumn(values);
        if (strings !== undefined) {
            columns.push(strings);
            transfer.push(strings.lengths.buffer as ArrayBuffer);
            continue;
        }
        const tagged = tagColumn(values);
        if (tagged !== undefined) {
            columns.push(tagged);
            transfer.push(tagged.tags.buffer as ArrayBuffer);
            if (tagged.values !== null) transfer.push(tagged.values.buffer as ArrayBuffer);
            bytes = bytes - 8 * n + (tagged.values !== null ? 9 * n : n);
            continue;
        }
        columns.push(values);
    }
    return { batch: { n, fields, columns }, transfer, bytes };
}

/**
 * Encodes a column batch (a keyed edge's per-channel buffer, exchange/column-buffer.ts) without
 * building rows: a Float64Array column travels as it is (transferred: the batch must not be used
 * after), a column of numbers as a new Float64Array, any other as `encodeBatch` encodes a field.
 */
export function encodeColumns(columns: ColumnBatch): { batch: EncodedBatch; transfer: ArrayBuffer[]; bytes: number } {
    const n = columns.length;
    const encoded: EncodedColumn[] = [];
    const transfer: ArrayBuffer[] = [];
    let bytes = 0;
    for (let c = 0; c < columns.fields.length; c++) {
        const column = columns.columns[c];
        if (column instanceof Float64Array) {
            const view = column.length === n ? column : column.subarray(0, n);
            encoded.push(view);
            if (!transfer.includes(view.buffer as ArrayBuffer)) transfer.push(view.buffer as ArrayBuffer);
            bytes += 8 * n;
            continue;
        }
        const values = Array.isArray(column) && column.length === n ? column as unknown[] : Array.from({ length: n }, (_, i) => column[i]);
        const numbers = numericColumn(values);
        if (numbers !== undefined) {
            encoded.push(numbers);
            transfer.push(numbers.buffer as ArrayBuffer);
            bytes += 8 * n;
            continue;
        }
        const strings = stringColumn(values);
        if (strings !== undefined) {
            encoded.push(strings);
            transfer.push(strings.lengths.buffer as ArrayBuffer);
            bytes += strings.text.length + 4 * n;
            continue;
        }
        const tagged = tagColumn(values);
        if (tagged !== undefined) {
            encoded.push(tagged);
            transfer.push(tagged.tags.buffer as ArrayBuffer);
            if (tagged.values !== null) transfer.push(tagged.values.buffer as ArrayBuffer);
            bytes += tagged.values !== null ? 9 * n : n;
            continue;
        }
        encoded.push(values);
        bytes += 8 * n;
    }
    return { batch: { n, fields: columns.fields.slice(), columns: encoded }, transfer, bytes };
}

/** A column of numbers only as a Float64Array; undefined for anything else. */
function numericColumn(values: unknown[]): Float64Array | undefined {
    const n = values.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
        const v = values[i];
        if (typeof v !== 'number') return undefined;
        out[i] = v;
    }
    return out;
}

/**
 * A column of numbers and nulls/undefined, or of booleans and nulls/undefined, as typed arrays;
 * undefined for anything else (strings, objects, numbers mixed with booleans).
 */
function tagColumn(values: unknown[]): { values: Float64Array | null; tags: Uint8Array } | undefined {
    const n = values.length;
    const tags = new Uint8Array(n);
    let numbers: Float64Array | null = null;
    let booleans = false;
    for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null) tags[i] = NULL;
        else if (v === undefined) tags[i] = UNDEFINED;
        else if (typeof v === 'number') {
            if (booleans) return undefined;
            numbers ??= new Float64Array(n);
            numbers[i] = v;
        } else if (typeof v === 'boolean') {
            if (numbers !== null) return undefined;
            booleans = true;
            if (v) tags[i] = TRUE;
        } else {
            return undefined;
        }
    }
    return { values: numbers, tags };
}

/** A column of strings with nulls/undefined as one text and lengths; undefined for anything else. */
function stringColumn(values: unknown[]): StringColumn | undefined {
    const n = values.length;
    const lengths = new Int32Array(n);
    let text = '';
    let strings = 0;
    for (let i = 0; i < n; i++) {
        const v = values[i];
        if (typeof v === 'string') {
            text += v;
            lengths[i] = v.length;
            strings++;
        } else if (v === null) {
            lengths[i] = -1;
        } else if (v === undefined) {
            lengths[i] = -2;
        } else {
            return undefined;
        }
    }
    return strings === 0 ? undefined : { text, lengths };
}

/** The plain values of a string column. */
function unpackStrings(column: StringColumn): unknown[] {
    const { text, lengths } = column;
    const out = new Array<unknown>(lengths.length);
    let at = 0;
    for (let i = 0; i < lengths.length; i++) {
        const length = lengths[i];
        if (length >= 0) {
            out[i] = text.slice(at, at + length);
            at += length;
        } else {
            out[i] = length === -1 ? null : undefined;
        }
    }
    return out;
}

/** The plain values of a tagged column. */
function untagColumn(column: { values: Float64Array | null; tags: Uint8Array }): unknown[] {
    const { values, tags } = column;
    const out = new Array<unknown>(tags.length);
    for (let i = 0; i < tags.length; i++) {
        const tag = tags[i];
        out[i] = tag === NULL ? null : tag === UNDEFINED ? undefined : tag === TRUE ? true : values === null ? false : values[i];
    }
    return out;
}

type NumericFill = (rows: Row[], out: Float64Array) => boolean;
type GenericFill = (rows: Row[], out: unknown[]) => number;
const fillers = new Map<string, { numeric: NumericFill[]; generic: GenericFill[] }>();

/** Per-field column fillers with the field name written into the code (a fast named property load). */
function fillerFor(fields: string[]): { numeric: NumericFill[]; generic: GenericFill[] } {
    const key = fields.join('\u0000');
    let fill = fillers.get(key);
    if (!fill) {
        fill = {
            numeric: fields.map((f) => new Function('rows', 'out',
                `for (let i = 0; i < rows.length; i++) { const v = rows[i][${JSON.stringify(f)}]; if (typeof v !== 'number') return false; out[i] = v; } return true;`) as NumericFill),
            generic: fields.map((f) => new Function('rows', 'out',
                `let bytes = 0; for (let i = 0; i < rows.length; i++) { const v = rows[i][${JSON.stringify(f)}]; out[i] = v; bytes += typeof v === 'string' ? v.length + 4 : 8; } return bytes;`) as GenericFill)
        };
        fillers.set(key, fill);
    }
    return fill;
}

type Decoded = (Float64Array | unknown[])[];
const decoders = new Map<string, (columns: Decoded, i: number) => Row>();

/**
 * The columns of an encoded batch with a schema (numbers stay in their Float64Array; strings and
 * tagged columns unpack to plain arrays): rows are built later only if the receiver needs them.
 * Undefined for a batch sent as rows.
 */
export function decodeColumns(batch: EncodedBatch): ColumnBatch | undefined {
    if (batch.fields === null) return undefined;
    const columns = batch.columns.map((c) => (c instanceof Float64Array || Array.isArray(c) ? c : 'text' in c ? unpackStrings(c) : untagColumn(c)));
    return { fields: batch.fields, columns, length: batch.n };
}

/** Rebuilds the rows of an encoded batch. */
export function decodeBatch(batch: EncodedBatch): Row[] {
    if (batch.fields === null) return batch.rows ?? [];
    const make = decoderFor(batch.fields);
    const columns: Decoded = batch.columns.map((c) => (c instanceof Float64Array || Array.isArray(c) ? c : 'text' in c ? unpackStrings(c) : untagColumn(c)));
    const rows = new Array<Row>(batch.n);
    for (let i = 0; i < batch.n; i++) rows[i] = make(columns, i);
    return rows;
}

function decoderFor(fields: string[]): (columns: Decoded, i: number) => Row {
    const key = fields.join('\u0000');
    let make = decoders.get(key);
    if (!make) {
        // An object literal with fixed keys is the fastest way to build many rows of one shape.
        const body = `return {${fields.map((f, c) => `${JSON.stringify(f)}: c[${c}][i]`).join(', ')}};`;
        make = new Function('c', 'i', body) as (columns: Decoded, i: number) => Row;
        decoders.set(key, make);
    }
    return make;
}

function estimateBytes(rows: Row[]): number {
    return rows.length === 0 ? 0 : rows.length * JSON.stringify(rows[0]).length;
}

/**
 * Schema-aware columnar encoding of a batch for crossing threads, one encoder for batches of rows
 * and column batches alike (rows are read one field at a time). Each column takes the cheapest
 * form its values allow:
 * - numbers: float64 values;
 * - numbers or booleans with nulls/undefined: a byte of tag per record (null, undefined, true),
 *   plus float64 values for numbers;
 * - strings with nulls/undefined: the strings concatenated into texts of about STRING_CHUNK
 *   characters, plus an int32 length per record (-1 null, -2 undefined);
 * - anything else (nested records and arrays, fields of mixed types): one plain array, which
 *   structured clone copies exactly (the generic fallback, exact for every value a record holds).
 * Every typed part of every column shares one ArrayBuffer, transferred (one detach per batch, not
 * one per column). Strings go as several texts, not one: a string longer than V8's largest
 * regular heap object (128 KB) is allocated in its large-object space, fresh pages per string, and
 * flattening and cloning such a text cost ~10x a short one's per character (measured with a
 * MessagePort: 1,024 strings of 250 characters as one text ~500 us per batch, in 16 K texts
 * ~70-140 us; a Nexmark bid's strings, 65 characters, stay one text per column).
 * On the other side numbers are read straight from the buffer (a Float64Array view), strings are
 * slices of their text, and rows are built only if the receiver needs them, by a generated
 * constructor, so every decoded row has the same hidden class.
 */
import type { ColumnBatch } from '../operators/column-batch.js';
import type { Row } from '../operators/operator.js';

/** Tags of a tagged column: what the value at an index is (0: the number in `values`, or false). */
const NULL = 1;
const UNDEFINED = 2;
const TRUE = 3;

/** Characters per text of a string column (a batch of short strings fits one; two-byte text stays below 128 KB). */
export const STRING_CHUNK = 60_000;

/**
 * One encoded column. `at` and `values` are byte offsets into the batch's buffer: float64 values
 * (`numbers`), tags and optional float64 values (`tagged`), int32 lengths (`strings`).
 */
export type EncodedColumn =
    | { kind: 'numbers'; at: number }
    | { kind: 'tagged'; at: number; values: number }
    | { kind: 'strings'; at: number; texts: string[] }
    | { kind: 'generic'; values: unknown[] };

/** A batch as it crosses a thread boundary. */
export interface EncodedBatch {
    n: number;
    /** Field names; null = rows sent as they are (no schema known). */
    fields: string[] | null;
    columns: EncodedColumn[];
    /** The typed parts of every column (transferred); null when no column has one. */
    buffer: ArrayBuffer | null;
    rows?: Row[];
}

export interface Encoded { batch: EncodedBatch; transfer: ArrayBuffer[]; bytes: number }

/** Encodes `rows` (all with the fields `fields`); returns the batch, its transfer list and byte size. */
export function encodeBatch(rows: Row[], fields: string[] | null): Encoded {
    if (fields === null) {
        return { batch: { n: rows.length, fields: null, columns: [], buffer: null, rows }, transfer: [], bytes: estimateBytes(rows) };
    }
    const fill = fillerFor(fields);
    return encode(fields, rows.length, (c, out) => fill.numeric[c](rows, out), (c) => {
        const values = new Array<unknown>(rows.length);
        fill.generic[c](rows, values);
        return values;
    });
}

/**
 * Encodes a column batch (a keyed edge's per-channel buffer, exchange/column-buffer.ts, or any
 * ColumnBatch), only the fields `only` names when given (in the batch's order; see
 * shipped-fields.ts). The batch's columns are only read: it may be used after.
 */
export function encodeColumns(batch: ColumnBatch, only?: readonly string[] | null): Encoded {
    const columns = only ? selectColumns(batch, only) : batch;
    const n = columns.length;
    return encode(columns.fields, n, (c, out) => fillNumbers(columns.columns[c], out), (c) => {
        const column = columns.columns[c];
        return Array.isArray(column) && column.length === n ? column as unknown[] : Array.from({ length: n }, (_, i) => column[i]);
    });
}

/**
 * The batch of `n` records whose column c `numbers(c, out)` writes into `out` when every value is
 * a number (false otherwise, `out` then holds anything) and `values(c)` gives as plain values.
 *
 * The buffer is laid out before any value is read, from `n` alone: column c owns the region
 * [c * R, (c + 1) * R) with R = align(n) + 8n, enough for any of its typed parts (a tagged column's
 * tags, then 8n bytes for float64 values or int32 lengths; every part 8-byte aligned, as a
 * Float64Array view needs). So each value is written once, straight into the buffer that is
 * transferred, whatever form its column ends up taking. A region a column does not fill (a
 * string column's second half, a generic column's whole region) only costs its zeroing; `bytes`
 * counts the parts used.
 */
function encode(fields: readonly string[], n: number, numbers: (c: number, out: Float64Array) => boolean, values: (c: number) => unknown[]): Encoded {
    const tagsBytes = align(n);
    const region = tagsBytes + 8 * n;
    const buffer = new ArrayBuffer(fields.length * region);
    const encoded: EncodedColumn[] = [];
    let typed = false;
    let bytes = 0;
    for (let c = 0; c < fields.length; c++) {
        const at = c * region;
        const partAt = at + tagsBytes;
        if (numbers(c, new Float64Array(buffer, partAt, n))) {
            encoded.push({ kind: 'numbers', at: partAt });
            bytes += 8 * n;
            typed = true;
            continue;
        }
        const plain = values(c);
        const strings = stringColumn(plain, new Int32Array(buffer, partAt, n));
        if (strings !== undefined) {
            encoded.push({ kind: 'strings', at: partAt, texts: strings.texts });
            bytes += align(4 * n) + strings.chars;
            typed = true;
            continue;
        }
        const tagged = tagColumn(plain, new Uint8Array(buffer, at, n), new Float64Array(buffer, partAt, n));
        if (tagged !== undefined) {
            encoded.push({ kind: 'tagged', at, values: tagged.numbers ? partAt : -1 });
            bytes += tagsBytes + (tagged.numbers ? 8 * n : 0);
            typed = true;
            continue;
        }
        encoded.push({ kind: 'generic', values: plain });
        bytes += 8 * n;
    }
    return { batch: { n, fields: fields.slice(), columns: encoded, buffer: typed ? buffer : null }, transfer: typed ? [buffer] : [], bytes };
}

/** Writes the first `out.length` values of `column` into `out`; false when one is not a number. */
function fillNumbers(column: ArrayLike<unknown>, out: Float64Array): boolean {
    const n = out.length;
    if (column instanceof Float64Array) {
        out.set(column.length === n ? column : column.subarray(0, n));
        return true;
    }
    for (let i = 0; i < n; i++) {
        const v = column[i];
        if (typeof v !== 'number') return false;
        out[i] = v;
    }
    return true;
}

/** The columns of `batch` whose fields `only` names. */
function selectColumns(batch: ColumnBatch, only: readonly string[]): ColumnBatch {
    const wanted = new Set(only);
    const fields: string[] = [];
    const columns: ArrayLike<unknown>[] = [];
    batch.fields.forEach((f, c) => {
        if (!wanted.has(f)) return;
        fields.push(f);
        columns.push(batch.columns[c]);
    });
    return { fields, columns, length: batch.length };
}

function align(bytes: number): number {
    return (bytes + 7) & ~7;
}

/**
 * A column of numbers and nulls/undefined, or of booleans and nulls/undefined, written into
 * `tags` (zeroed) and `numbers` (whether it holds numbers is returned); undefined for anything
 * else (strings, objects, numbers mixed with booleans).
 */
function tagColumn(values: unknown[], tags: Uint8Array, numbers: Float64Array): { numbers: boolean } | undefined {
    const n = values.length;
    let sawNumbers = false;
    let booleans = false;
    for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null) tags[i] = NULL;
        else if (v === undefined) tags[i] = UNDEFINED;
        else if (typeof v === 'number') {
            if (booleans) return undefined;
            sawNumbers = true;
            numbers[i] = v;
        } else if (typeof v === 'boolean') {
            if (sawNumbers) return undefined;
            booleans = true;
            if (v) tags[i] = TRUE;
        } else {
            return undefined;
        }
    }
    return { numbers: sawNumbers };
}

/**
 * A column of strings with nulls/undefined as texts of about STRING_CHUNK characters and each
 * value's length (written into `lengths`); undefined for anything else (or for no string at all).
 * A string never spans two texts, so the receiver moves to the next text when the next string does
 * not fit the current one.
 */
function stringColumn(values: unknown[], lengths: Int32Array): { texts: string[]; chars: number } | undefined {
    const n = values.length;
    const texts: string[] = [];
    let text = '';
    let chars = 0;
    let strings = 0;
    for (let i = 0; i < n; i++) {
        const v = values[i];
        if (typeof v === 'string') {
            if (text.length > 0 && text.length + v.length > STRING_CHUNK) {
                texts.push(text);
                text = '';
            }
            text += v;
            lengths[i] = v.length;
            chars += v.length;
            strings++;
        } else if (v === null || v === undefined) {
            lengths[i] = v === null ? -1 : -2;
        } else {
            return undefined;
        }
    }
    if (strings === 0) return undefined;
    texts.push(text);
    return { texts, chars };
}

/** The values of a string column: each a slice of its text (which V8 shares rather than copies). */
function unpackStrings(texts: string[], lengths: Int32Array): unknown[] {
    const out = new Array<unknown>(lengths.length);
    let t = 0;
    let text = texts[0];
    let at = 0;
    for (let i = 0; i < lengths.length; i++) {
        const length = lengths[i];
        if (length >= 0) {
            if (at + length > text.length) {
                text = texts[++t];
                at = 0;
            }
            out[i] = text.slice(at, at + length);
            at += length;
        } else {
            out[i] = length === -1 ? null : undefined;
        }
    }
    return out;
}

/** The plain values of a tagged column. */
function untagColumn(tags: Uint8Array, values: Float64Array | null): unknown[] {
    const out = new Array<unknown>(tags.length);
    for (let i = 0; i < tags.length; i++) {
        const tag = tags[i];
        out[i] = tag === NULL ? null : tag === UNDEFINED ? undefined : tag === TRUE ? true : values === null ? false : values[i];
    }
    return out;
}

type NumericFill = (rows: Row[], out: Float64Array) => boolean;
type GenericFill = (rows: Row[], out: unknown[]) => void;
const fillers = new Map<string, { numeric: NumericFill[]; generic: GenericFill[] }>();

/**
 * Per-field column fillers with the field name written into the code (a fast named property
 * load). A numeric field goes straight into its Float64Array view of the batch's buffer: through a
 * plain array, every value that is not a small integer (a timestamp, a price) would be boxed once
 * more.
 */
function fillerFor(fields: readonly string[]): { numeric: NumericFill[]; generic: GenericFill[] } {
    const key = fields.join('\u0000');
    let fill = fillers.get(key);
    if (!fill) {
        fill = {
            numeric: fields.map((f) => new Function('rows', 'out',
                `for (let i = 0; i < rows.length; i++) { const v = rows[i][${JSON.stringify(f)}]; if (typeof v !== 'number') return false; out[i] = v; } return true;`) as NumericFill),
            generic: fields.map((f) => new Function('rows', 'out',
                `for (let i = 0; i < rows.length; i++) out[i] = rows[i][${JSON.stringify(f)}];`) as GenericFill)
        };
        fillers.set(key, fill);
    }
    return fill;
}

type Decoded = ArrayLike<unknown>[];
const decoders = new Map<string, (columns: Decoded, i: number) => Row>();

/** The columns of an encoded batch with a schema: numbers are views of its buffer, strings and tagged values plain arrays. */
function columnsOf(batch: EncodedBatch): Decoded {
    const n = batch.n;
    const buffer = batch.buffer!;
    return batch.columns.map((c) => {
        switch (c.kind) {
            case 'numbers': return new Float64Array(buffer, c.at, n);
            case 'strings': return unpackStrings(c.texts, new Int32Array(buffer, c.at, n));
            case 'tagged': return untagColumn(new Uint8Array(buffer, c.at, n), c.values >= 0 ? new Float64Array(buffer, c.values, n) : null);
            case 'generic': return c.values;
        }
    });
}

/**
 * The columns of an encoded batch with a schema (numbers stay in the batch's buffer; strings and
 * tagged columns unpack to plain arrays): rows are built later only if the receiver needs them.
 * Undefined for a batch sent as rows.
 */
export function decodeColumns(batch: EncodedBatch): ColumnBatch | undefined {
    if (batch.fields === null) return undefined;
    return { fields: batch.fields, columns: columnsOf(batch), length: batch.n };
}

/** Rebuilds the rows of an encoded batch. */
export function decodeBatch(batch: EncodedBatch): Row[] {
    if (batch.fields === null) return batch.rows ?? [];
    const make = decoderFor(batch.fields);
    const columns = columnsOf(batch);
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

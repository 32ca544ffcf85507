/**
 * Schema-aware columnar encoding of a batch for crossing threads. Structured-cloning an array of
 * row objects costs a lot per object; columns do not: numeric fields travel as one transferable
 * Float64Array each, other fields as one plain array each, and rows are rebuilt on the other side
 * by a generated constructor, so every decoded row has the same hidden class.
 */
import type { Row } from '../operators/operator.js';

/** A batch as it crosses a thread boundary. */
export interface EncodedBatch {
    n: number;
    /** Field names; null = rows sent as they are (no schema known). */
    fields: string[] | null;
    columns: (Float64Array | unknown[])[];
    rows?: Row[];
}

/** Encodes `rows` (all with the fields `fields`); returns the batch, its transfer list and byte size. */
export function encodeBatch(rows: Row[], fields: string[] | null): { batch: EncodedBatch; transfer: ArrayBuffer[]; bytes: number } {
    const n = rows.length;
    if (fields === null) {
        return { batch: { n, fields: null, columns: [], rows }, transfer: [], bytes: estimateBytes(rows) };
    }
    const columns: (Float64Array | unknown[])[] = [];
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
        columns.push(values);
    }
    return { batch: { n, fields, columns }, transfer, bytes };
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

const decoders = new Map<string, (columns: (Float64Array | unknown[])[], i: number) => Row>();

/** Rebuilds the rows of an encoded batch. */
export function decodeBatch(batch: EncodedBatch): Row[] {
    if (batch.fields === null) return batch.rows ?? [];
    const make = decoderFor(batch.fields);
    const rows = new Array<Row>(batch.n);
    for (let i = 0; i < batch.n; i++) rows[i] = make(batch.columns, i);
    return rows;
}

function decoderFor(fields: string[]): (columns: (Float64Array | unknown[])[], i: number) => Row {
    const key = fields.join('\u0000');
    let make = decoders.get(key);
    if (!make) {
        // An object literal with fixed keys is the fastest way to build many rows of one shape.
        const body = `return {${fields.map((f, c) => `${JSON.stringify(f)}: c[${c}][i]`).join(', ')}};`;
        make = new Function('c', 'i', body) as (columns: (Float64Array | unknown[])[], i: number) => Row;
        decoders.set(key, make);
    }
    return make;
}

function estimateBytes(rows: Row[]): number {
    return rows.length === 0 ? 0 : rows.length * JSON.stringify(rows[0]).length;
}

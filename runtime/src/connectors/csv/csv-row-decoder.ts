/**
 * Typed rows straight from the csv text: a decoder specialised to one schema and header turns a
 * record's cells, given as offsets into the decoded text, into a row, without the intermediate
 * cell strings, raw text and record objects of the general path. Numbers are read from their
 * characters (no substring). It only takes the plain case: where anything could differ from the
 * general path (a cell count that is not the header's, an empty line, a value convertText would
 * trim, reject or read another way), it returns undefined, and the csv source reads that record
 * the general way, errors and all. So a decoded row always equals what convertText would give.
 */
import type { SchemaField } from '../../../../protocol/logical-graph.js';
import type { Row } from '../../operators/operator.js';
import { detachedString } from '../common/detached-string.js';
import { convertText, FieldError } from '../common/row-converter.js';

/**
 * One record's cells as the fast reader found them: cell k is text[starts[k], ends[k]), or, when
 * starts[k] is -1, the unescaped value quoted[k] of a quoted cell.
 */
export interface CsvCells {
    text: string;
    starts: Int32Array;
    ends: Int32Array;
    quoted: string[];
    count: number;
}

/** A row of the schema from a record's cells, or undefined: read this record the general way. */
export type CsvRowDecoder = (cells: CsvCells) => Row | undefined;

/** Powers of ten that are exact doubles (10^22 is the largest). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The number text[from, to) spells, for plain decimals only (an optional sign, digits, at most one
 * point, at most 15 digits): the quotient of two exact doubles, so correctly rounded, as Number()
 * rounds. NaN for anything else (spaces, exponents, hex, empty), which Number() then reads.
 */
export function plainDecimal(text: string, from: number, to: number): number {
    let i = from;
    let c = text.charCodeAt(i);
    const negative = c === 0x2d;
    if (negative || c === 0x2b) i++;
    let mantissa = 0;
    let digits = 0;
    let scale = 0;
    let point = false;
    for (; i < to; i++) {
        c = text.charCodeAt(i);
        if (c >= 0x30 && c <= 0x39) {
            mantissa = mantissa * 10 + (c - 0x30);
            digits++;
            if (point) scale++;
        } else if (c === 0x2e && !point) {
            point = true;
        } else {
            return NaN;
        }
    }
    if (digits === 0 || digits > 15) return NaN;
    const value = scale === 0 ? mantissa : mantissa / POW10[scale];
    return negative ? -value : value;
}

/** The integer text[from, to) spells: an optional sign and 1 to 15 digits; NaN for anything else. */
export function plainInteger(text: string, from: number, to: number): number {
    let i = from;
    let c = text.charCodeAt(i);
    const negative = c === 0x2d;
    if (negative || c === 0x2b) i++;
    if (i >= to || to - i > 15) return NaN;
    let value = 0;
    for (; i < to; i++) {
        c = text.charCodeAt(i);
        if (c < 0x30 || c > 0x39) return NaN;
        value = value * 10 + (c - 0x30);
    }
    return negative ? -value : value;
}

/** Marks a cell the general conversion rejected: the record goes the general way. */
const REJECTED: unique symbol = Symbol('rejected');

/** convertText, with a rejected value as REJECTED rather than a FieldError. */
function general(field: SchemaField, text: string): unknown {
    try {
        return convertText(field, text);
    } catch (err) {
        if (err instanceof FieldError) return REJECTED;
        throw err;
    }
}

/**
 * A decoder for records of `cellCount` cells whose schema field i is in cell columns[i]. The
 * generated function reads each field with code for its type and builds the row as one object
 * literal (the general path's field order).
 */
export function compileCsvRowDecoder(schema: readonly SchemaField[], columns: readonly number[], cellCount: number): CsvRowDecoder {
    // One function per schema and header layout, shared by every split a thread reads: the parse
    // loop's call to it then keeps one target (a new one per split deoptimised the loop).
    const key = JSON.stringify([schema, columns, cellCount]);
    let decoder = decoders.get(key);
    if (decoder === undefined) {
        // A long-running cluster runs job after job: the cache must not grow with them.
        if (decoders.size >= MAX_CACHED_DECODERS) decoders.clear();
        decoders.set(key, (decoder = compileDecoder(schema, columns, cellCount)));
    }
    return decoder;
}

const decoders = new Map<string, CsvRowDecoder>();
const MAX_CACHED_DECODERS = 64;

function compileDecoder(schema: readonly SchemaField[], columns: readonly number[], cellCount: number): CsvRowDecoder {
    const lines: string[] = [];
    const values: string[] = [];
    schema.forEach((field, i) => {
        const col = columns[i];
        const v = `v${i}`;
        const cellText = `(s[${col}] < 0 ? q[${col}] : t.slice(s[${col}], e[${col}]))`;
        const nullable = 'nullable' in field.type && field.type.nullable === true;
        switch (field.type.kind) {
            case 'string':
                // Empty text is '' (or null when nullable), any other text itself, as a copy that
                // does not hold the decoded piece of file (see detached-string.ts).
                lines.push(`const ${v} = detachedString(${cellText});`);
                values.push(nullable ? `${v} === '' ? null : ${v}` : v);
                break;
            case 'int': case 'long': case 'double': {
                const read = field.type.kind === 'double' ? 'plainDecimal' : 'plainInteger';
                lines.push(`let ${v} = s[${col}] < 0 ? NaN : ${read}(t, s[${col}], e[${col}]);`);
                lines.push(`if (${v} !== ${v}) { ${v} = general(schema[${i}], ${cellText}); if (${v} === REJECTED) return undefined; }`);
                values.push(v);
                break;
            }
            default:
                lines.push(`const ${v} = general(schema[${i}], ${cellText});`);
                lines.push(`if (${v} === REJECTED) return undefined;`);
                values.push(v);
        }
    });
    const body = `return function decodeCsvRow(cells) {
        if (cells.count !== ${cellCount}) return undefined;
        const t = cells.text, s = cells.starts, e = cells.ends, q = cells.quoted;
        ${cellCount === 1 ? `if (s[0] >= 0 && s[0] === e[0]) return undefined; // an empty line` : ''}
        ${lines.join('\n        ')}
        return { ${schema.map((f, i) => `${JSON.stringify(f.name)}: ${values[i]}`).join(', ')} };
    };`;
    return new Function('schema', 'general', 'REJECTED', 'plainDecimal', 'plainInteger', 'detachedString', body)(schema, general, REJECTED, plainDecimal, plainInteger, detachedString) as CsvRowDecoder;
}

/**
 * Schema-driven conversion of input values to typed records: text fields (csv) and JSON values
 * (jsonl, inline values). A value that does not fit its field's type raises a FieldError saying
 * which field, what was expected and what was found; the source's bad-row policy decides the rest.
 */
import type { FlowType, SchemaField } from '../../../../protocol/logical-graph.js';
import { parseDuration, parseTimestamp } from '../../expressions/time-values.js';
import { DecimalError, toDecimal } from '../../expressions/decimal-values.js';
import { isIsoDate } from '../../../../protocol/calendar.js';
import type { Row } from '../../operators/operator.js';
import { detachedString } from './detached-string.js';

/** A value that does not fit its field. `index` is the field's position in the input. */
export class FieldError extends Error {
    constructor(readonly field: string, readonly expected: string, readonly found: string, public index = -1) {
        super(`expected ${expected} for field "${field}", found ${found}`);
    }
}

function article(type: FlowType): string {
    return `${/^[aeiou]/.test(type.kind) ? 'an' : 'a'} ${type.kind}`;
}

function describe(value: unknown): string {
    if (value === undefined) return 'nothing (the field is missing)';
    if (value === '') return 'an empty value';
    return JSON.stringify(value);
}

/** A decimal field's value (text or number) at its type's scale, rounded half up; a FieldError when it is not a number or too large. */
function decimalField(field: SchemaField, t: Extract<FlowType, { kind: 'decimal' }>, value: string | number): string {
    try {
        return toDecimal(typeof value === 'string' ? value.trim() : value, t.precision, t.scale);
    } catch (e) {
        if (!(e instanceof DecimalError)) throw e;
        throw new FieldError(field.name, `a decimal(${t.precision}, ${t.scale})`, `${describe(value)} (${e.message})`);
    }
}

const INT_TEXT = /^\s*[-+]?\d+\s*$/;

/** Converts the text of one csv field; empty text is null. */
export function convertText(field: SchemaField, text: string): unknown {
    const t = field.type;
    if (text === '') {
        if (t.kind === 'string' && !('nullable' in t && t.nullable)) return '';
        if ('nullable' in t && t.nullable) return null;
        throw new FieldError(field.name, article(t), describe(text));
    }
    switch (t.kind) {
        // A copy: the cell may be a view of a whole decoded piece of file (detached-string.ts).
        case 'string': return detachedString(text);
        case 'int': case 'long':
            if (INT_TEXT.test(text)) return Number(text);
            break;
        case 'double': {
            const n = Number(text);
            if (text.trim() !== '' && !Number.isNaN(n)) return n;
            break;
        }
        case 'boolean': {
            const s = text.trim().toLowerCase();
            if (s === 'true') return true;
            if (s === 'false') return false;
            break;
        }
        case 'timestamp': {
            const ms = parseTimestamp(text);
            if (ms !== undefined) return ms;
            break;
        }
        case 'duration': {
            const ms = parseDuration(text);
            if (ms !== undefined) return ms;
            break;
        }
        case 'decimal': return decimalField(field, t, text);
        case 'date':
            if (isIsoDate(text.trim())) return text.trim();
            break;
        default:
            try {
                return convertJson(field, JSON.parse(text));
            } catch {
                break;
            }
    }
    throw new FieldError(field.name, article(t), describe(text));
}

/** Converts one JSON value to the field's type (timestamps and durations also from strings). */
export function convertJson(field: SchemaField, value: unknown): unknown {
    const t = field.type;
    if (value === null || value === undefined) {
        if (('nullable' in t && t.nullable) || t.kind === 'null') return null;
        throw new FieldError(field.name, article(t), describe(value));
    }
    switch (t.kind) {
        case 'string': if (typeof value === 'string') return value; break;
        case 'int': case 'long': if (typeof value === 'number' && Number.isInteger(value)) return value; break;
        case 'double': if (typeof value === 'number') return value; break;
        case 'boolean': if (typeof value === 'boolean') return value; break;
        case 'timestamp':
            if (typeof value === 'number') return value;
            if (typeof value === 'string') {
                const ms = parseTimestamp(value);
                if (ms !== undefined) return ms;
            }
            break;
        case 'duration':
            if (typeof value === 'number') return value;
            if (typeof value === 'string') {
                const ms = parseDuration(value);
                if (ms !== undefined) return ms;
            }
            break;
        case 'date':
            if (typeof value === 'string' && isIsoDate(value.trim())) return value.trim();
            break;
        case 'decimal':
            // A JSON number is read from its shortest text: write decimals with more than 15 significant digits as strings.
            if (typeof value === 'number' || typeof value === 'string') return decimalField(field, t, value);
            break;
        case 'array':
            if (Array.isArray(value)) return value.map((v) => convertJson({ name: `${field.name}[]`, type: t.element }, v));
            break;
        case 'record':
            if (typeof value === 'object' && !Array.isArray(value)) return convertJsonRecord(t.fields, value as Record<string, unknown>);
            break;
        default:
            return value;
    }
    throw new FieldError(field.name, article(t), describe(value));
}

/** Converts a parsed JSON object to a record of `schema` (fields in schema order; others dropped). */
export function convertJsonRecord(schema: SchemaField[], value: unknown): Row {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new FieldError('(record)', 'a JSON object', describe(value));
    }
    const obj = value as Record<string, unknown>;
    const row: Row = {};
    for (let i = 0; i < schema.length; i++) {
        const f = schema[i];
        try {
            row[f.name] = convertJson(f, obj[f.name]);
        } catch (err) {
            if (err instanceof FieldError) err.index = i;
            throw err;
        }
    }
    return row;
}

/**
 * A converter for parsed JSON objects specialised to `schema`: a generated fast path checks and
 * copies the fields in one step; anything it does not accept as is (ISO timestamps, nested
 * values, bad values) takes `convertJsonRecord`, which converts or raises the FieldError.
 */
export function compileJsonRecordConverter(schema: SchemaField[]): (value: unknown) => Row {
    const checks: string[] = [];
    const fields: string[] = [];
    let simple = true;
    schema.forEach((f, i) => {
        const v = `v${i}`;
        const nullable = ('nullable' in f.type && f.type.nullable === true) || f.type.kind === 'null';
        let test: string;
        switch (f.type.kind) {
            case 'string': test = `typeof ${v} === 'string'`; break;
            case 'int': case 'long': test = `Number.isInteger(${v})`; break;
            case 'double': case 'timestamp': case 'duration': test = `typeof ${v} === 'number'`; break;
            case 'boolean': test = `typeof ${v} === 'boolean'`; break;
            default: simple = false; test = 'false';
        }
        checks.push(`const ${v} = o[${JSON.stringify(f.name)}];`);
        checks.push(nullable ? `if (${v} != null && !(${test})) return slow(o);` : `if (!(${test})) return slow(o);`);
        fields.push(`${JSON.stringify(f.name)}: ${nullable ? `${v} ?? null` : v}`);
    });
    const slow = (o: unknown) => convertJsonRecord(schema, o);
    if (!simple) return slow;
    return new Function('slow', `return function convertRecord(o) {
        if (o === null || typeof o !== 'object' || Array.isArray(o)) return slow(o);
        ${checks.join('\n')}
        return { ${fields.join(', ')} };
    };`)(slow) as (value: unknown) => Row;
}

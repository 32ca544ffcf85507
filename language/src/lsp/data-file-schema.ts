/**
 * Infers a schema from the first rows of a CSV or JSON-lines file, for the quick fix that writes
 * out the schema of a source so nobody has to type it. Only the head of the file is read.
 */
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

/** An inferred field: its name as written in the file, and a .flow type. */
export interface InferredField {
    name: string;
    type: InferredType;
    nullable: boolean;
}

export type InferredType = 'int' | 'long' | 'double' | 'boolean' | 'timestamp' | 'string' | `${string}[]`;

/** How much of the file is read, and how many records are looked at. */
const HEAD_BYTES = 64 * 1024;
const SAMPLE_ROWS = 200;

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The complete lines at the start of a file (a cut last line is dropped). */
export async function readHead(path: string): Promise<string> {
    const handle = await open(path, 'r');
    try {
        const buffer = Buffer.alloc(HEAD_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
        const text = buffer.subarray(0, bytesRead).toString('utf8');
        return bytesRead < HEAD_BYTES ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    } finally {
        await handle.close();
    }
}

/** The columns of a CSV text: named by its header row, or `column1..n` without one. */
export function inferCsvSchema(text: string, options: { delimiter?: string; header?: boolean } = {}): InferredField[] {
    const rows = parse(text, {
        delimiter: options.delimiter ?? ',', relax_column_count: true, skip_empty_lines: true, to_line: SAMPLE_ROWS + 1
    }) as string[][];
    const header = options.header ?? true;
    const names = header ? rows[0] ?? [] : (rows[0] ?? []).map((_, i) => `column${i + 1}`);
    const body = header ? rows.slice(1) : rows;
    return names.map((name, column) => {
        const values = body.map((row) => row[column] ?? '');
        const present = values.filter((v) => v !== '');
        return { name: name.trim(), type: present.reduce<InferredType | undefined>((t, v) => widen(t, typeOfText(v)), undefined) ?? 'string', nullable: present.length < values.length };
    });
}

/** The fields of a JSON-lines text, in order of first appearance; nested objects become strings. */
export function inferJsonlSchema(text: string): InferredField[] {
    const fields = new Map<string, { type?: InferredType; nullable: boolean; seen: number }>();
    let records = 0;
    for (const line of text.split('\n').slice(0, SAMPLE_ROWS)) {
        if (line.trim() === '') continue;
        let record: unknown;
        try {
            record = JSON.parse(line);
        } catch {
            continue; // A malformed line says nothing about the schema; the runtime reports it.
        }
        if (typeof record !== 'object' || record === null || Array.isArray(record)) continue;
        records++;
        for (const [name, value] of Object.entries(record)) {
            const field = fields.get(name) ?? { nullable: false, seen: 0 };
            field.seen++;
            if (value === null) field.nullable = true;
            else field.type = widen(field.type, typeOfJson(value));
            fields.set(name, field);
        }
    }
    return [...fields].map(([name, f]) => ({ name, type: f.type ?? 'string', nullable: f.nullable || f.seen < records }));
}

function typeOfText(value: string): InferredType {
    if (INTEGER.test(value)) return integerType(Number(value));
    if (DECIMAL.test(value)) return 'double';
    if (BOOLEAN.test(value)) return 'boolean';
    if (TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value))) return 'timestamp';
    return 'string';
}

function typeOfJson(value: unknown): InferredType {
    switch (typeof value) {
        case 'number': return Number.isInteger(value) ? integerType(value) : 'double';
        case 'boolean': return 'boolean';
        case 'string': return TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value)) ? 'timestamp' : 'string';
        default:
            if (Array.isArray(value)) {
                const element = value.filter((v) => v !== null).reduce<InferredType | undefined>((t, v) => widen(t, typeOfJson(v)), undefined);
                return element && !element.endsWith('[]') ? `${element}[]` : 'string[]';
            }
            return 'string';
    }
}

function integerType(n: number): InferredType {
    return n >= -2147483648 && n <= 2147483647 ? 'int' : 'long';
}

const NUMERIC_RANK: Record<string, number> = { int: 0, long: 1, double: 2 };

/** The narrowest type holding both: int < long < double; anything else mixed is a string. */
function widen(a: InferredType | undefined, b: InferredType): InferredType {
    if (a === undefined || a === b) return b;
    if (a in NUMERIC_RANK && b in NUMERIC_RANK) return NUMERIC_RANK[a] > NUMERIC_RANK[b] ? a : b;
    return 'string';
}

/**
 * Snapshot files (`expect s matches snapshot`): the records as JSON lines, fields in schema order,
 * timestamps as ISO-8601 UTC strings (as the jsonl sink writes them), numbers in JavaScript's
 * shortest round-trip form, lines sorted, so the same result always writes the same bytes and a
 * changed result shows as a small diff in review. Read back with the schema, the way a jsonl
 * source reads, and compared as a multiset.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FlowType, SchemaField } from '../../protocol/logical-graph.js';
import { convertJsonRecord, FieldError } from '../../runtime/src/connectors/common/row-converter.js';
import type { Row } from './record-text.js';

/** A snapshot file that cannot be read back. */
export class SnapshotError extends Error {}

function jsonValue(type: FlowType, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    switch (type.kind) {
        case 'timestamp': return typeof value === 'number' && Number.isFinite(value) ? new Date(value).toISOString() : value;
        case 'array': return Array.isArray(value) ? value.map((v) => jsonValue(type.element, v)) : value;
        case 'record': return typeof value === 'object' ? jsonRecord(type.fields, value as Row) : value;
        case 'double': return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
        default: return value;
    }
}

function jsonRecord(schema: SchemaField[], row: Row): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of schema) out[f.name] = jsonValue(f.type, row[f.name]);
    return out;
}

/** The file's text for `rows`. */
export function snapshotText(schema: SchemaField[], rows: Row[]): string {
    const lines = rows.map((r) => JSON.stringify(jsonRecord(schema, r))).sort();
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Writes the snapshot (through a temporary file, so a reader never sees half of it). */
export async function writeSnapshot(path: string, schema: SchemaField[], rows: Row[]): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, snapshotText(schema, rows), 'utf8');
    await rename(temp, path);
}

/** The snapshot's records, or undefined when the file does not exist. */
export async function readSnapshot(path: string, schema: SchemaField[]): Promise<Row[] | undefined> {
    let text: string;
    try {
        text = await readFile(path, 'utf8');
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new SnapshotError(`${path}: cannot read the snapshot (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
    }
    const rows: Row[] = [];
    text.split('\n').forEach((line, i) => {
        if (line.trim() === '') return;
        try {
            rows.push(convertJsonRecord(schema, JSON.parse(line)));
        } catch (error) {
            const why = error instanceof FieldError || error instanceof SyntaxError ? error.message : String(error);
            throw new SnapshotError(`${path}:${i + 1}: not a record of the stream's schema (${why}); delete the file or run with --update-snapshots to write it again.`);
        }
    });
    return rows;
}

/**
 * Records as a test failure shows them, in the .flow syntax a test writes them in:
 * `{ country: "DE", total: 100.0, ts: 2026-01-01T10:00:00Z }`. Fields in schema order; a double
 * always shows its decimal point (100.0), a timestamp as ISO-8601 UTC without zero milliseconds,
 * a duration in milliseconds (`90000ms`), so equal records always read alike.
 */
import type { FlowType, SchemaField } from '../../protocol/logical-graph.js';

export type Row = Record<string, unknown>;

/** One value of `type` as .flow text. */
export function valueText(type: FlowType, value: unknown): string {
    if (value === null || value === undefined) return 'null';
    switch (type.kind) {
        case 'string': return JSON.stringify(value);
        case 'double': return typeof value === 'number' ? doubleText(value) : JSON.stringify(value);
        case 'timestamp': return typeof value === 'number' && Number.isFinite(value) ? timestampText(value) : JSON.stringify(value);
        case 'duration': return typeof value === 'number' ? `${value}ms` : JSON.stringify(value);
        case 'array': return Array.isArray(value) ? `[${value.map((v) => valueText(type.element, v)).join(', ')}]` : JSON.stringify(value);
        case 'record': return typeof value === 'object' ? recordText(type.fields, value as Row) : JSON.stringify(value);
        default: return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
    }
}

/** A record of `schema` as .flow text. */
export function recordText(schema: SchemaField[], row: Row): string {
    if (schema.length === 0) return '{}';
    return `{ ${schema.map((f) => `${f.name}: ${valueText(f.type, row[f.name])}`).join(', ')} }`;
}

/** A double with its decimal point (1 → 1.0), NaN and infinities spelled out. */
export function doubleText(n: number): string {
    if (Number.isNaN(n)) return 'NaN';
    if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
    const text = String(n);
    return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** Epoch milliseconds as `2026-01-01T10:00:00Z` (milliseconds shown only when not zero). */
export function timestampText(ms: number): string {
    const iso = new Date(ms).toISOString();
    return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/**
 * How the debugger shows values: by their Flowline type, so a timestamp reads as an ISO time and
 * a duration as `1m30s` rather than as the milliseconds the record holds; records and arrays
 * expand into their fields and elements.
 */
import type { FlowType } from '../../protocol/logical-graph.js';

/** A value's type as the .flow language writes it: `double`, `string?`, `{ a: int }[]`. */
export function typeText(type: FlowType): string {
    const q = 'nullable' in type && type.nullable ? '?' : '';
    switch (type.kind) {
        case 'null': return 'null';
        case 'array': return `${typeText(type.element)}[]${q}`;
        case 'record': return `{ ${type.fields.map((f) => `${f.name}: ${typeText(f.type)}`).join(', ')} }${q}`;
        default: return `${type.kind}${q}`;
    }
}

/** Milliseconds as the language writes a duration: `1h30m`, `2s500ms`, `0ms`. */
export function durationText(ms: number): string {
    if (!Number.isFinite(ms)) return String(ms);
    const sign = ms < 0 ? '-' : '';
    let rest = Math.abs(ms);
    const parts: string[] = [];
    for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
        const n = Math.floor(rest / size);
        if (n > 0) parts.push(`${n}${unit}`);
        rest -= n * size;
    }
    if (rest > 0 || parts.length === 0) parts.push(`${Number(rest.toFixed(3))}ms`);
    return sign + parts.join('');
}

/** Epoch milliseconds as an ISO-8601 UTC time. */
export function timestampText(ms: number): string {
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}

/** The one-line text of a value of `type` (expandable values get a short summary). */
export function valueText(value: unknown, type: FlowType | undefined): string {
    if (value === null || value === undefined) return 'null';
    switch (type?.kind) {
        case 'timestamp': return typeof value === 'number' ? timestampText(value) : String(value);
        case 'duration': return typeof value === 'number' ? durationText(value) : String(value);
        case 'string': return JSON.stringify(value);
        case 'array': return Array.isArray(value) ? `${typeText(type.element)}[${value.length}]` : plainText(value);
        case 'record': return typeof value === 'object' ? `{ ${type.fields.map((f) => f.name).join(', ')} }` : plainText(value);
        default: return plainText(value);
    }
}

/** Text of untyped plain data (state, metrics): strings quoted, objects summarised. */
export function plainText(value: unknown): string {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'string') return JSON.stringify(value);
    if (Array.isArray(value)) return `Array(${value.length})`;
    if (typeof value === 'object') {
        const keys = Object.keys(value);
        return `{ ${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''} }`;
    }
    return String(value);
}

/** The children of an expandable value (a record's fields, an array's elements), with their types when known. */
export function childrenOf(value: unknown, type: FlowType | undefined): { name: string; value: unknown; type?: FlowType }[] {
    if (value === null || typeof value !== 'object') return [];
    if (type?.kind === 'record') return type.fields.map((f) => ({ name: f.name, value: (value as Record<string, unknown>)[f.name], type: f.type }));
    if (type?.kind === 'array' && Array.isArray(value)) return value.map((v, i) => ({ name: `[${i}]`, value: v, type: type.element }));
    if (Array.isArray(value)) return value.map((v, i) => ({ name: `[${i}]`, value: v }));
    return Object.entries(value).map(([name, v]) => ({ name, value: v }));
}

/** Whether a value has children to expand. */
export function isExpandable(value: unknown): boolean {
    return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
}

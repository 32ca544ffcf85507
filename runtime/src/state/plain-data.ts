/**
 * Converts operator state (which may hold Maps and Sets) to plain JSON-compatible data and back,
 * so a snapshot can be written anywhere (a file, a message to another thread).
 */

/** Plain data for `value`: Maps and Sets become tagged arrays. */
export function toPlainData(value: unknown): unknown {
    if (value instanceof Map) return { $map: [...value].map(([k, v]) => [toPlainData(k), toPlainData(v)]) };
    if (value instanceof Set) return { $set: [...value].map(toPlainData) };
    if (Array.isArray(value)) return value.map(toPlainData);
    if (value !== null && typeof value === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = toPlainData(v);
        return out;
    }
    return value;
}

/** The inverse of `toPlainData`. */
export function fromPlainData(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(fromPlainData);
    if (value !== null && typeof value === 'object') {
        const obj = value as Record<string, unknown>;
        if (Array.isArray(obj.$map)) return new Map((obj.$map as [unknown, unknown][]).map(([k, v]) => [fromPlainData(k), fromPlainData(v)]));
        if (Array.isArray(obj.$set)) return new Set((obj.$set as unknown[]).map(fromPlainData));
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(obj)) out[k] = fromPlainData(v);
        return out;
    }
    return value;
}

/** A number for a snapshot: JSON has no infinities (a watermark before any data is -Infinity). */
export function finiteOrNull(n: number): number | null {
    return Number.isFinite(n) ? n : null;
}

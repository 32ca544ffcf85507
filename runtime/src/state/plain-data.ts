/**
 * Converts state (which may hold Maps and Sets) to plain JSON-compatible data, for showing it
 * where only JSON travels (a debugger stop's state). Checkpoints do not use it: they serialise the
 * live state with v8's structured clone (see StreamOperator.snapshotState).
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

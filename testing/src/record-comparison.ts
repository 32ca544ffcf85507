/**
 * Comparing the records a test expects with those that arrived: as a multiset (the default; the
 * arrival order of a parallel job is not part of its result) or in order, doubles equal within a
 * tolerance. Without `within`, doubles equal when their relative difference is at most 1e-9, so a
 * sum added up in another order (another parallelism) still matches; with `within t`, when they
 * differ by at most t.
 */
import type { FlowType, SchemaField } from '../../protocol/logical-graph.js';
import type { Row } from './record-text.js';

/** The relative difference below which doubles are equal when the test gives no tolerance. */
export const DEFAULT_RELATIVE_TOLERANCE = 1e-9;

/** How doubles compare: `absolute` from `within`, else the default relative tolerance. */
export interface Tolerance { absolute?: number }

export function doublesEqual(a: number, b: number, tolerance: Tolerance): boolean {
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
    if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
    if (tolerance.absolute !== undefined) return Math.abs(a - b) <= tolerance.absolute;
    return Math.abs(a - b) <= DEFAULT_RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/** Whether two values of `type` are equal (doubles within the tolerance, also inside arrays and records). */
export function valuesEqual(type: FlowType, a: unknown, b: unknown, tolerance: Tolerance): boolean {
    if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
    switch (type.kind) {
        case 'double':
            return typeof a === 'number' && typeof b === 'number' ? doublesEqual(a, b, tolerance) : a === b;
        case 'array':
            return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => valuesEqual(type.element, v, b[i], tolerance));
        case 'record':
            return typeof a === 'object' && typeof b === 'object' && recordsEqual(type.fields, a as Row, b as Row, tolerance);
        default:
            return a === b;
    }
}

export function recordsEqual(schema: SchemaField[], a: Row, b: Row, tolerance: Tolerance): boolean {
    for (const f of schema) if (!valuesEqual(f.type, a[f.name], b[f.name], tolerance)) return false;
    return true;
}

/** The first field (in schema order) where two records differ. */
export function firstDifferingField(schema: SchemaField[], expected: Row, actual: Row, tolerance: Tolerance): SchemaField | undefined {
    return schema.find((f) => !valuesEqual(f.type, expected[f.name], actual[f.name], tolerance));
}

/** What a multiset comparison left over: expected records nothing matched, and arrived records nothing expected. */
export interface MultisetDifference {
    missing: Row[];
    unexpected: Row[];
}

/**
 * Matches expected and actual records one to one. Exact duplicates pair first (by a canonical
 * key); without an explicit tolerance the rest pair greedily (equality within 1e-9 relative is
 * as good as transitive for that); with one, the rest pair by a maximum bipartite matching, so a
 * loose tolerance cannot make a greedy choice miss a full pairing.
 */
export function compareMultiset(schema: SchemaField[], expected: Row[], actual: Row[], tolerance: Tolerance): MultisetDifference {
    const byKey = new Map<string, number[]>();
    actual.forEach((row, i) => {
        const key = canonicalKey(schema, row);
        const list = byKey.get(key);
        if (list) list.push(i);
        else byKey.set(key, [i]);
    });
    const actualUsed = new Array<boolean>(actual.length).fill(false);
    const expectedLeft: number[] = [];
    expected.forEach((row, i) => {
        const list = byKey.get(canonicalKey(schema, row));
        const j = list?.pop();
        if (j === undefined) expectedLeft.push(i);
        else actualUsed[j] = true;
    });
    const actualLeft = actual.map((_, j) => j).filter((j) => !actualUsed[j]);
    if (expectedLeft.length === 0 || actualLeft.length === 0) {
        return { missing: expectedLeft.map((i) => expected[i]), unexpected: actualLeft.map((j) => actual[j]) };
    }
    const equal = (i: number, j: number): boolean => recordsEqual(schema, expected[i], actual[j], tolerance);
    const matchOfActual = new Map<number, number>();
    if (tolerance.absolute === undefined || expectedLeft.length * actualLeft.length > 4_000_000) {
        const free = new Set(actualLeft);
        for (const i of expectedLeft) {
            for (const j of free) {
                if (equal(i, j)) {
                    matchOfActual.set(j, i);
                    free.delete(j);
                    break;
                }
            }
        }
    } else {
        // Kuhn's augmenting paths over the records exact pairing left.
        const adjacency = new Map(expectedLeft.map((i) => [i, actualLeft.filter((j) => equal(i, j))]));
        const augment = (i: number, seen: Set<number>): boolean => {
            for (const j of adjacency.get(i)!) {
                if (seen.has(j)) continue;
                seen.add(j);
                const other = matchOfActual.get(j);
                if (other === undefined || augment(other, seen)) {
                    matchOfActual.set(j, i);
                    return true;
                }
            }
            return false;
        };
        for (const i of expectedLeft) augment(i, new Set());
    }
    const matchedExpected = new Set(matchOfActual.values());
    return {
        missing: expectedLeft.filter((i) => !matchedExpected.has(i)).map((i) => expected[i]),
        unexpected: actualLeft.filter((j) => !matchOfActual.has(j)).map((j) => actual[j])
    };
}

/** The first index where two sequences differ (-1 when equal). */
export function firstDifferenceInOrder(schema: SchemaField[], expected: Row[], actual: Row[], tolerance: Tolerance): number {
    const n = Math.min(expected.length, actual.length);
    for (let i = 0; i < n; i++) if (!recordsEqual(schema, expected[i], actual[i], tolerance)) return i;
    return expected.length === actual.length ? -1 : n;
}

/** A text equal for records with equal values (fields in schema order). */
export function canonicalKey(schema: SchemaField[], row: Row): string {
    return JSON.stringify(schema.map((f) => canonicalValue(row[f.name])));
}

function canonicalValue(value: unknown): unknown {
    if (value === undefined) return null;
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    if (Array.isArray(value)) return value.map(canonicalValue);
    if (value !== null && typeof value === 'object') {
        const obj = value as Row;
        return Object.keys(obj).sort().map((k) => [k, canonicalValue(obj[k])]);
    }
    return value;
}

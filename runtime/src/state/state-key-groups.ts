/**
 * Which key group a key of an operator's keyed state belongs to, so keyed state can be
 * redistributed by key group when a job is restored at another parallelism (Flink's key-group
 * redistribution). Operators store state under the key as `compileStateKey` (or a join's
 * `compileJoinKey`) makes it: one key is its value; several are their `keyPart` texts joined by
 * U+0000 (null as U+0001). This reads such a key back into the key values' hash exactly as the
 * HASH partitioner computed it from the record (exchange/hash-partitioner.ts), using the key
 * expressions' types: a number-typed part is hashed as the number, any other part as its text
 * (which is what hashKeyValue does with strings, and with records and arrays through their JSON).
 */
import type { Expr } from '../../../protocol/logical-graph.js';
import { combineHashes, hashKeyValue, MAX_PARALLELISM } from '../exchange/key-groups.js';

export interface KeyGroupRange { start: number; end: number }

const NUMERIC = new Set(['int', 'long', 'double', 'timestamp', 'duration']);

/** The key group of a state key of an operator keyed by `keys`. */
export function stateKeyGroup(keys: Expr[], stateKey: unknown): number {
    if (keys.length <= 1) return (hashKeyValue(stateKey) >>> 0) % MAX_PARALLELISM;
    const parts = String(stateKey).split('\u0000');
    if (parts.length !== keys.length) throw new Error(`cannot tell the key group of the state key ${JSON.stringify(stateKey)}: it has ${parts.length} parts for ${keys.length} keys.`);
    let h = 17;
    for (let i = 0; i < parts.length; i++) h = combineHashes(h, hashKeyValue(partValue(parts[i], keys[i])));
    return (h >>> 0) % MAX_PARALLELISM;
}

function partValue(part: string, key: Expr): unknown {
    if (part === '\u0001') return null;
    const kind = key.type?.kind;
    if (kind === 'boolean') return part === 'true';
    if (kind !== undefined && NUMERIC.has(kind)) return Number(part);
    return part;
}

/**
 * Keeps, of several old subtasks' keyed maps, the entries whose key group `owned` holds, merged
 * into one map. Each old piece's keys must lie in the key groups that old subtask owned: a key
 * found outside them means its key group was computed wrongly, which would silently move state
 * to the wrong subtask, so that throws instead.
 */
export function mergeKeyedMaps<V>(keys: Expr[], pieces: { map: Map<unknown, V>; keyGroups: KeyGroupRange }[], owned: KeyGroupRange): Map<unknown, V> {
    const merged = new Map<unknown, V>();
    for (const piece of pieces) {
        for (const [key, value] of piece.map) {
            const group = stateKeyGroup(keys, key);
            if (group < piece.keyGroups.start || group > piece.keyGroups.end) {
                throw new Error(`the state key ${JSON.stringify(key)} is in key group ${group}, outside the key groups ${piece.keyGroups.start}-${piece.keyGroups.end} of the subtask that kept it.`);
            }
            if (group >= owned.start && group <= owned.end) merged.set(key, value);
        }
    }
    return merged;
}

/**
 * Keeps, of several old subtasks' buffered rows, those whose state key (`keyOf`) lies in the key
 * groups `owned` holds, in the order of the pieces. As in {@link mergeKeyedMaps}, a row outside
 * the key groups of the subtask that kept it throws instead of moving silently.
 */
export function keepRowsOfKeyGroups<R>(keys: Expr[], keyOf: (row: R) => unknown, pieces: { rows: R[]; keyGroups: KeyGroupRange }[], owned: KeyGroupRange): R[] {
    const kept: R[] = [];
    for (const piece of pieces) {
        for (const row of piece.rows) {
            const group = stateKeyGroup(keys, keyOf(row));
            if (group < piece.keyGroups.start || group > piece.keyGroups.end) {
                throw new Error(`a buffered row of key ${JSON.stringify(keyOf(row))} is in key group ${group}, outside the key groups ${piece.keyGroups.start}-${piece.keyGroups.end} of the subtask that kept it.`);
            }
            if (group >= owned.start && group <= owned.end) kept.push(row);
        }
    }
    return kept;
}

/**
 * The event-time watermark a subtask restored from several old subtasks starts from: the lowest
 * of theirs, so no row one of them still waited for is taken for late (-Infinity with none).
 */
export function restoredWatermark(watermarks: number[]): number {
    return watermarks.length === 0 ? -Infinity : Math.min(...watermarks);
}

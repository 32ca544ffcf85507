/**
 * Key hashing and key groups, as in Flink: a key hashes to one of MAX_PARALLELISM key groups,
 * and key group g goes to subtask floor(g * parallelism / MAX_PARALLELISM). Keyed state can
 * later be redistributed by key group without rehashing.
 */

/** The number of key groups (Flink's default maxParallelism for small jobs). */
export const MAX_PARALLELISM = 128;

/** A 32-bit hash of one key value; equal values (by the language's equality) hash equally. */
export function hashKeyValue(value: unknown): number {
    if (typeof value === 'number') {
        // A 32-bit integer (and -0, equal to 0) hashes its bits; anything else its text.
        if ((value | 0) === value) return mix32(value | 0);
        return hashString(String(value));
    }
    if (typeof value === 'string') return hashString(value);
    if (typeof value === 'boolean') return value ? 0x4f1bbcdc : 0x2f6a8b3d;
    if (value === null || value === undefined) return 0;
    return hashString(JSON.stringify(value));
}

/** Combines the hashes of a composite key. */
export function combineHashes(h: number, next: number): number {
    return mix32((Math.imul(h, 31) + next) | 0);
}

/** The subtask a key hash goes to. */
export function channelForHash(hash: number, parallelism: number): number {
    const keyGroup = (hash >>> 0) % MAX_PARALLELISM;
    return Math.floor((keyGroup * parallelism) / MAX_PARALLELISM);
}

function hashString(s: string): number {
    // FNV-1a: fast and well spread for short keys.
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return mix32(h);
}

function mix32(x: number): number {
    // murmur3 finaliser, so that consecutive integers spread over the key groups.
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    return (x ^ (x >>> 16)) >>> 0;
}

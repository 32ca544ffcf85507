/** A small seeded random number generator (mulberry32), so generated example data is reproducible. */

/** A deterministic random source: numbers in [0, 1). */
export type Random = () => number;

/** A deterministic generator of numbers in [0, 1) for a 32-bit seed. */
export function seededRandom(seed: number): Random {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** A whole number in [min, max]. */
export function randomInt(random: Random, min: number, max: number): number {
    return min + Math.floor(random() * (max - min + 1));
}

/** One element, uniformly. */
export function pick<T>(random: Random, items: readonly T[]): T {
    return items[Math.floor(random() * items.length)];
}

/** One element, with the given relative weights. */
export function pickWeighted<T>(random: Random, items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let r = random() * total;
    for (const [item, weight] of items) {
        r -= weight;
        if (r <= 0) return item;
    }
    return items[items.length - 1][0];
}

/** An ISO 8601 UTC timestamp for epoch milliseconds, without fractional seconds. */
export function isoSeconds(epochMs: number): string {
    return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The state behind datagen's generator functions (random, oneOf, sequence, uuid). Each record
 * re-seeds the generator from (seed, record index), so a seeded datagen produces exactly the same
 * records whatever the parallelism and however the count is split between subtasks.
 */

/** Per-source generator state handed to compiled generator expressions. */
export class GeneratorState {
    private state = 0;
    private index = 0;

    /** The seed's part of every record's seeding, as the 32 bits the XOR below reads of it (computed once). */
    private readonly seedBits: number;

    constructor(seed: number) {
        this.seedBits = (seed * 0x9e3779b1) | 0;
    }

    /** Positions the generator on record `index` (global across subtasks). */
    startRecord(index: number): void {
        this.index = index;
        // splitmix32 over the seed and the record index gives independent streams per record.
        this.state = mix32(this.seedBits ^ mix32(index + 0x6d2b79f5) ^ Math.floor(index / 0x100000000));
    }

    /** A float in [0, 1). */
    next(): number {
        // mulberry32
        let t = (this.state = (this.state + 0x6d2b79f5) | 0);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }

    /** random(min, max): an integer in [min, max] when `integral`, else a double in [min, max). */
    random(min: number, max: number, integral: boolean): number {
        if (min == null || max == null) return min ?? max;
        return integral ? Math.floor(min + this.next() * (Math.floor(max) - Math.ceil(min) + 1)) : min + this.next() * (max - min);
    }

    /** oneOf(a, b, ...): one of the given values. */
    oneOf(values: unknown[]): unknown {
        return values[Math.floor(this.next() * values.length)];
    }

    /** sequence(start): start + the record's index. */
    sequence(start: number): number {
        return start + this.index;
    }

    /** uuid(): a version-4 UUID drawn from the seeded generator. */
    uuid(): string {
        let hex = '';
        for (let i = 0; i < 4; i++) hex += (Math.floor(this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
        const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    }
}

function mix32(x: number): number {
    let z = (x + 0x9e3779b9) | 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
}

/**
 * The random numbers behind one Nexmark event. Flink Nexmark draws from one unseeded
 * SplittableRandom per generator, so its events differ from run to run and with the parallelism;
 * here every event re-seeds a small generator (sfc32) from (seed, event id), so event n is the
 * same for a seed whichever subtask makes it and however many there are.
 */

/** A 32-bit finaliser (from murmur3): spreads the bits of the seed material. */
function mix32(h: number): number {
    h ^= h >>> 16;
    h = Math.imul(h, 0x21f0aaad);
    h ^= h >>> 15;
    h = Math.imul(h, 0x735a2d97);
    h ^= h >>> 15;
    return h >>> 0;
}

const TWO_32 = 4294967296;

/** sfc32 (Chris Doty-Humphrey's small fast counting generator): 128 bits of state, 32-bit outputs. */
export class EventRandom {
    private a = 0;
    private b = 0;
    private c = 0;
    private d = 0;

    constructor(seed = 0, id = 0) {
        this.reset(seed, id);
    }

    /** Starts the sequence of event `id` (a non-negative safe integer) under `seed`. */
    reset(seed: number, id: number): void {
        const lo = id >>> 0;
        const hi = Math.floor(id / TWO_32) >>> 0;
        this.a = mix32((seed >>> 0) ^ 0x9e3779b9);
        this.b = mix32(lo ^ this.a);
        this.c = mix32((hi + 0x6a09e667) ^ this.b);
        this.d = 1;
        // sfc32's recommended warm-up, so nearby ids give unrelated sequences.
        for (let i = 0; i < 12; i++) this.nextUint32();
    }

    nextUint32(): number {
        const t = (((this.a + this.b) | 0) + this.d) | 0;
        this.d = (this.d + 1) | 0;
        this.a = this.b ^ (this.b >>> 9);
        this.b = (this.c + (this.c << 3)) | 0;
        this.c = (this.c << 21) | (this.c >>> 11);
        this.c = (this.c + t) | 0;
        return t >>> 0;
    }

    /** A uniform integer in [0, bound) (bound below 2^32). */
    nextInt(bound: number): number {
        return Math.floor((this.nextUint32() / TWO_32) * bound);
    }

    /** A uniform double in [0, 1) with 53 random bits. */
    nextDouble(): number {
        return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
    }
}

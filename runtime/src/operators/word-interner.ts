/**
 * The words of a fused flatMap's `split(s, "c")` (a one-character separator) feeding a tumbling
 * window combiner keyed by the word (flat-map-operator.ts): the loop scans the string itself (no
 * array per string) and takes each part from here, so a word seen recently is the same string
 * object as last time instead of a new one. That saves the allocation (and its garbage), a Map
 * keyed by the word finds it by its cached hash and by identity, and the fold keeps each partial
 * under the word's slot (WordSlotCache). Strings are values in JavaScript, so which copy of a
 * word a record holds cannot be observed.
 */

/** Slots of the table (a power of two); a slot keeps the last word whose hash fell in it. */
export const WORD_SLOTS = 1 << 14;
/** Longer parts are not kept (they are rarely repeated words and would hold memory). */
const MAX_LENGTH = 32;

/** A direct-mapped cache of recent words: bounded, so any number of distinct words is fine. */
export class WordInterner {
    private table: (string | null)[] | undefined;
    /**
     * The slot of the word `word` returned last (-1 when it is not kept): while that slot keeps
     * the word, a consumer may keep what it found for the word under the slot (WordSlotCache).
     */
    slot = -1;

    /**
     * The part `s[from, to)`; `hash` is the loop's `h = (Math.imul(h, 31) + code) | 0` over its
     * character codes (any hash gives the right word; a good one gives the same object more often).
     */
    word(s: string, from: number, to: number, hash: number): string {
        const length = to - from;
        if (length > MAX_LENGTH) {
            this.slot = -1;
            return s.slice(from, to);
        }
        const table = (this.table ??= new Array<string | null>(WORD_SLOTS).fill(null));
        const slot = (hash ^ (hash >>> 14)) & (WORD_SLOTS - 1);
        this.slot = slot;
        const known = table[slot];
        if (known !== null && known.length === length) {
            let k = 0;
            while (k < length && known.charCodeAt(k) === s.charCodeAt(from + k)) k++;
            if (k === length) return known;
        }
        const word = s.slice(from, to);
        table[slot] = word;
        return word;
    }
}

/**
 * What a consumer found for each slot's word (a window combiner's partial), per scope (a pane's
 * Map, told by `scopeId`, once per change of scope): `value(slot, word, scope)` is the value
 * stored for that word in that scope while the slot still holds both, else undefined. A hit
 * skips the Map lookup, so the caller must keep a value in its scope for as long as the scope is
 * used (a pane's Map is never emptied in place). Scopes are kept as numbers, so the cache holds
 * no Map that was sent on, only at most one value per slot.
 */
export class WordSlotCache<V> {
    private readonly words: (string | null)[] = new Array<string | null>(WORD_SLOTS).fill(null);
    private readonly scopes = new Float64Array(WORD_SLOTS);
    private readonly values: (V | null)[] = new Array<V | null>(WORD_SLOTS).fill(null);
    private readonly ids = new WeakMap<object, number>();
    private lastId = 0;

    /** The number of `scope` (never 0). */
    scopeId(scope: object): number {
        let id = this.ids.get(scope);
        if (id === undefined) this.ids.set(scope, (id = ++this.lastId));
        return id;
    }

    value(slot: number, word: unknown, scope: number): V | undefined {
        return this.scopes[slot] === scope && this.words[slot] === word ? this.values[slot]! : undefined;
    }

    set(slot: number, word: string, scope: number, value: V): void {
        this.words[slot] = word;
        this.scopes[slot] = scope;
        this.values[slot] = value;
    }
}

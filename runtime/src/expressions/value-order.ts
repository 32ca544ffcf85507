/**
 * The one order of values that sorting (orderBy, top), max_by/min_by and tie-breaking share, so a
 * ranking and an arg-max agree on which value is larger.
 */

/** Orders two values of one type: null first, then numbers, strings and booleans by value; anything else by its JSON text. */
export function compareValues(x: unknown, y: unknown): number {
    if (x === y) return 0;
    if (x == null) return -1;
    if (y == null) return 1;
    if (typeof x === typeof y && (typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean')) {
        if ((x as number) < (y as number)) return -1;
        if ((x as number) > (y as number)) return 1;
        if (typeof x === 'number' && Number.isNaN(x) !== Number.isNaN(y)) return Number.isNaN(x) ? -1 : 1;
        return 0;
    }
    const a = JSON.stringify(x);
    const b = JSON.stringify(y);
    return a < b ? -1 : a > b ? 1 : 0;
}

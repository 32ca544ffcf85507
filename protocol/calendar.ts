/**
 * Calendar days (the `date` type): at run time a date is its ISO text `yyyy-MM-dd` (years 0000 to
 * 9999), so dates compare as text in calendar order, are `===` when equal and read back from files
 * as written. Dependency-free: the language checks literals with it, the runtime converts with it.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a real day written yyyy-MM-dd (2026-02-29 is not one). */
export function isIsoDate(text: string): boolean {
    const m = ISO_DATE.exec(text);
    if (!m) return false;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    d.setUTCFullYear(Number(m[1]));
    return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The date of an instant (epoch milliseconds), in UTC. */
export function dateOfEpochMillis(ms: number): string {
    const iso = new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString();
    return iso.slice(0, 10);
}

/** Midnight UTC of a date, as epoch milliseconds. */
export function epochMillisOfDate(date: string): number {
    const m = ISO_DATE.exec(date);
    if (!m) throw new RangeError(`"${date}" is not a date (yyyy-MM-dd)`);
    const d = new Date(0);
    d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    return d.getTime();
}

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

/** The number of days of a month (0-based month) of a proleptic Gregorian year. */
function daysInMonth(year: number, month: number): number {
    const d = new Date(0);
    d.setUTCFullYear(year, month + 1, 0);
    return d.getUTCDate();
}

/**
 * An instant (epoch milliseconds) moved by whole calendar months in UTC, as SQL's
 * `ts + INTERVAL 'n' MONTH`: the day of the month is kept, clamped to the last day of a shorter
 * month (2024-01-31 + 1 month is 2024-02-29), and so is the time of day.
 */
export function addMonthsToEpochMillis(ms: number, months: number): number {
    const d = new Date(ms);
    const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
    const year = Math.floor(total / 12);
    const month = total - year * 12;
    const day = Math.min(d.getUTCDate(), daysInMonth(year, month));
    const moved = new Date(ms);
    moved.setUTCFullYear(year, month, day);
    return moved.getTime();
}

/** A date moved by whole calendar months (the day clamped to the month's last day) or days; throws past 0000-9999. */
export function addToDate(date: string, unit: 'month' | 'day', amount: number): string {
    const midnight = epochMillisOfDate(date);
    const moved = unit === 'month' ? addMonthsToEpochMillis(midnight, amount) : midnight + amount * DAY_MS;
    const year = new Date(moved).getUTCFullYear();
    if (year < 0 || year > 9999) throw new RangeError(`${date} ${amount < 0 ? '-' : '+'} ${Math.abs(amount)} ${unit}(s) is outside the dates 0000-01-01 to 9999-12-31`);
    return dateOfEpochMillis(moved);
}

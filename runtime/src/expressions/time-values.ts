/**
 * Timestamps and durations are plain numbers of milliseconds at run time; these turn their
 * textual forms (ISO-8601 timestamps, `5s`-style durations) into those numbers.
 */

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

/** Parses `250ms`, `5s`, `1m`, `2h`, `1d` (or a plain number of ms); undefined when malformed. */
export function parseDuration(text: string): number | undefined {
    const m = DURATION_PATTERN.exec(text);
    if (m) return Number(m[1]) * DURATION_UNITS[m[2]];
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

/** Parses epoch milliseconds or an ISO-8601 date/time (UTC unless an offset is given); undefined when malformed. */
export function parseTimestamp(text: string): number | undefined {
    const trimmed = text.trim();
    if (trimmed === '') return undefined;
    if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
    // A date-time without an offset is read as UTC, so results do not depend on the machine's zone.
    const withZone = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(trimmed) ? `${trimmed.replace(' ', 'T')}Z` : trimmed;
    const ms = Date.parse(withZone);
    return Number.isNaN(ms) ? undefined : ms;
}

/** Formats epoch milliseconds as an ISO-8601 UTC string. */
export function formatTimestamp(ms: number): string {
    return new Date(ms).toISOString();
}

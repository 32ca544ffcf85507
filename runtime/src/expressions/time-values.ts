/**
 * Timestamps and durations are plain numbers of milliseconds at run time; these turn their
 * textual forms (ISO-8601 timestamps, `5s`-style durations) into those numbers.
 */

// Durations are read by the parser the language's duration literals use, so both accept the same texts.
export { parseDuration } from '../../../protocol/durations.js';

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

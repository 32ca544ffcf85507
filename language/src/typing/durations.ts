import { parseDuration } from '../../../protocol/durations.js';

/**
 * Duration literals (`500ms`, `5s`, `1m`, `2h`, `1d`, and sums of them such as `1m30s` or
 * `1h30m`, as Go and Prometheus write them) in milliseconds. The DURATION token only admits
 * these forms; the parsing itself is shared with the runtime (casts, CSV/JSONL values).
 */
export function durationToMs(literal: string): number {
    const ms = parseDuration(literal);
    if (ms === undefined) {
        throw new Error(`"${literal}" is not a duration; expected a number followed by ms, s, m, h or d (or several, as in 1m30s).`);
    }
    return ms;
}

/** `2024-01-31`, `2024-01-31T12:00`, `2024-01-31 12:00:00.5`, optionally with `Z` or `+01:00`. */
const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses the text of a `timestamp "..."` literal (ISO 8601) to epoch ms, or undefined.
 * Only ISO 8601 is accepted (Date.parse alone also takes "1" or "March 7"), and a time without
 * an offset is UTC, as in the runtime, so the result does not depend on the machine's zone.
 */
export function parseTimestampLiteral(text: string): number | undefined {
    const match = ISO_TIMESTAMP.exec(text.trim());
    if (!match) {
        return undefined;
    }
    const [, date, time, zone] = match;
    // Date.parse rolls 2024-02-30 over to March 1st; a literal naming no real day is a mistake.
    const day = new Date(`${date}T00:00:00Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date) {
        return undefined;
    }
    const ms = Date.parse(time ? `${date}T${time}${zone ?? 'Z'}` : `${date}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : ms;
}

/** The count and unit (singular: year, month, week, day) of a calendar interval token `2 months`. */
export function intervalParts(text: string): { count: number; unit: 'year' | 'month' | 'week' | 'day' } {
    const [count, unit] = text.trim().split(/\s+/);
    return { count: Number(count), unit: unit.replace(/s$/, '') as 'year' | 'month' | 'week' | 'day' };
}

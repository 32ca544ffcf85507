/** Duration literals (`500ms`, `5s`, `1m`, `2h`, `1d`) in milliseconds. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function durationToMs(literal: string): number {
    const match = /^([0-9]+)(ms|s|m|h|d)$/.exec(literal);
    if (!match) {
        throw new Error(`"${literal}" is not a duration; expected a number followed by ms, s, m, h or d.`);
    }
    return Number(match[1]) * UNIT_MS[match[2]];
}

/** Parses the text of a `timestamp "..."` literal (ISO 8601) to epoch ms, or undefined. */
export function parseTimestampLiteral(text: string): number | undefined {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
}

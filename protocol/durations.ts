/**
 * The one reading of duration text, shared by the language (duration literals such as `5s` or
 * `1m30s`) and the runtime (casts and duration columns in CSV/JSONL), so that a text that is a
 * valid literal is also a valid value. Dependency-free: the runtime must not pull in langium.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** One or more `<amount><unit>` parts written together (`1m30s`, `2s500ms`); amounts may have decimals in data (`1.5s`). */
const DURATION_TEXT = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/**
 * Milliseconds of `250ms`, `5s`, `1m`, `2h`, `1d` or a sum of such parts (`1m30s` = 90 000), as Go
 * and Prometheus write them; a bare number is already milliseconds. Surrounding spaces are ignored;
 * undefined when the text is none of these.
 */
export function parseDuration(text: string): number | undefined {
    const trimmed = text.trim();
    if (trimmed === '') return undefined;
    if (DURATION_TEXT.test(trimmed)) {
        let total = 0;
        for (const [, amount, unit] of trimmed.matchAll(DURATION_PART)) {
            total += Number(amount) * UNIT_MS[unit];
        }
        return total;
    }
    const n = Number(trimmed);
    return Number.isFinite(n) ? n : undefined;
}

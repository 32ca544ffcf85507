/**
 * date_format(t, pattern): a timestamp (epoch milliseconds, UTC) as text, with the pattern letters
 * of Java's date formats, which Flink's DATE_FORMAT reads: `yyyy-MM-dd HH:mm:ss.SSS`, `'T'` for
 * quoted text, `''` for a quote. A pattern is compiled once into a list of parts.
 */

/** A pattern the formatter cannot read (an unknown letter, an unclosed quote). */
export class DateFormatPatternError extends Error {}

type Part = string | ((d: Date) => string);

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, width: number): string => {
    const s = String(Math.abs(n));
    return (n < 0 ? '-' : '') + (s.length >= width ? s : '0'.repeat(width - s.length) + s);
};

function dayOfYear(d: Date): number {
    return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

/**
 * The letters both the local runtime and Flink format alike, with how many times each may repeat.
 * Counts outside the allowed set are refused: Java's formatters disagree on them (`SSSS` is
 * milliseconds padded by one formatter and a fraction by the other), so .flow does not guess.
 */
const LETTERS: Record<string, { counts: (n: number) => boolean; format: (n: number) => (d: Date) => string }> = {
    y: { counts: (n) => n === 2 || n === 4, format: (n) => (n === 2 ? (d) => pad(d.getUTCFullYear() % 100, 2) : (d) => pad(d.getUTCFullYear(), 4)) },
    M: {
        counts: (n) => n <= 4,
        format: (n) => (n === 4 ? (d) => MONTHS[d.getUTCMonth()] : n === 3 ? (d) => MONTHS[d.getUTCMonth()].slice(0, 3) : (d) => pad(d.getUTCMonth() + 1, n))
    },
    d: { counts: (n) => n <= 2, format: (n) => (d) => pad(d.getUTCDate(), n) },
    D: { counts: (n) => n <= 3, format: (n) => (d) => pad(dayOfYear(d), n) },
    E: { counts: (n) => n <= 4, format: (n) => (n === 4 ? (d) => WEEKDAYS[d.getUTCDay()] : (d) => WEEKDAYS[d.getUTCDay()].slice(0, 3)) },
    a: { counts: (n) => n === 1, format: () => (d) => (d.getUTCHours() < 12 ? 'AM' : 'PM') },
    H: { counts: (n) => n <= 2, format: (n) => (d) => pad(d.getUTCHours(), n) },
    h: { counts: (n) => n <= 2, format: (n) => (d) => pad(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12, n) },
    m: { counts: (n) => n <= 2, format: (n) => (d) => pad(d.getUTCMinutes(), n) },
    s: { counts: (n) => n <= 2, format: (n) => (d) => pad(d.getUTCSeconds(), n) },
    S: { counts: (n) => n === 3, format: () => (d) => pad(d.getUTCMilliseconds(), 3) }
};

/** The pattern letters date_format reads, for messages: `y M d D E a H h m s S`. */
export const DATE_FORMAT_LETTERS = Object.keys(LETTERS).join(' ');

/** Compiles a pattern into parts; throws DateFormatPatternError naming the first thing it cannot read. */
export function compileDateFormat(pattern: string): Part[] {
    const parts: Part[] = [];
    let text = '';
    let i = 0;
    while (i < pattern.length) {
        const c = pattern[i];
        if (c === "'") {
            if (pattern[i + 1] === "'") {
                text += "'";
                i += 2;
                continue;
            }
            const close = pattern.indexOf("'", i + 1);
            if (close < 0) throw new DateFormatPatternError(`the quote at position ${i + 1} is not closed`);
            // Inside quotes, '' is one quote.
            let j = i + 1;
            for (;;) {
                const end = pattern.indexOf("'", j);
                if (end < 0) throw new DateFormatPatternError(`the quote at position ${i + 1} is not closed`);
                text += pattern.slice(j, end);
                if (pattern[end + 1] === "'") {
                    text += "'";
                    j = end + 2;
                    continue;
                }
                i = end + 1;
                break;
            }
            continue;
        }
        if (/[A-Za-z]/.test(c)) {
            let n = 1;
            while (pattern[i + n] === c) n++;
            const letter = LETTERS[c];
            if (!letter) throw new DateFormatPatternError(`the pattern letter '${c}' is not supported (supported: ${DATE_FORMAT_LETTERS}; quote text as 'T')`);
            if (!letter.counts(n)) throw new DateFormatPatternError(`'${c.repeat(n)}' is not supported: ${c} may not repeat ${n} times here (write e.g. yyyy, MM, dd, HH, mm, ss, SSS)`);
            if (text !== '') parts.push(text);
            text = '';
            parts.push(letter.format(n));
            i += n;
            continue;
        }
        text += c;
        i++;
    }
    if (text !== '') parts.push(text);
    return parts;
}

/** Formats epoch milliseconds with compiled parts, in UTC. */
export function formatWithParts(ms: number, parts: readonly Part[]): string {
    const d = new Date(ms);
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : p(d);
    return out;
}

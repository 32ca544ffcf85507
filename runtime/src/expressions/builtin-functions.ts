/**
 * The run-time library compiled expressions call (`$F.<name>` in generated code). Every function
 * follows SQL's null semantics: a null argument gives a null result unless documented otherwise.
 */
import { GeneratorState } from './generator-state.js';
import { addMonthsToEpochMillis, addToDate, dateOfEpochMillis, epochMillisOfDate, isIsoDate } from '../../../protocol/calendar.js';
import { compileDateFormat, DateFormatPatternError, formatWithParts } from '../../../protocol/date-format.js';
import { formatTimestamp, parseDuration, parseTimestamp } from './time-values.js';
import { compareValues } from './value-order.js';
import { compareDecimals, decimalArithmetic, DecimalError, decimalToInteger, negateDecimal, toDecimal } from './decimal-values.js';

/** Runs decimal arithmetic, turning its errors (overflow, division by zero, bad text) into expression errors. */
function decimal<T>(what: () => T): T {
    try {
        return what();
    } catch (e) {
        if (e instanceof DecimalError) throw new ExpressionError(e.message);
        throw e;
    }
}

/** An error raised while evaluating an expression (the operator adds its name and location). */
export class ExpressionError extends Error {}

const regexCache = new Map<string, RegExp>();

/**
 * A RegExp for a .flow pattern: in Unicode mode, so `.`, `[^a]` and `_` (LIKE) match a character
 * (code point) as on Flink, not half of an emoji; a pattern only valid outside Unicode mode (an
 * escape such as `\-`) keeps the older reading.
 */
export function flowRegExp(pattern: string, flags = ''): RegExp {
    try {
        return new RegExp(pattern, `${flags}u`);
    } catch {
        return new RegExp(pattern, flags);
    }
}

/** A cached RegExp for a pattern given at run time (patterns are usually few). */
function regexFor(pattern: string, flags = ''): RegExp {
    const key = `${flags}/${pattern}`;
    let re = regexCache.get(key);
    if (re === undefined) {
        try {
            re = flowRegExp(pattern, flags);
        } catch (e) {
            throw new ExpressionError(`invalid regular expression "${pattern}": ${(e as Error).message}`);
        }
        if (regexCache.size > 1000) regexCache.clear();
        regexCache.set(key, re);
    }
    return re;
}

/** Translates a SQL LIKE pattern (`%` any run, `_` one character, `\` escapes) to an anchored RegExp. */
export function likeToRegExp(pattern: string): RegExp {
    let src = '';
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === '\\' && i + 1 < pattern.length) src += escapeRegExp(pattern[++i]);
        else if (c === '%') src += '[\\s\\S]*';
        else if (c === '_') src += '[\\s\\S]';
        else src += escapeRegExp(c);
    }
    return new RegExp(`^${src}$`, 'u');
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Characters that make a split separator a regular expression. */
export const REGEX_META = /[.*+?^${}()|[\]\\]/;

const SURROGATE = /[\uD800-\uDFFF]/;

/** The number of characters (code points) of `s`, as Flink's CHAR_LENGTH counts them: an emoji is one. */
function codePointLength(s: string): number {
    let n = s.length;
    for (let i = 0; i < s.length - 1; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff) {
            const d = s.charCodeAt(i + 1);
            if (d >= 0xdc00 && d <= 0xdfff) {
                n--;
                i++;
            }
        }
    }
    return n;
}

/**
 * Splits like Java's String.split: the separator is a regular expression; trailing empty strings
 * are dropped, except that a string without a match is its own only part ("" gives [""]).
 */
function splitString(s: string, separator: string): string[] {
    const parts = REGEX_META.test(separator) ? s.split(regexFor(separator)) : s.split(separator);
    if (parts.length === 1) return parts;
    let end = parts.length;
    while (end > 0 && parts[end - 1] === '') end--;
    if (end !== parts.length) parts.length = end;
    return parts;
}

const TIME_UNITS: Record<string, number> = {
    millisecond: 1, second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000
};

function floorTo(ts: number, interval: number): number {
    return ts - (((ts % interval) + interval) % interval);
}

function truncToUnit(unit: string, ts: number): number {
    const u = unit.toLowerCase().replace(/s$/, '');
    if (u === 'month' || u === 'year' || u === 'quarter') {
        const d = new Date(ts);
        const month = u === 'year' ? 0 : u === 'quarter' ? d.getUTCMonth() - (d.getUTCMonth() % 3) : d.getUTCMonth();
        return Date.UTC(d.getUTCFullYear(), month, 1);
    }
    if (u === 'week') return floorTo(ts - 4 * 86_400_000, TIME_UNITS.week) + 4 * 86_400_000; // weeks start on Monday
    const size = TIME_UNITS[u];
    if (size === undefined) throw new ExpressionError(`date_trunc: unknown unit "${unit}" (expected second, minute, hour, day, week, month, quarter or year)`);
    return floorTo(ts, size);
}

/** The compiled pattern of one date_format call site, and the last instant it formatted (see formatRemembered). */
export interface DateFormatMemo {
    readonly parts: ReturnType<typeof compileDateFormat>;
    instant: unknown;
    text: string;
}

const dateFormatCache = new Map<string, ReturnType<typeof compileDateFormat>>();

/** The compiled parts of a date_format pattern given at run time (patterns are usually few). */
function dateFormatParts(pattern: string): ReturnType<typeof compileDateFormat> {
    let parts = dateFormatCache.get(pattern);
    if (parts === undefined) {
        try {
            parts = compileDateFormat(pattern);
        } catch (e) {
            if (e instanceof DateFormatPatternError) throw new ExpressionError(`date_format: invalid pattern "${pattern}": ${e.message}`);
            throw e;
        }
        if (dateFormatCache.size > 1000) dateFormatCache.clear();
        dateFormatCache.set(pattern, parts);
    }
    return parts;
}

/** Java's Character.isWhitespace characters: what Flink's SPLIT_INDEX splits on when the separator is empty. */
// eslint-disable-next-line no-control-regex -- Java counts these control characters as white space
const JAVA_WHITESPACE = /[\t\n\u000B\f\r\u001C-\u001F \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]/;

function castError(value: unknown, type: string): never {
    throw new ExpressionError(`cannot cast ${JSON.stringify(value)} to ${type}`);
}

function toNumber(v: unknown, type: string): number {
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'string') {
        const n = Number(v.trim());
        if (v.trim() === '' || Number.isNaN(n)) castError(v, type);
        return n;
    }
    return castError(v, type);
}

/** The library object; generated code receives it as `$F`. */
export const F = {
    /** The value order of orderBy (value-order.ts): max_by/min_by compare with it. */
    compare: compareValues,
    /** Orders two non-null decimals (canonical text) by value, for max_by/min_by over a decimal ordering. */
    compareOrdering: (a: string, b: string): number => decimal(() => compareDecimals(a, b)),
    gen: new GeneratorState(0),
    // ---- null-propagating operators (used only where an operand may be null) ----
    add: (a: number, b: number) => (a == null || b == null ? null : a + b),
    sub: (a: number, b: number) => (a == null || b == null ? null : a - b),
    mul: (a: number, b: number) => (a == null || b == null ? null : a * b),
    div: (a: number, b: number) => (a == null || b == null ? null : a / b),
    mod: (a: number, b: number) => (a == null || b == null ? null : a % b),
    /** Integer division truncates, as in SQL and Java; dividing by zero is an error. */
    idiv(a: number, b: number): number | null {
        if (a == null || b == null) return null;
        if (b === 0) throw new ExpressionError('division by zero');
        return Math.trunc(a / b);
    },
    imod(a: number, b: number): number | null {
        if (a == null || b == null) return null;
        if (b === 0) throw new ExpressionError('division by zero');
        return a % b;
    },
    strcat: (a: unknown, b: unknown) => (a == null || b == null ? null : `${a}${b}`),
    neg: (a: number) => (a == null ? null : -a),
    eq: (a: unknown, b: unknown) => (a == null || b == null ? null : a === b),
    ne: (a: unknown, b: unknown) => (a == null || b == null ? null : a !== b),
    lt: (a: number, b: number) => (a == null || b == null ? null : a < b),
    le: (a: number, b: number) => (a == null || b == null ? null : a <= b),
    gt: (a: number, b: number) => (a == null || b == null ? null : a > b),
    ge: (a: number, b: number) => (a == null || b == null ? null : a >= b),
    /** Three-valued AND: false wins over null. */
    and: (a: boolean | null, b: boolean | null) => (a === false || b === false ? false : a == null || b == null ? null : true),
    /** Three-valued OR: true wins over null. */
    or: (a: boolean | null, b: boolean | null) => (a === true || b === true ? true : a == null || b == null ? null : false),
    not: (a: boolean | null) => (a == null ? null : !a),
    test: (re: RegExp, s: string) => (s == null ? null : re.test(s)),
    like: (s: string, pattern: string) => (s == null || pattern == null ? null : likeToRegExp(pattern).test(s)),
    /** SQL IN: true on a match, null when there is none but a null was involved, else false. */
    inList(v: unknown, list: unknown[]): boolean | null {
        if (v == null) return null;
        let sawNull = false;
        for (const x of list) {
            if (x == null) sawNull = true;
            else if (x === v) return true;
        }
        return sawNull ? null : false;
    },
    /** One part of a composite key: null is `\u0001`, so it differs from the string "null". */
    keyPart: (v: unknown) => (v == null ? '\u0001' : typeof v === 'object' ? JSON.stringify(v) : String(v)),
    member: (recv: Record<string, unknown> | null, name: string) => (recv == null ? null : (recv[name] ?? null)),
    /** `t + n month` / `t + n day` on a timestamp (epoch ms, UTC) or a date (its ISO text). */
    calendarAdd: (value: number | string | null, unit: 'month' | 'day', amount: number) => {
        if (value == null) return null;
        if (typeof value === 'string') {
            try {
                return addToDate(value, unit, amount);
            } catch (err) {
                throw new ExpressionError((err as Error).message);
            }
        }
        return unit === 'month' ? addMonthsToEpochMillis(value, amount) : value + amount * 86_400_000;
    },
    // ---- decimals (canonical text, decimal-values.ts) ----
    /** a op b as DECIMAL(p, s); an int or long side is a whole number. */
    decOp: (op: '+' | '-' | '*' | '/' | '%', a: string | number, b: string | number, p: number, s: number) =>
        (a == null || b == null ? null : decimal(() => decimalArithmetic(op, a, b, p, s))),
    /** A comparison of two numbers of which at least one is a decimal (the other a decimal, int or long). */
    decCompare(op: '==' | '!=' | '<' | '<=' | '>' | '>=', a: string | number, b: string | number): boolean | null {
        if (a == null || b == null) return null;
        const c = decimal(() => compareDecimals(a, b));
        switch (op) {
            case '==': return c === 0;
            case '!=': return c !== 0;
            case '<': return c < 0;
            case '<=': return c <= 0;
            case '>': return c > 0;
            case '>=': return c >= 0;
        }
    },
    /** SQL IN over numbers of which some are decimals: equal by value, null as inList. */
    decIn(v: string | number, list: (string | number | null)[]): boolean | null {
        if (v == null) return null;
        let sawNull = false;
        for (const x of list) {
            if (x == null) sawNull = true;
            else if (typeof x === 'string' || Number.isFinite(x) ? decimal(() => compareDecimals(v, x)) === 0 : v === x) return true;
        }
        return sawNull ? null : false;
    },
    decNeg: (a: string) => (a == null ? null : negateDecimal(a)),
    /** cast(v as decimal(p, s)): numbers, decimals and text, rounded half up; too many digits is an error. */
    toDecimal(v: unknown, p: number, s: number): string | null {
        if (v == null) return null;
        if (typeof v === 'boolean') return toDecimal(v ? 1 : 0, p, s);
        if (typeof v !== 'string' && typeof v !== 'number') return castError(v, `decimal(${p}, ${s})`);
        try {
            return toDecimal(v, p, s);
        } catch (e) {
            if (e instanceof DecimalError) throw new ExpressionError(`cannot cast ${JSON.stringify(v)} to decimal(${p}, ${s}): ${e.message}`);
            throw e;
        }
    },
    /** cast(d as int/long): the whole part, toward zero (as Flink). */
    decToInt: (a: string) => (a == null ? null : decimalToInteger(a)),
    /** The sum of decimals of one scale (sum(distinct x)); null for none. */
    decSum(values: Iterable<string>, p: number, s: number): string | null {
        let total: string | null = null;
        for (const v of values) total = total === null ? v : decimal(() => decimalArithmetic('+', total!, v, p, s));
        return total;
    },
    /** avg of decimals: their sum divided by their count, rounded half up to DECIMAL(p, s); null for none. */
    decAvg: (sum: string | null, count: number, p: number, s: number) => (sum === null || count === 0 ? null : decimal(() => decimalArithmetic('/', sum, count, p, s))),
    /** The smaller (or larger) of two decimals of one scale, skipping null. */
    decMin: (a: string | null, b: string | null) => (a === null ? b : b === null ? a : compareDecimals(b, a) < 0 ? b : a),
    decMax: (a: string | null, b: string | null) => (a === null ? b : b === null ? a : compareDecimals(b, a) > 0 ? b : a),
    // ---- string functions ----
    lower: (s: string) => (s == null ? null : s.toLowerCase()),
    upper: (s: string) => (s == null ? null : s.toUpperCase()),
    trim: (s: string) => (s == null ? null : s.trim()),
    /** The number of characters: code points, so an emoji counts once (as on Flink). */
    length: (s: string | unknown[]) => (s == null ? null : typeof s === 'string' ? codePointLength(s) : s.length),
    /** substring(s, start[, length]) with a 0-based start (the language reference's definition), counting code points. */
    substring(s: string, start: number, len?: number): string | null {
        if (s == null || start == null) return null;
        if (len === null) return null;
        const from = Math.max(start, 0);
        if (!SURROGATE.test(s)) return len === undefined ? s.substring(from) : s.substring(from, from + Math.max(len, 0));
        const chars = Array.from(s);
        return (len === undefined ? chars.slice(from) : chars.slice(from, from + Math.max(len, 0))).join('');
    },
    split: (s: string, sep: string) => (s == null || sep == null ? null : splitString(s, sep)),
    /** split with a separator known (at compile time) to hold no regular-expression syntax. */
    splitPlain(s: string, sep: string): string[] | null {
        if (s == null) return null;
        const parts = s.split(sep);
        if (parts.length === 1) return parts;
        let end = parts.length;
        while (end > 0 && parts[end - 1] === '') end--;
        if (end !== parts.length) parts.length = end;
        return parts;
    },
    /** concat(a, b, ...): null parts are skipped (the language reference's definition). */
    concat(...parts: unknown[]): string {
        let out = '';
        for (const p of parts) if (p != null) out += typeof p === 'object' ? JSON.stringify(p) : String(p);
        return out;
    },
    matches: (s: string, pattern: string) => (s == null || pattern == null ? null : regexFor(pattern).test(s)),
    /** replace(s, pattern, replacement): every match of a regular expression. */
    regexReplace: (s: string, pattern: string, rep: string) => (s == null || pattern == null || rep == null ? null : s.replace(regexFor(pattern, 'g'), rep)),
    regexExtract(s: string, pattern: string, group?: number): string | null {
        if (s == null || pattern == null || group === null) return null;
        const m = regexFor(pattern).exec(s);
        return m ? (m[group ?? 0] ?? null) : null;
    },
    /**
     * split_index(s, separator, index): the part at `index` (0-based) of the string split on a
     * plain separator, keeping empty parts; null when the index is negative or past the last
     * part, or the string is empty (Flink's SPLIT_INDEX, which splits on white space when the
     * separator is empty).
     */
    splitIndex(s: string, separator: string, index: number): string | null {
        if (s == null || separator == null || index == null || index < 0 || s === '') return null;
        const parts = separator === '' ? s.split(JAVA_WHITESPACE) : s.split(separator);
        return index < parts.length ? parts[index] : null;
    },
    /**
     * date_format(t, pattern) with a literal pattern at one place in an expression, remembering the last
     * instant it formatted and its text: the text depends on the instant alone, and consecutive
     * records often share it (Nexmark's bids: thousands per millisecond of event time), so the
     * Date and the text are made once per instant instead of once per record.
     */
    formatRemembered(ts: number, memo: DateFormatMemo): string | null {
        if (ts == null) return null;
        if (ts === memo.instant) return memo.text;
        const text = formatWithParts(ts, memo.parts);
        memo.instant = ts;
        memo.text = text;
        return text;
    },
    dateFormat: (ts: number, pattern: string) => (ts == null || pattern == null ? null : formatWithParts(ts, dateFormatParts(pattern))),
    // ---- math ----
    abs: (x: number) => (x == null ? null : Math.abs(x)),
    /** round(x[, digits]): half away from zero, as SQL's ROUND. */
    round(x: number, digits?: number): number | null {
        if (x == null || digits === null) return null;
        const f = 10 ** (digits ?? 0);
        // toPrecision(15) removes binary noise first, so round(1.005, 2) is 1.01 as a user expects.
        const rounded = Math.round(Number((Math.abs(x) * f).toPrecision(15)));
        return (Math.sign(x) * rounded) / f;
    },
    floor: (x: number) => (x == null ? null : Math.floor(x)),
    ceil: (x: number) => (x == null ? null : Math.ceil(x)),
    sqrt: (x: number) => (x == null ? null : Math.sqrt(x)),
    pow: (x: number, y: number) => (x == null || y == null ? null : x ** y),
    least: (...xs: number[]) => (xs.some((x) => x == null) ? null : Math.min(...xs)),
    greatest: (...xs: number[]) => (xs.some((x) => x == null) ? null : Math.max(...xs)),
    /** coalesce(a, b, ...): the first non-null argument. */
    coalesce(...xs: unknown[]): unknown {
        for (const x of xs) if (x != null) return x;
        return null;
    },
    // ---- time (UTC) ----
    year: (ts: number) => (ts == null ? null : new Date(ts).getUTCFullYear()),
    month: (ts: number) => (ts == null ? null : new Date(ts).getUTCMonth() + 1),
    day: (ts: number) => (ts == null ? null : new Date(ts).getUTCDate()),
    hour: (ts: number) => (ts == null ? null : new Date(ts).getUTCHours()),
    minute: (ts: number) => (ts == null ? null : new Date(ts).getUTCMinutes()),
    second: (ts: number) => (ts == null ? null : new Date(ts).getUTCSeconds()),
    /** floor_time(ts, 1m): the start of the interval containing ts. */
    floorTime: (ts: number, interval: number) => (ts == null || interval == null ? null : floorTo(ts, interval)),
    dateTrunc: (unit: string, ts: number) => (unit == null || ts == null ? null : truncToUnit(unit, ts)),
    now: () => Date.now(),
    startsWith: (s: string, prefix: string) => (s == null || prefix == null ? null : s.startsWith(prefix)),
    parseTimestamp(s: string): number | null {
        if (s == null) return null;
        return parseTimestamp(s) ?? castError(s, 'timestamp');
    },
    // ---- casts ----
    toInt(v: unknown): number | null {
        if (v == null) return null;
        return Math.trunc(toNumber(v, 'int'));
    },
    toDouble: (v: unknown) => (v == null ? null : toNumber(v, 'double')),
    toString: (v: unknown) => (v == null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v)),
    timestampToString: (v: number) => (v == null ? null : formatTimestamp(v)),
    toBoolean(v: unknown): boolean | null {
        if (v == null) return null;
        if (typeof v === 'boolean') return v;
        if (typeof v === 'number') return v !== 0;
        const s = String(v).trim().toLowerCase();
        if (s === 'true') return true;
        if (s === 'false') return false;
        return castError(v, 'boolean');
    },
    toTimestamp(v: unknown): number | null {
        if (v == null) return null;
        if (typeof v === 'number') return v;
        return parseTimestamp(String(v)) ?? castError(v, 'timestamp');
    },
    /** cast(v as date): a yyyy-MM-dd text (checked to be a real day) or the UTC day of a timestamp. */
    toDate(v: unknown, fromTimestamp: boolean): string | null {
        if (v == null) return null;
        if (fromTimestamp && typeof v === 'number') return dateOfEpochMillis(v);
        const text = String(v).trim();
        return isIsoDate(text) ? text : castError(v, 'date (yyyy-MM-dd)');
    },
    /** cast(d as timestamp): midnight UTC of the day. */
    dateToTimestamp: (d: string) => (d == null ? null : epochMillisOfDate(d)),
    toDuration(v: unknown): number | null {
        if (v == null) return null;
        if (typeof v === 'number') return v;
        return parseDuration(String(v)) ?? castError(v, 'duration');
    }
};

/** The type of the library object. */
export type BuiltinLibrary = typeof F;

/**
 * Every built-in function of .flow (language/src/typing/builtin-functions.ts) in Flink SQL, with
 * the meaning the local runtime gives it (runtime/src/expressions/): or, when Flink has no
 * equivalent that agrees on every input, the reason it is refused. One entry per function; the
 * docs table in docs/flink.md is generated from these entries (scripts/generate-flink-function-docs.ts)
 * and the parity tests (test/flink/) run each mapping on a real Flink against the local runtime.
 */
import type { Expr, FlowType } from '../../../protocol/logical-graph.js';
import { compileDateFormat, DateFormatPatternError } from '../../../protocol/date-format.js';
import { toStringSql } from './cast-sql.js';
import { FlinkUnsupported } from './flink-unsupported.js';
import { regexDifference } from './regex-patterns.js';
import { sqlType, stringLiteral } from './sql-literals.js';
import { epochMillisSql, timestampFromEpochMillisSql, timestampPartSql } from './time-sql.js';

type CallExpr = Extract<Expr, { k: 'call' }>;

const isNullable = (t: FlowType) => t.kind === 'null' || ('nullable' in t && t.nullable === true);

/** SQL for a call, or why it cannot run on Flink with the same meaning. */
export type CallSql = string | { unsupported: string };

export interface BuiltinFunctionSql {
    /** The Flink SQL it becomes, for the docs (`CHAR_LENGTH(s)`), or "—" when refused. */
    flink: string;
    /** What to know: a difference handled by the translation, or why it is refused. */
    note: string;
    /** The translation; absent = always refused (with `note` as the reason). */
    sql?: (args: string[], call: CallExpr) => CallSql;
}

/** JavaScript's String.prototype.trim removes these (WhiteSpace and LineTerminator), written for Java's regex. */
const JS_WHITESPACE = '[\\t\\n\\x{0B}\\f\\r\\x{FEFF}\\p{Zs}\\x{2028}\\x{2029}]';

const literalString = (call: CallExpr, i: number): string | undefined => {
    const a = call.args[i];
    return a !== undefined && a.k === 'literal' && typeof a.value === 'string' ? a.value : undefined;
};

/** A pattern argument both engines read the same way, or why not. */
function commonPattern(call: CallExpr, i: number, use: 'split-replace' | 'first-match' = 'split-replace'): { pattern: string } | { unsupported: string } {
    const pattern = literalString(call, i);
    if (pattern === undefined) return { unsupported: 'the pattern must be a string literal, so it can be checked to mean the same in Java\'s regular expressions' };
    const difference = regexDifference(pattern, use);
    return difference === undefined ? { pattern } : { unsupported: `the pattern "${pattern}" differs between JavaScript and Java: ${difference}` };
}

const notNullTyped = (call: CallExpr, i: number) => call.args[i].type.kind !== 'null';

/** Why the calendar functions avoid YEAR(t), HOUR(t), ... on the timestamp itself. */
const PRE_1970 = 'in UTC (the script sets the session time zone to UTC). Flink\'s YEAR(t), HOUR(t), ... are wrong for instants before 1970 that are not at midnight, so the parts are taken from FLOOR and TIMESTAMPDIFF';

/** The reason of a FlinkUnsupported thrown for an argument, as the reason of the whole call. */
function unsupportedPart(error: unknown): string {
    if (error instanceof FlinkUnsupported) return `${error.construct}: ${error.reason}`;
    throw error;
}

const generator = (name: string): BuiltinFunctionSql => ({
    flink: '—',
    note: `${name} draws values from the local runtime's seeded generator, which Flink does not have: a datagen source with generated fields runs only locally`
});

export const BUILTIN_FUNCTION_SQL: Readonly<Record<string, BuiltinFunctionSql>> = {
    lower: { flink: 'LOWER(s)', note: '', sql: ([s]) => `LOWER(${s})` },
    upper: { flink: 'UPPER(s)', note: '', sql: ([s]) => `UPPER(${s})` },
    trim: {
        flink: `REGEXP_REPLACE(s, '^${JS_WHITESPACE}+|${JS_WHITESPACE}+\\z', '')`,
        note: 'Flink\'s TRIM removes only spaces; .flow removes all white space (tabs, line breaks, Unicode spaces) as JavaScript does',
        sql: ([s]) => `REGEXP_REPLACE(${s}, '^${JS_WHITESPACE}+|${JS_WHITESPACE}+\\z', '')`
    },
    length: { flink: 'CHAR_LENGTH(s)', note: 'counts characters (Unicode code points) in both', sql: ([s]) => `CHAR_LENGTH(${s})` },
    substring: {
        flink: 'SUBSTRING(s FROM GREATEST(start, 0) + 1 [FOR GREATEST(length, 0)])',
        note: '.flow counts from 0, SQL from 1; a negative start counts from the end in Flink and is 0 in .flow',
        sql: ([s, start, length]) => length === undefined
            ? `SUBSTRING(${s} FROM GREATEST(${start}, 0) + 1)`
            : `SUBSTRING(${s} FROM GREATEST(${start}, 0) + 1 FOR GREATEST(${length}, 0))`
    },
    split: {
        flink: "SPLIT(REGEXP_REPLACE(REGEXP_REPLACE(s, pattern, CHR(0)), CHR(0) || '+\\z', ''), CHR(0))",
        note: 'Flink\'s SPLIT takes a plain separator and keeps trailing empty parts: the pattern\'s matches become U+0000 first, trailing ones are dropped (as Java\'s String.split does). The pattern must be a literal both engines read the same way; a string holding U+0000 makes the Flink job fail instead of splitting wrongly',
        sql: ([s], call) => {
            const checked = commonPattern(call, 1);
            if ('unsupported' in checked) return checked;
            const marked = `REGEXP_REPLACE(REGEXP_REPLACE(${s}, ${stringLiteral(checked.pattern)}, CHR(0)), CHR(0) || '+\\z', '')`;
            return `(CASE WHEN ${s} = '' THEN ARRAY[''] WHEN POSITION(CHR(0) IN ${s}) > 0 THEN ARRAY[CAST(CAST('split: the text holds U+0000' AS INT) AS STRING)] ELSE SPLIT(${marked}, CHR(0)) END)`;
        }
    },
    concat: {
        flink: "CONCAT_WS('', part, ...)",
        note: 'Flink\'s CONCAT is null when a part is; CONCAT_WS skips null parts as .flow does. Numbers and booleans are written as the local runtime writes them; a timestamp as its epoch milliseconds. Doubles, durations, records and arrays are refused (their text differs)',
        sql: (args, call) => {
            const parts: string[] = [];
            for (let i = 0; i < args.length; i++) {
                if (!notNullTyped(call, i)) continue;
                const arg = call.args[i];
                if (arg.type.kind === 'timestamp') {
                    parts.push(`CAST(${epochMillisSql(args[i])} AS STRING)`);
                    continue;
                }
                try {
                    parts.push(toStringSql(arg, args[i]));
                } catch (e) {
                    return { unsupported: unsupportedPart(e) };
                }
            }
            return parts.length === 0 ? "''" : `CONCAT_WS('', ${parts.join(', ')})`;
        }
    },
    replace: {
        flink: 'REGEXP_REPLACE(s, pattern, replacement)',
        note: 'the pattern must be a literal both engines read the same way, the replacement a literal without `$` or `\\` (JavaScript and Java read those differently)',
        sql: ([s, pattern, replacement], call) => {
            const checked = commonPattern(call, 1);
            if ('unsupported' in checked) return checked;
            const rep = literalString(call, 2);
            if (rep === undefined || /[$\\]/.test(rep)) return { unsupported: 'the replacement must be a string literal without `$` or `\\`' };
            return `REGEXP_REPLACE(${s}, ${pattern}, ${replacement})`;
        }
    },
    matches: {
        flink: 'REGEXP(s, pattern)',
        note: 'true when the pattern matches somewhere, in both; the pattern must be a literal both engines read the same way',
        sql: ([s, pattern], call) => {
            const checked = commonPattern(call, 1);
            return 'unsupported' in checked ? checked : `REGEXP(${s}, ${pattern})`;
        }
    },
    char_length: { flink: 'CHAR_LENGTH(s)', note: 'counts characters (Unicode code points) in both', sql: ([s]) => `CHAR_LENGTH(${s})` },
    regexp_extract: {
        flink: 'REGEXP_EXTRACT(s, pattern, group)',
        note: 'the first match\'s group (0 when not given: the whole match), null without a match or for a group not in the pattern, in both; the pattern must be a literal both engines read the same way',
        sql: ([s, pattern, group], call) => {
            const checked = commonPattern(call, 1, 'first-match');
            return 'unsupported' in checked ? checked : `REGEXP_EXTRACT(${s}, ${pattern}, ${group ?? '0'})`;
        }
    },
    split_index: {
        flink: 'SPLIT_INDEX(s, separator, index)',
        note: 'both split on the whole separator, keep empty parts and give null for an index out of range or an empty string; an empty separator splits on white space (Java\'s Character.isWhitespace) in both',
        sql: ([s, separator, index]) => `SPLIT_INDEX(${s}, ${separator}, ${index})`
    },
    starts_with: { flink: 'STARTSWITH(s, prefix)', note: '', sql: ([s, p]) => `STARTSWITH(${s}, ${p})` },
    to_string: {
        flink: "CAST(x AS STRING); booleans 'true'/'false'; timestamps DATE_FORMAT(t, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''')",
        note: 'Flink writes booleans as TRUE/FALSE, so they are spelled out; doubles (Java writes 1.0 and 1.0E-7, JavaScript 1 and 1e-7), durations, records and arrays are refused',
        sql: ([x], call) => {
            try {
                return toStringSql(call.args[0], x);
            } catch (e) {
                return { unsupported: unsupportedPart(e) };
            }
        }
    },
    abs: { flink: 'ABS(x)', note: '', sql: ([x]) => `ABS(${x})` },
    round: {
        flink: 'CAST(ROUND(x, digits) AS DOUBLE)',
        note: 'both round half away from zero',
        sql: ([x, digits]) => `CAST(ROUND(${x}${digits === undefined ? '' : `, ${digits}`}) AS DOUBLE)`
    },
    floor: { flink: 'CAST(FLOOR(x) AS BIGINT)', note: 'Flink\'s FLOOR of a DOUBLE is a DOUBLE; .flow\'s is a long', sql: ([x]) => `CAST(FLOOR(${x}) AS BIGINT)` },
    ceil: { flink: 'CAST(CEIL(x) AS BIGINT)', note: 'Flink\'s CEIL of a DOUBLE is a DOUBLE; .flow\'s is a long', sql: ([x]) => `CAST(CEIL(${x}) AS BIGINT)` },
    sqrt: { flink: 'SQRT(x)', note: 'the square root of a negative number is NaN in both', sql: ([x]) => `SQRT(CAST(${x} AS DOUBLE))` },
    pow: { flink: 'POWER(x, y)', note: '', sql: ([x, y]) => `POWER(CAST(${x} AS DOUBLE), CAST(${y} AS DOUBLE))` },
    greatest: { flink: 'GREATEST(x, ...)', note: 'null when any value is null, in both', sql: (args) => `GREATEST(${args.join(', ')})` },
    least: { flink: 'LEAST(x, ...)', note: 'null when any value is null, in both', sql: (args) => `LEAST(${args.join(', ')})` },
    coalesce: { flink: 'COALESCE(x, ...)', note: '', sql: (args) => `COALESCE(${args.join(', ')})` },
    year: { flink: 'YEAR(FLOOR(t TO DAY))', note: PRE_1970, sql: ([t]) => timestampPartSql('year', t) },
    month: { flink: 'MONTH(FLOOR(t TO DAY))', note: PRE_1970, sql: ([t]) => timestampPartSql('month', t) },
    day: { flink: 'DAYOFMONTH(FLOOR(t TO DAY))', note: PRE_1970, sql: ([t]) => timestampPartSql('day', t) },
    hour: { flink: 'TIMESTAMPDIFF(HOUR, FLOOR(t TO DAY), t)', note: PRE_1970, sql: ([t]) => timestampPartSql('hour', t) },
    minute: { flink: 'TIMESTAMPDIFF(MINUTE, FLOOR(t TO HOUR), t)', note: PRE_1970, sql: ([t]) => timestampPartSql('minute', t) },
    second: { flink: 'TIMESTAMPDIFF(SECOND, FLOOR(t TO MINUTE), t)', note: PRE_1970, sql: ([t]) => timestampPartSql('second', t) },
    date_format: {
        flink: 'DATE_FORMAT(t, pattern)',
        note: 'the same pattern letters, in UTC (the script sets the session time zone to UTC); the pattern must be a literal, checked to use only the letters .flow formats',
        sql: ([t], call) => {
            const pattern = literalString(call, 1);
            if (pattern === undefined) return { unsupported: 'the pattern must be a string literal, so its letters can be checked to format alike on Flink' };
            try {
                compileDateFormat(pattern);
            } catch (e) {
                if (e instanceof DateFormatPatternError) return { unsupported: `the pattern "${pattern}" cannot be formatted: ${e.message}` };
                throw e;
            }
            return `DATE_FORMAT(${t}, ${stringLiteral(pattern)})`;
        }
    },
    date_trunc: {
        flink: 'FLOOR(t TO unit); months, quarters and years as TIMESTAMPADD(MONTH, n, 1970-01-01) from EXTRACT of FLOOR(t TO DAY)',
        note: 'the unit must be a string literal; weeks are refused (Flink\'s FLOOR(t TO WEEK) does not start weeks on Monday as .flow does)',
        sql: ([, t], call) => {
            const unit = literalString(call, 0)?.toLowerCase().replace(/s$/, '');
            const units: Record<string, string> = { second: 'SECOND', minute: 'MINUTE', hour: 'HOUR', day: 'DAY', month: 'MONTH', quarter: 'QUARTER', year: 'YEAR' };
            if (unit === undefined || !Object.hasOwn(units, unit)) {
                return { unsupported: 'the unit must be a string literal: "second", "minute", "hour", "day", "month", "quarter" or "year"' };
            }
            // Flink 2.3 floors instants before 1970 to the wrong month, quarter or year (1969-12-31 12:00
            // to 1970-01-01, also from the day's midnight), and EXTRACT reads such an instant's year and
            // month wrong unless it is at midnight; FLOOR(t TO DAY) is right. So those units count whole
            // months from 1970 by the calendar parts of the day's midnight.
            const months = calendarMonthsSince1970(`FLOOR(${t} TO DAY)`, unit);
            return months === undefined ? `FLOOR(${t} TO ${units[unit]})` : `TIMESTAMPADD(MONTH, ${months}, TIMESTAMP '1970-01-01 00:00:00.000')`;
        }
    },
    floor_time: {
        flink: 'FLOOR(t TO unit) for 1s/1m/1h/1d; else from epoch milliseconds',
        note: 'the interval must be a duration literal; other sizes are floored on epoch milliseconds as the local runtime does',
        sql: ([t], call) => {
            const unit = call.args[1];
            if (unit.k !== 'literal' || typeof unit.value !== 'number' || !(unit.value > 0)) {
                return { unsupported: 'the interval must be a positive duration literal' };
            }
            const named: Record<number, string> = { 1000: 'SECOND', 60_000: 'MINUTE', 3_600_000: 'HOUR', 86_400_000: 'DAY' };
            if (named[unit.value]) return `FLOOR(${t} TO ${named[unit.value]})`;
            const ms = epochMillisSql(t);
            return timestampFromEpochMillisSql(`(${ms} - MOD(MOD(${ms}, ${unit.value}) + ${unit.value}, ${unit.value}))`);
        }
    },
    parse_timestamp: {
        flink: '—',
        note: 'the local runtime reads ISO 8601 with or without an offset, with a space or a T, and epoch milliseconds; Flink\'s TO_TIMESTAMP reads one fixed pattern'
    },
    epoch_millis: {
        flink: 'whole days, seconds and milliseconds since 1970 (TIMESTAMPDIFF, EXTRACT)',
        note: 'Flink has no function giving the epoch milliseconds of a TIMESTAMP; the translation adds exact parts',
        sql: ([t]) => epochMillisSql(t)
    },
    now: {
        flink: 'LOCALTIMESTAMP',
        note: 'the current UTC time; a batch query in Flink reads the clock once per query, the local runtime once per record',
        sql: () => 'LOCALTIMESTAMP'
    },
    count: {
        flink: 'COUNT(*), COUNT(x), COUNT(DISTINCT x)',
        note: '',
        sql: ([x], call) => (x === undefined ? 'COUNT(*)' : `COUNT(${call.distinct ? 'DISTINCT ' : ''}${x})`)
    },
    sum: {
        flink: 'SUM(x) (ints summed as BIGINT, then INT; COALESCE(..., 0) for a non-null x)',
        note: 'Flink\'s SUM of INT is an INT that overflows; the local runtime\'s does not. Over no rows (a global aggregate of an empty input) the local runtime gives 0 for a non-null x, so the translation does too',
        sql: ([x], call) => {
            const arg = call.args[0];
            const int = arg.type.kind === 'int';
            const sum = `SUM(${call.distinct ? 'DISTINCT ' : ''}${int ? `CAST(${x} AS BIGINT)` : x})`;
            const total = isNullable(arg.type) || call.distinct ? sum : `COALESCE(${sum}, 0)`;
            // Summed as BIGINT so partial sums do not wrap around; the result is the int .flow declares.
            return int ? `CAST(${total} AS INT)` : total;
        }
    },
    avg: {
        flink: 'AVG(CAST(x AS DOUBLE)); AVG(x) of a decimal',
        note: 'Flink\'s AVG of whole numbers is a whole number; .flow\'s is a double. Of a DECIMAL(p, s), both give DECIMAL(38, max(s, 6)) rounded half up',
        sql: ([x], call) => (call.args[0].type.kind === 'decimal'
            ? `AVG(${call.distinct ? 'DISTINCT ' : ''}${x})`
            : `AVG(${call.distinct ? 'DISTINCT ' : ''}CAST(${x} AS DOUBLE))`)
    },
    min: { flink: 'MIN(x)', note: '', sql: ([x]) => `MIN(${x})` },
    max: { flink: 'MAX(x)', note: '', sql: ([x]) => `MAX(${x})` },
    first: {
        flink: 'FIRST_VALUE(x)',
        note: 'the first non-null value in arrival order, in both; with parallel inputs the arrival order differs from run to run on either runtime',
        sql: ([x]) => `FIRST_VALUE(${x})`
    },
    last: {
        flink: 'LAST_VALUE(x)',
        note: 'the last non-null value in arrival order; `last(distinct x)` is refused (the local runtime gives the value first seen last)',
        sql: ([x], call) => (call.distinct ? { unsupported: 'last(distinct x) is the distinct value seen first last on the local runtime; Flink has no such aggregate' } : `LAST_VALUE(${x})`)
    },
    collect: {
        flink: 'COALESCE(ARRAY_AGG(x IGNORE NULLS), <empty array>)',
        note: 'nulls are left out and no values give [] in both; the array is in arrival order',
        sql: ([x], call) => {
            const element = sqlType(call.args[0].type);
            return `COALESCE(ARRAY_AGG(${call.distinct ? 'DISTINCT ' : ''}${x} IGNORE NULLS), ARRAY_REMOVE(ARRAY[CAST(NULL AS ${element})], NULL))`;
        }
    },
    max_by: {
        flink: '(none)',
        note: 'Flink SQL has no arg-max aggregate. Per key, `keep last by ordering` is the same row as a Top-1 (ROW_NUMBER), which Flink runs',
        sql: () => ({ unsupported: 'Flink SQL has no arg-max aggregate: for the row with the largest ordering per key write `keyBy k | keep last by ordering` (a Top-1 per key, ROW_NUMBER in Flink SQL)' })
    },
    min_by: {
        flink: '(none)',
        note: 'Flink SQL has no arg-min aggregate. Per key, `keep first by ordering` is the same row as a Top-1 (ROW_NUMBER), which Flink runs',
        sql: () => ({ unsupported: 'Flink SQL has no arg-min aggregate: for the row with the smallest ordering per key write `keyBy k | keep first by ordering` (a Top-1 per key, ROW_NUMBER in Flink SQL)' })
    },
    random: generator('random'),
    oneOf: generator('oneOf'),
    // The datagen source rewrites sequence(s) to `s + __index` over Flink's own sequence
    // generator (source-tables.ts) before expressions are translated; no other call reaches here.
    sequence: {
        flink: 'start + __index (datagen fields only)',
        note: 'in a datagen field, `start + __index` over the datagen table\'s sequence column (0, 1, 2, ... once each whatever the parallelism), as the local runtime counts; only a datagen with a count runs on Flink (flink-unbounded-datagen)',
        sql: () => ({ unsupported: 'sequence(...) runs on Flink only as a field of a datagen source' })
    },
    uuid: generator('uuid')
};

/** Flink SQL for a call of the built-in function `name` on the translated `args`, or why it cannot run on Flink. */
export function builtinCallSql(name: string, args: string[], call: CallExpr): CallSql {
    const mapping = Object.hasOwn(BUILTIN_FUNCTION_SQL, name) ? BUILTIN_FUNCTION_SQL[name] : undefined;
    if (mapping === undefined) return { unsupported: `${name} is not a built-in function of .flow` };
    if (!mapping.sql) return { unsupported: mapping.note };
    return mapping.sql(args, call);
}

/** Whole months from 1970-01 to the start of `t`'s month, quarter or year, in Flink SQL; undefined for other units. */
function calendarMonthsSince1970(t: string, unit: string): string | undefined {
    const years = `(CAST(EXTRACT(YEAR FROM ${t}) AS INT) - 1970) * 12`;
    if (unit === 'year') return years;
    if (unit === 'quarter') return `${years} + (CAST(EXTRACT(QUARTER FROM ${t}) AS INT) - 1) * 3`;
    if (unit === 'month') return `${years} + CAST(EXTRACT(MONTH FROM ${t}) AS INT) - 1`;
    return undefined;
}

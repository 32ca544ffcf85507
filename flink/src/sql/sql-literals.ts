/**
 * The pieces of Flink SQL text every part of the translator writes the same way: quoted
 * identifiers, literals of each .flow type, and the SQL type of a .flow type.
 *
 * Conventions (the SQL script sets `table.local-time-zone` to UTC so they hold):
 * - a .flow `timestamp` (epoch milliseconds at run time, shown in UTC) is `TIMESTAMP(3)` holding the UTC wall-clock time;
 * - a .flow `duration` (milliseconds) is `INTERVAL DAY(3) TO SECOND(3)`, its literals written as the simplest interval.
 */
import { plainDecimalText } from '../../../protocol/decimal-types.js';
import type { FlowType } from '../../../protocol/logical-graph.js';
import { FlinkUnsupported } from './flink-unsupported.js';

/** `name` as a Flink SQL identifier: always back-quoted, so keywords (`count`, `value`) and odd names are safe. */
export function quoteIdentifier(name: string): string {
    return `\`${name.replace(/`/g, '``')}\``;
}

/** A string literal; Flink SQL strings have no backslash escapes, only `''` for a quote. */
export function stringLiteral(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
}

/** A DOUBLE literal (a plain `1.5` would be a DECIMAL in Flink SQL and change arithmetic). */
export function doubleLiteral(value: number): string {
    if (Number.isNaN(value)) return "CAST('NaN' AS DOUBLE)";
    if (!Number.isFinite(value)) return `CAST('${value > 0 ? 'Infinity' : '-Infinity'}' AS DOUBLE)`;
    const text = String(value).toUpperCase().replace('E+', 'E');
    return text.includes('E') ? text : `${text}E0`;
}

/** An INT or BIGINT literal. */
export function integerLiteral(value: number, kind: 'int' | 'long'): string {
    if (!Number.isSafeInteger(value)) {
        throw new FlinkUnsupported(String(value), `it is not a whole number within ±2^53, which the local runtime cannot hold exactly`);
    }
    if (kind === 'long' && Math.abs(value) <= 2147483647) return `CAST(${value} AS BIGINT)`;
    return String(value);
}

const UNITS: [number, string][] = [[86_400_000, 'DAY'], [3_600_000, 'HOUR'], [60_000, 'MINUTE'], [1000, 'SECOND']];

/** A duration of `ms` milliseconds as an interval literal: `INTERVAL '5' MINUTE`, or day-to-second with milliseconds. */
export function intervalLiteral(ms: number): string {
    if (!Number.isInteger(ms)) throw new FlinkUnsupported(`${ms}ms`, 'durations are whole milliseconds in Flink SQL');
    // Flink takes only the default leading precision (2 digits) for single-unit intervals, and DAY(3) TO SECOND(3).
    for (const [size, unit] of UNITS) {
        if (ms !== 0 && ms % size === 0 && Math.abs(ms / size) < 100) return `INTERVAL '${ms / size}' ${unit}`;
    }
    if (Math.abs(ms) >= 1000 * 86_400_000) throw new FlinkUnsupported(`a duration of ${ms}ms`, 'Flink SQL intervals hold at most 999 days');
    const sign = ms < 0 ? '-' : '';
    let rest = Math.abs(ms);
    const days = Math.floor(rest / 86_400_000); rest -= days * 86_400_000;
    const hours = Math.floor(rest / 3_600_000); rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000); rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000); rest -= seconds * 1000;
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    return `INTERVAL '${sign}${days} ${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(rest, 3)}' DAY(3) TO SECOND(3)`;
}

/** A TIMESTAMP(3) literal of epoch milliseconds, in UTC. */
export function timestampLiteral(epochMs: number): string {
    const iso = new Date(epochMs).toISOString();
    if (!/^\d{4}-/.test(iso)) throw new FlinkUnsupported(iso, 'Flink SQL timestamps have four-digit years (0000-9999)');
    return `TIMESTAMP '${iso.slice(0, 10)} ${iso.slice(11, 23)}'`;
}

/**
 * A DECIMAL(p, s) literal: the exact numeric literal (Flink reads `0.908` as DECIMAL(3, 3)) cast to
 * the type. Not a cast from text: Flink 2.3 refuses CAST('0.908' AS DECIMAL(3, 3)) as an overflow.
 */
export function decimalLiteralSql(text: string, type: Extract<FlowType, { kind: 'decimal' }>): string {
    const plain = plainDecimalText(text);
    if (plain === undefined) throw new FlinkUnsupported(text, 'it is not a decimal number');
    return `CAST(${plain} AS DECIMAL(${type.precision}, ${type.scale}))`;
}

/** The Flink SQL type of a .flow type (nullability is left to Flink: every column is nullable). */
export function sqlType(type: FlowType): string {
    switch (type.kind) {
        case 'int': return 'INT';
        case 'long': return 'BIGINT';
        case 'double': return 'DOUBLE';
        case 'boolean': return 'BOOLEAN';
        case 'string': return 'STRING';
        case 'timestamp': return 'TIMESTAMP(3)';
        case 'duration': return 'INTERVAL DAY(3) TO SECOND(3)';
        case 'decimal': return `DECIMAL(${type.precision}, ${type.scale})`;
        case 'date': return 'DATE';
        case 'null': return 'STRING';
        case 'array': return `ARRAY<${sqlType(type.element)}>`;
        case 'record': return `ROW<${type.fields.map((f) => `${quoteIdentifier(f.name)} ${sqlType(f.type)}`).join(', ')}>`;
    }
}

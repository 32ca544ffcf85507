/**
 * Text read from a file (csv cells, JSON timestamps) converted to .flow values in SQL, as the
 * local runtime's row converter converts it.
 */
import type { FlowType } from '../../../protocol/logical-graph.js';
import { sqlType } from './sql-syntax.js';
import { timestampFromEpochMillisSql } from './time-sql.js';

/**
 * Text holding a timestamp (epoch milliseconds, or ISO-8601 in UTC with an optional `Z`) as the
 * TIMESTAMP(3) of its UTC wall-clock time (sql-literals.ts): a local date-time reads as UTC, as
 * in the local runtime. Text that is neither fails the job, as with 'onError fail'.
 */
export function parseTimestampSql(text: string, orNull = false): string {
    const t = `TRIM(${text})`;
    return `CASE WHEN ${t} = '' THEN NULL WHEN REGEXP(${t}, '^-?[0-9]+$') THEN ${timestampFromEpochMillisSql(`CAST(${t} AS BIGINT)`)} `
        + `ELSE ${orNull ? 'TRY_CAST' : 'CAST'}(REGEXP_REPLACE(REPLACE(${t}, 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END`;
}

/**
 * Whether the local runtime's row converter accepts a csv cell for a field (`onError skip` drops
 * the rows where it does not): present (a short row leaves it NULL), empty only for a nullable
 * field (or a non-nullable string), and text of the field's type as the runtime reads it. A
 * timestamp with an offset is accepted here although Flink's view cannot read it: that row then
 * fails the job, loudly, rather than being skipped where the local runtime keeps it.
 */
export function cellAcceptedSql(raw: string, type: FlowType): string {
    const nullable = 'nullable' in type && type.nullable === true;
    const t = `TRIM(${raw})`;
    let accepted: string;
    switch (type.kind) {
        case 'string': return `${raw} IS NOT NULL`;
        case 'int': case 'long': accepted = `REGEXP(${raw}, '^\\s*[-+]?[0-9]+\\s*$')`; break;
        // JavaScript's Number(text): decimals, exponents, Infinity and 0x/0o/0b integers (which Flink's CAST then refuses, failing the job).
        case 'double': accepted = `REGEXP(${t}, '^([-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?|[-+]?Infinity|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)$')`; break;
        case 'boolean': accepted = `LOWER(${t}) IN ('true', 'false')`; break;
        case 'timestamp': accepted = `(${parseTimestampSql(raw, true)} IS NOT NULL OR REGEXP(${t}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+([-+][0-9]{2}:?[0-9]{2}|Z)$'))`; break;
        default: return `${raw} IS NOT NULL`;
    }
    return `${raw} IS NOT NULL AND (${nullable ? `${raw} = '' OR ` : ''}${accepted})`;
}

/** A csv cell (or a JSON timestamp/duration read as text) converted to its field's type, as the local runtime converts it. */
export function textToValueSql(raw: string, type: FlowType): string {
    const nullable = 'nullable' in type && type.nullable === true;
    // An empty cell is null for a nullable field; a non-nullable string keeps it, other types fail on it.
    const cell = nullable ? `NULLIF(${raw}, '')` : raw;
    switch (type.kind) {
        case 'string': return cell;
        case 'int': case 'long': return `CAST(TRIM(${cell}) AS ${sqlType(type)})`;
        case 'double': return `CAST(TRIM(${cell}) AS DOUBLE)`;
        case 'boolean': return `CAST(LOWER(TRIM(${cell})) AS BOOLEAN)`;
        case 'timestamp': return parseTimestampSql(cell);
        default: return `CAST(${cell} AS ${sqlType(type)})`;
    }
}


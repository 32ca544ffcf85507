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
export function parseTimestampSql(text: string): string {
    const t = `TRIM(${text})`;
    return `CASE WHEN ${t} = '' THEN NULL WHEN REGEXP(${t}, '^-?[0-9]+$') THEN ${timestampFromEpochMillisSql(`CAST(${t} AS BIGINT)`)} `
        + `ELSE CAST(REGEXP_REPLACE(REPLACE(${t}, 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END`;
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


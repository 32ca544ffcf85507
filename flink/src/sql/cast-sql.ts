/**
 * `cast(value as type)` and `to_string(value)` in Flink SQL, following what the local runtime's
 * casts do (runtime/src/expressions/builtin-functions.ts: toInt, toDouble, toString, ...).
 */
import type { Expr, FlowType } from '../../../protocol/logical-graph.js';
import { FlinkUnsupported } from './flink-unsupported.js';
import { epochMillisSql, isoTimestampSql, timestampFromEpochMillisSql } from './time-sql.js';

/** Flink SQL converting `sql` (the translation of `value`) to `to`. */
export function castSql(value: Expr, to: FlowType, sql: string): string {
    const from = value.type.kind;
    if (from === to.kind && from !== 'record' && from !== 'array' && from !== 'decimal') return sql;
    const refuse = (reason: string): never => {
        throw new FlinkUnsupported(`cast(${from} as ${to.kind})`, reason);
    };
    switch (to.kind) {
        case 'int': case 'long': {
            const target = to.kind === 'int' ? 'INT' : 'BIGINT';
            if (from === 'boolean') return `(CASE WHEN ${sql} THEN 1 WHEN NOT ${sql} THEN 0 END)`;
            if (from === 'timestamp') return `CAST(${epochMillisSql(sql)} AS ${target})`;
            if (from === 'string') {
                // The local runtime reads any JavaScript number ("1e3", "0x10", " 7 ") and truncates it;
                // Flink's CAST to INT reads decimal digits with an optional fraction.
                return refuse('Flink reads fewer number forms from text than the local runtime (exponents, hexadecimal)');
            }
            // A decimal's whole part, toward zero, in both.
            if (from === 'int' || from === 'long' || from === 'double' || from === 'decimal' || from === 'null') return `CAST(${sql} AS ${target})`;
            return refuse('no conversion');
        }
        case 'double':
            if (from === 'int' || from === 'long' || from === 'decimal' || from === 'null') return `CAST(${sql} AS DOUBLE)`;
            if (from === 'boolean') return `(CASE WHEN ${sql} THEN 1E0 WHEN NOT ${sql} THEN 0E0 END)`;
            if (from === 'timestamp') return `CAST(${epochMillisSql(sql)} AS DOUBLE)`;
            return refuse(from === 'string'
                ? 'Flink reads fewer number forms from text than the local runtime (hexadecimal, "Infinity")'
                : 'no conversion');
        case 'string': return toStringSql(value, sql);
        case 'boolean':
            if (from === 'int' || from === 'long' || from === 'double') return `(${sql} <> 0)`;
            if (from === 'null') return `CAST(${sql} AS BOOLEAN)`;
            return refuse(from === 'string'
                ? 'the local runtime accepts only "true" and "false" (any case) and fails on other text; Flink also reads "yes", "1", ...'
                : 'no conversion');
        case 'timestamp':
            if (from === 'int' || from === 'long') return timestampFromEpochMillisSql(sql);
            if (from === 'date') return `CAST(${sql} AS TIMESTAMP(3))`;
            if (from === 'null') return `CAST(${sql} AS TIMESTAMP(3))`;
            return refuse(from === 'string'
                ? 'the local runtime reads ISO 8601 with or without an offset and epoch milliseconds; Flink reads one fixed pattern'
                : 'no conversion');
        case 'decimal': {
            const target = `DECIMAL(${to.precision}, ${to.scale})`;
            if (from === 'decimal' && value.type.kind === 'decimal' && value.type.precision === to.precision && value.type.scale === to.scale) return sql;
            // Both round half up to the scale; a value too large for the type is an error locally and null on Flink (docs/flink.md).
            if (from === 'int' || from === 'long' || from === 'decimal' || from === 'double' || from === 'null') return `CAST(${sql} AS ${target})`;
            // Through DECIMAL(38, s): Flink 2.3 refuses CAST('0.908' AS DECIMAL(3, 3)) as an overflow.
            if (from === 'string') return `CAST(CAST(TRIM(${sql}) AS DECIMAL(38, ${to.scale})) AS ${target})`;
            return refuse('no conversion');
        }
        case 'date':
            // FLOOR first: Flink 2.3 casts instants before 1970 that are not at midnight to the next day.
            if (from === 'timestamp') return `CAST(FLOOR(${sql} TO DAY) AS DATE)`;
            if (from === 'null') return `CAST(${sql} AS DATE)`;
            return refuse(from === 'string'
                ? 'the local runtime reads only yyyy-MM-dd and fails on other text; Flink also reads forms such as 2026-1-5'
                : 'no conversion');
        case 'duration':
            if (from === 'null') return `CAST(${sql} AS INTERVAL DAY(3) TO SECOND(3))`;
            return refuse('durations are milliseconds on the local runtime and intervals in Flink; only duration literals and arithmetic translate');
        default:
            return refuse('Flink SQL casts to records and arrays are not used by .flow');
    }
}

/** The text of a value as the local runtime writes it (String(v); timestamps in ISO 8601). */
export function toStringSql(value: Expr, sql: string): string {
    switch (value.type.kind) {
        case 'string': return sql;
        // A decimal's text has exactly its scale's digits after the point in both ('12.50').
        case 'int': case 'long': case 'decimal': case 'date': case 'null': return `CAST(${sql} AS STRING)`;
        case 'boolean': return `(CASE WHEN ${sql} THEN 'true' WHEN NOT ${sql} THEN 'false' END)`;
        case 'timestamp': return isoTimestampSql(sql);
        case 'double':
            throw new FlinkUnsupported('a double as text', 'Flink writes doubles as Java does (1.0, 1.0E-7) and the local runtime as JavaScript does (1, 1e-7)');
        case 'duration':
            throw new FlinkUnsupported('a duration as text', 'the local runtime writes a duration as its milliseconds; Flink writes an interval');
        default:
            throw new FlinkUnsupported(`a ${value.type.kind} as text`, 'the local runtime writes records and arrays as JSON; Flink has no such cast');
    }
}

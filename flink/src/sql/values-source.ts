/**
 * `values(...)` sources: a VIEW over a VALUES list, each value written as a typed literal (Flink
 * has no values connector outside its tests, and a view cannot declare a watermark).
 */
import type { FlowType, LogicalNode, SourceConfig } from '../../../protocol/logical-graph.js';
import { integerLiteral, doubleLiteral, intervalLiteral, timestampLiteral } from './sql-literals.js';
import { parseTimestampSql } from './text-conversion-sql.js';
import { identifier, sqlType, stringLiteral } from './sql-syntax.js';
import type { Relation, TranslationContext } from './translation-context.js';

export function valuesRelation(ctx: TranslationContext, node: LogicalNode, config: SourceConfig): Relation {
    if (config.watermark) {
        ctx.report(node, 'flink-values-watermark', 'watermark on values(...)',
            `The values source ${config.sourceName} declares a watermark: Flink declares watermarks on tables, and inline values are a view, which cannot carry one. Put the rows in a csv or jsonl file.`);
    }
    const rows = config.values ?? [];
    const columns = node.schema.map((f) => identifier(f.name)).join(', ');
    // An empty values() has no rows: a VALUES list needs one, so select one and keep none.
    const query = rows.length > 0
        ? plainValuesQuery(node, rows)
        : `SELECT * FROM (VALUES (${node.schema.map((f) => `CAST(NULL AS ${sqlType(f.type)})`).join(', ')})) AS t(${columns}) WHERE FALSE`;
    const view = ctx.defineView(config.sourceName, query);
    return { name: view, columns: node.schema.map((f) => f.name), appendOnly: true, windowColumns: false };
}

/**
 * The rows as one VALUES list of plain literals, typed by a SELECT around it. A VALUES row holding
 * anything but literals (a CAST, a typed NULL) makes Flink's planner turn the list into a UNION of
 * one-row sources, each needing its own network buffers (512 in batch mode): a few dozen rows then
 * fail the job ("Insufficient number of network buffers") on a small TaskManager. A null is a
 * placeholder literal plus a flag column `<field>#null`.
 */
function plainValuesQuery(node: LogicalNode, rows: Record<string, unknown>[]): string {
    const raw: string[] = [];
    const selected: string[] = [];
    const cells: string[][] = rows.map(() => []);
    node.schema.forEach((f, i) => {
        const values = rows.map((row) => row[f.name]);
        const plain = values.map((v) => plainLiteral(v, f.type));
        const literal = plain.every((p) => p !== undefined);
        const hasNull = literal && values.some((v) => v === null || v === undefined);
        const column = `c${i}`;
        raw.push(identifier(column));
        rows.forEach((_, r) => cells[r].push(literal ? plain[r]! : literalSql(values[r], f.type)));
        const typed = `CAST(${identifier(column)} AS ${sqlType(f.type)})`;
        if (hasNull) {
            raw.push(identifier(`${column}#null`));
            rows.forEach((_, r) => cells[r].push(values[r] === null || values[r] === undefined ? 'TRUE' : 'FALSE'));
            selected.push(`CASE WHEN ${identifier(`${column}#null`)} THEN CAST(NULL AS ${sqlType(f.type)}) ELSE ${typed} END AS ${identifier(f.name)}`);
        } else {
            selected.push(`${typed} AS ${identifier(f.name)}`);
        }
    });
    return `SELECT ${selected.join(', ')} FROM (VALUES\n${cells.map((c) => `  (${c.join(', ')})`).join(',\n')}\n) AS t(${raw.join(', ')})`;
}

/** A value as a literal Flink keeps as a literal in VALUES (a placeholder for null), or undefined when there is none. */
function plainLiteral(value: unknown, type: FlowType): string | undefined {
    const absent = value === null || value === undefined;
    switch (type.kind) {
        case 'string': return stringLiteral(absent ? '' : String(value));
        case 'int': case 'long': return absent ? '0' : Number.isSafeInteger(Number(value)) ? String(value) : undefined;
        case 'double': return doubleLiteral(absent ? 0 : Number(value));
        case 'boolean': return !absent && value ? 'TRUE' : 'FALSE';
        case 'timestamp': return absent ? timestampLiteral(0) : typeof value === 'number' ? timestampLiteral(value) : undefined;
        default: return undefined;
    }
}

/** A JSON value of an inline record as a literal of its field's SQL type. */
export function literalSql(value: unknown, type: FlowType): string {
    if (value === null || value === undefined) return `CAST(NULL AS ${sqlType(type)})`;
    switch (type.kind) {
        case 'string': return `CAST(${stringLiteral(String(value))} AS STRING)`;
        case 'int': case 'long': return `CAST(${integerLiteral(Number(value), type.kind)} AS ${sqlType(type)})`;
        case 'double': return doubleLiteral(Number(value));
        case 'duration': return intervalLiteral(Number(value));
        case 'boolean': return value ? 'TRUE' : 'FALSE';
        case 'timestamp': return typeof value === 'number' ? timestampLiteral(value) : parseTimestampSql(stringLiteral(String(value)));
        case 'array': return Array.isArray(value) ? `ARRAY[${value.map((v) => literalSql(v, type.element)).join(', ')}]` : `CAST(NULL AS ${sqlType(type)})`;
        case 'record': return `ROW(${type.fields.map((f) => literalSql((value as Record<string, unknown>)[f.name], f.type)).join(', ')})`;
        case 'null': return 'CAST(NULL AS STRING)';
    }
}

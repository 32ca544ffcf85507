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
    const tuples = rows.map((row) => `  (${node.schema.map((f) => literalSql(row[f.name], f.type)).join(', ')})`);
    // An empty values() has no rows: a VALUES list needs one, so select one and keep none.
    const query = tuples.length > 0
        ? `SELECT * FROM (VALUES\n${tuples.join(',\n')}\n) AS t(${columns})`
        : `SELECT * FROM (VALUES (${node.schema.map((f) => `CAST(NULL AS ${sqlType(f.type)})`).join(', ')})) AS t(${columns}) WHERE FALSE`;
    const view = ctx.defineView(config.sourceName, query);
    return { name: view, columns: node.schema.map((f) => f.name), appendOnly: true, windowColumns: false };
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

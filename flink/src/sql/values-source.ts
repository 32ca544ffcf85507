/**
 * `values(...)` sources: a VIEW over a VALUES list, each value written as a typed literal (Flink
 * has no values connector outside its tests). A view cannot declare a watermark, so a values
 * source with one becomes a JSON-lines data file the script reads as a filesystem table.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlowType, LogicalNode, SourceConfig } from '../../../protocol/logical-graph.js';
import { decimalLiteralSql, doubleLiteral, integerLiteral, intervalLiteral, timestampLiteral } from './sql-literals.js';
import { parseTimestampSql } from './text-conversion-sql.js';
import { identifier, sqlType, stringLiteral } from './sql-syntax.js';
import type { Relation, TranslationContext } from './translation-context.js';

export function valuesRelation(ctx: TranslationContext, node: LogicalNode, config: SourceConfig): Relation {
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
 * A values source with a watermark as a jsonl source: its rows become a JSON-lines data file
 * (registered in the script's dataFiles, written by whoever submits it), read like any jsonl
 * source. The local runtime converts inline rows with the same JSON conversion as jsonl files, so
 * Flink reads the values the local runtime has: JSON numbers for doubles and whole numbers
 * (JavaScript writes the shortest text that reads back as the same double, as Java reads it),
 * JSON null or a missing key for null, and timestamps as the epoch milliseconds the checker
 * made of the timestamp literals (the JSON conversion reads the same numbers on both).
 */
export function valuesAsDataFile(ctx: TranslationContext, config: SourceConfig): SourceConfig {
    const rows = config.values ?? [];
    const path = join(ctx.options.dataFileDir ?? defaultDataFileDir(ctx.graph.location.uri, ctx.graph.pipeline), `${fileSafe(config.sourceName)}.jsonl`);
    ctx.dataFiles.push({ path, contents: rows.map((row) => `${JSON.stringify(row)}\n`).join(''), sourceName: config.sourceName, rows: rows.length });
    return { ...config, connector: 'jsonl', path, options: {} };
}

/** `.flowline/flink/<pipeline>/` beside the .flow file (a file: URI); the working directory's for another URI. */
function defaultDataFileDir(uri: string, pipeline: string): string {
    const base = uri.startsWith('file:') ? dirname(fileURLToPath(uri)) : process.cwd();
    return join(base, '.flowline', 'flink', fileSafe(pipeline));
}

function fileSafe(name: string): string {
    return name.replace(/[^A-Za-z0-9_.-]+/g, '_');
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
        // The local runtime reads the written number's text at the field's scale, rounding half up, as this cast does.
        case 'decimal': return decimalLiteralSql(String(value), type);
        case 'date': return `DATE ${stringLiteral(String(value))}`;
    }
}

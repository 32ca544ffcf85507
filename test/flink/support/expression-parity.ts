/**
 * Runs the same checked .flow expressions on the local runtime (its expression compiler, fed the
 * LogicalGraph the language builds from a generated .flow file) and on a real Flink (the SQL from
 * exprToSql over a VALUES table, batch mode, several expressions per query), and lists every
 * result that differs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Expr, NamedExpr, SchemaField } from '../../../protocol/logical-graph.js';
import { FlowCheckError, loadLogicalGraphs } from '../../../language/src/graph/load-logical-graphs.js';
import { compileExpression } from '../../../runtime/src/expressions/compile-expression.js';
import { convertJsonRecord } from '../../../runtime/src/connectors/common/row-converter.js';
import { exprToSql } from '../../../flink/src/sql/expression-sql.js';
import { FlinkUnsupported } from '../../../flink/src/sql/flink-unsupported.js';
import { doubleLiteral, quoteIdentifier, sqlType, stringLiteral, timestampLiteral } from '../../../flink/src/sql/sql-literals.js';
import { after, before } from 'node:test';
import { SqlGatewayClient, type SqlGatewaySession } from '../../../flink/src/rest/sql-gateway-client.js';
import { flinkClusterForTests } from '../../support/flink-cluster.js';

/** One expression as checked: its source text and LogicalGraph tree. */
export interface CheckedExpression { text: string; expr: Expr }

/** Expressions to compare, the rows to evaluate them on and those rows' schema. */
export interface CheckedExpressions { expressions: CheckedExpression[]; rejected: string[]; fields: SchemaField[]; values: Record<string, unknown>[] }

export interface ParityReport {
    /** Expressions compared on every row. */
    compared: number;
    /** Expressions the translator refused (FlinkUnsupported), with the reason. */
    unsupported: { text: string; reason: string }[];
    /** Expressions the checker refused (generated text that is not well-typed). */
    rejected: string[];
    /** Expressions the local runtime fails on for some row (division by zero, ...): not sent to Flink. */
    localErrors: { text: string; error: string }[];
    /**
     * Cells skipped as a documented difference (docs/flink.md): an int or long result the local
     * runtime holds outside that type's range (or as NaN/Infinity), where Flink wraps around.
     */
    outOfRange: number;
    /** Differences: Flink failed, or a row's values differ. */
    differences: { text: string; sql: string; row?: number; local?: unknown; flink?: unknown; error?: string }[];
}

/**
 * The expressions (one per line of a map) and rows (record literals) checked by the language:
 * expressions the checker refuses are dropped (and listed), the rest lowered to Exprs.
 */
export async function checkExpressions(schema: string, rows: string[], texts: string[]): Promise<CheckedExpressions> {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowline-parity-'));
    try {
        let candidates = texts.map((text, i) => ({ text, name: `c${i}` }));
        const rejected: string[] = [];
        for (;;) {
            const header = ['pipeline Parity {', '    mode batch', `    source r: { ${schema} } = values(${rows.join(', ')})`, '    stream m = r', '        | map {'];
            const lines = [...header, ...candidates.map((c, i) => `            ${c.name}: ${c.text}${i < candidates.length - 1 ? ',' : ''}`), '        }', '    sink m -> print', '}', ''];
            const file = path.join(dir, 'parity.flow');
            writeFileSync(file, lines.join('\n'));
            try {
                const { graphs } = await loadLogicalGraphs(file);
                const source = graphs[0].nodes.find((n) => n.config.kind === 'source')!;
                const map = graphs[0].nodes.find((n) => n.config.kind === 'map')!;
                const fields = (map.config as { fields: NamedExpr[] }).fields;
                const byName = new Map(candidates.map((c) => [c.name, c.text]));
                return {
                    expressions: fields.map((f) => ({ text: byName.get(f.name)!, expr: f.expr })),
                    rejected, fields: source.schema, values: (source.config as { values: Record<string, unknown>[] }).values
                };
            } catch (err) {
                if (!(err instanceof FlowCheckError)) throw err;
                const badLines = new Set(err.diagnostics.filter((d) => d.severity === 'error').map((d) => d.line - header.length - 1));
                if (![...badLines].some((l) => l >= 0 && l < candidates.length)) throw err;
                rejected.push(...candidates.filter((_, i) => badLines.has(i)).map((c) => c.text));
                candidates = candidates.filter((_, i) => !badLines.has(i));
            }
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** The map columns of a fixture file's first pipeline (a values source, then one map) as expressions named by their column. */
export async function expressionsOfFile(file: string): Promise<CheckedExpressions> {
    const { graphs } = await loadLogicalGraphs(file);
    const source = graphs[0].nodes.find((n) => n.config.kind === 'source')!;
    const map = graphs[0].nodes.find((n) => n.config.kind === 'map')!;
    // The records as the values source makes them (a decimal field's number becomes its text at the field's scale).
    const values = (source.config as { values: Record<string, unknown>[] }).values.map((v) => convertJsonRecord(source.schema, v));
    return {
        expressions: (map.config as { fields: NamedExpr[] }).fields.map((f) => ({ text: f.name, expr: f.expr })),
        rejected: [], fields: source.schema, values
    };
}

/**
 * A value of the local runtime as a plain Flink SQL literal of the field's type. Plain, because a
 * VALUES row holding any other expression (a CAST, a typed NULL) makes the planner turn VALUES into
 * a UNION of one-row sources, which needs more network buffers than a small TaskManager has.
 * Nulls are a placeholder plus a flag column (see valuesTableSql).
 */
function plainLiteral(value: unknown, field: SchemaField): string {
    const kind = field.type.kind;
    const absent = value === null || value === undefined;
    switch (kind) {
        case 'string': return stringLiteral(absent ? '' : String(value));
        case 'int': case 'long': return absent ? '0' : String(value);
        case 'double': return absent ? '0E0' : doubleLiteral(Number(value));
        case 'boolean': return !absent && value ? 'TRUE' : 'FALSE';
        case 'timestamp': return timestampLiteral(absent ? 0 : Number(value));
        // Text the VALUES column holds; valuesTableSql casts it to the DECIMAL(p, s).
        case 'decimal': return stringLiteral(absent ? '0' : String(value));
        // The date's ISO text; valuesTableSql casts it to DATE.
        case 'date': return stringLiteral(absent ? '1970-01-01' : String(value));
        default: throw new Error(`no literal for ${kind}`);
    }
}

/** `(SELECT ... FROM (VALUES ...))` holding `values` with the columns `#` (the row index) and the schema's fields. */
function valuesTableSql(fields: SchemaField[], values: Record<string, unknown>[]): string {
    const rows = values.map((row, i) => `(${[String(i), ...fields.flatMap((f) => [plainLiteral(row[f.name], f), row[f.name] == null ? 'TRUE' : 'FALSE'])].join(', ')})`);
    const raw = ['#', ...fields.flatMap((f) => [`${f.name}#value`, `${f.name}#null`])].map(quoteIdentifier).join(', ');
    const typed = fields.map((f) => `CASE WHEN ${quoteIdentifier(`${f.name}#null`)} THEN CAST(NULL AS ${sqlType(f.type)}) ELSE CAST(${quoteIdentifier(`${f.name}#value`)} AS ${sqlType(f.type)}) END AS ${quoteIdentifier(f.name)}`);
    return `(SELECT \`#\`, ${typed.join(', ')} FROM (VALUES\n  ${rows.join(',\n  ')}) AS v(${raw})) AS r`;
}

/** Flink's JSON value of a result column as the local runtime would hold it (timestamps as epoch ms). */
function fromFlink(value: unknown, type: Expr['type']): unknown {
    if (value === null || value === undefined) return null;
    switch (type.kind) {
        case 'timestamp': return Date.parse(`${String(value).replace(/Z$/, '')}Z`);
        case 'double': return typeof value === 'string' ? Number(value) : value;
        case 'array': return (value as unknown[]).map((v) => fromFlink(v, type.element));
        default: return value;
    }
}

/** A whole-number result the local runtime holds beyond its type (JavaScript numbers do not wrap around as Flink's INT and BIGINT do). */
function outOfRange(local: unknown, type: Expr['type']): boolean {
    if (typeof local !== 'number') return false;
    if (type.kind === 'int') return !(Number.isInteger(local) && Math.abs(local) <= 2147483647);
    if (type.kind === 'long') return !Number.isSafeInteger(local);
    return false;
}

/** Equal, with doubles compared to a relative tolerance and NaN equal to NaN. */
export function sameValue(a: unknown, b: unknown): boolean {
    if (typeof a === 'number' && typeof b === 'number') {
        if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
        if (a === b) return true;
        return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    }
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
    return a === b;
}

/** Evaluates `expressions` on both runtimes over `values` and reports every difference. */
export async function compareOnFlink(session: SqlGatewaySession, checked: CheckedExpressions, chunkSize = 40): Promise<ParityReport> {
    const report: ParityReport = { compared: 0, outOfRange: 0, unsupported: [], rejected: checked.rejected, localErrors: [], differences: [] };
    const runnable: { text: string; expr: Expr; sql: string; local: unknown[] }[] = [];
    for (const { text, expr } of checked.expressions) {
        let sql: string;
        try {
            sql = exprToSql(expr);
        } catch (err) {
            if (!(err instanceof FlinkUnsupported)) throw err;
            report.unsupported.push({ text, reason: err.message });
            continue;
        }
        try {
            const fn = compileExpression(expr);
            runnable.push({ text, expr, sql, local: checked.values.map((row) => fn(row)) });
        } catch (err) {
            report.localErrors.push({ text, error: (err as Error).message });
        }
    }
    const from = valuesTableSql(checked.fields, checked.values);
    const run = async (chunk: typeof runnable): Promise<unknown[][]> => {
        // A decimal comes back as its exact text ('12.50'), compared as the local runtime's text is.
        const column = (c: (typeof chunk)[number]) => (c.expr.type.kind === 'decimal' ? `CAST(${c.sql} AS STRING)` : c.sql);
        const select = `SELECT ${['`#`', ...chunk.map((c, i) => `${column(c)} AS ${quoteIdentifier(`c${i}`)}`)].join(',\n  ')}\nFROM ${from}`;
        const result = await session.execute(select);
        const byRow: unknown[][] = [];
        for (const r of result.rows) byRow[Number(r.fields[0])] = r.fields.slice(1);
        return byRow;
    };
    const compare = (item: (typeof runnable)[number], flinkRows: unknown[][], column: number) => {
        report.compared++;
        checked.values.forEach((_, row) => {
            if (outOfRange(item.local[row], item.expr.type)) {
                report.outOfRange++;
                return;
            }
            const flink = fromFlink(flinkRows[row]?.[column], item.expr.type);
            if (!sameValue(item.local[row], flink)) report.differences.push({ text: item.text, sql: item.sql, row, local: item.local[row], flink });
        });
    };
    for (let start = 0; start < runnable.length; start += chunkSize) {
        const chunk = runnable.slice(start, start + chunkSize);
        try {
            const flinkRows = await run(chunk);
            chunk.forEach((item, i) => compare(item, flinkRows, i));
        } catch {
            // One expression failed the query: run them one by one to name it.
            for (const item of chunk) {
                try {
                    compare(item, await run([item]), 0);
                } catch (err) {
                    report.differences.push({ text: item.text, sql: item.sql, error: (err as Error).message.slice(0, 400) });
                }
            }
        }
    }
    return report;
}

/**
 * One SQL Gateway session (batch mode, UTC) on the test cluster for the enclosing describe block:
 * opened before its tests, closed after them. Returns a getter, as the session exists only once
 * the `before` hook ran.
 */
export function flinkBatchSessionForSuite(): () => SqlGatewaySession {
    let session: SqlGatewaySession | undefined;
    before(async () => {
        const cluster = await flinkClusterForTests();
        session = await new SqlGatewayClient(cluster.sqlGatewayUrl).openSession({ 'execution.runtime-mode': 'batch', 'table.local-time-zone': 'UTC' });
    });
    after(async () => {
        await session?.close().catch(() => undefined);
    });
    return () => {
        if (!session) throw new Error('the Flink session is opened in the before hook');
        return session;
    };
}

/** The first ten differences of a report, each with its row, both values (or Flink's error) and the SQL. */
export function describeDifferences(report: ParityReport): string {
    return report.differences.slice(0, 10).map((d) => d.error
        ? `${d.text}\n  Flink failed: ${d.error}\n  SQL: ${d.sql}`
        : `${d.text} on row ${d.row}: local ${JSON.stringify(d.local)}, Flink ${JSON.stringify(d.flink)}\n  SQL: ${d.sql}`).join('\n');
}

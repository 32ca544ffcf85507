/**
 * OVER aggregates (`over last N rows { ... }`, `over last 1h { ... }`) as Flink SQL's OVER
 * windows: every row with `AGG(x) OVER (PARTITION BY keys ORDER BY time ROWS BETWEEN N - 1
 * PRECEDING AND CURRENT ROW)` (or `RANGE BETWEEN INTERVAL ... PRECEDING AND CURRENT ROW`) beside
 * its columns. Each aggregate call of a column gets its own OVER clause, all with the same window
 * (Flink requires that); the rest of the column's expression is computed around them.
 */
import type { Expr, LogicalNode, OverConfig } from '../../../protocol/logical-graph.js';
import { mapExpr, nodeExpressionSql } from './node-expression-sql.js';
import { intervalLiteral } from './sql-literals.js';
import { identifier } from './sql-syntax.js';
import { type Relation, selectList, type TranslationContext, viewHint } from './translation-context.js';

/** The aggregate functions the translation writes (builtin-function-sql.ts), after which the OVER clause goes. */
/** The .flow aggregate functions (language/src/typing/builtin-functions.ts, category 'aggregate'). */
const FLOW_AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max', 'first', 'last', 'collect', 'max_by', 'min_by']);

const SQL_AGGREGATES = /\b(COUNT|SUM|AVG|MIN|MAX|FIRST_VALUE|LAST_VALUE|ARRAY_AGG)\s*\(/i;

export function translateOver(ctx: TranslationContext, node: LogicalNode, config: OverConfig, input: Relation): Relation {
    if (ctx.streaming && input.rowtime !== config.timeField) {
        ctx.report(node, 'flink-over-needs-time-attribute', `over ... ordered by ${config.timeField}`,
            `Flink's OVER windows in streaming mode are ordered by an event-time attribute, and ${config.timeField} is not one at this point (${input.rowtime !== undefined ? `the rows' event time is ${input.rowtime}` : 'an operator before it does not keep event time in Flink'}).`);
    }
    const partition = config.keys.length > 0 ? `PARTITION BY ${config.keys.map((k) => nodeExpressionSql(ctx, node, k)).join(', ')} ` : '';
    const frame = config.rows !== undefined
        ? `ROWS BETWEEN ${config.rows - 1} PRECEDING AND CURRENT ROW`
        : `RANGE BETWEEN ${intervalLiteral(config.rangeMs!)} PRECEDING AND CURRENT ROW`;
    const over = `OVER (${partition}ORDER BY ${identifier(config.timeField)} ${frame})`;
    const columns = config.fields.map((f) => `${overExpressionSql(ctx, node, f.expr, over)} AS ${identifier(f.name)}`);
    const view = ctx.defineView(viewHint(node), `SELECT ${[selectList({ ...input, windowColumns: false }), ...columns].join(', ')}\nFROM ${input.name}`);
    // An OVER aggregate keeps the rows' event time (Flink's OVER keeps the rowtime attribute).
    return { name: view, columns: node.schema.map((f) => f.name), rowtime: input.rowtime, appendOnly: input.appendOnly, windowColumns: false };
}

/** `expr` with each aggregate call written as `AGG(...) OVER (...)`. */
function overExpressionSql(ctx: TranslationContext, node: LogicalNode, expr: Expr, over: string): string {
    const calls: string[] = [];
    // Each aggregate call becomes a placeholder column, replaced by its windowed SQL afterwards.
    const withPlaceholders = mapExpr(expr, (e) => {
        if (e.k !== 'call' || !FLOW_AGGREGATES.has(e.fn)) return undefined;
        calls.push(withOverClause(nodeExpressionSql(ctx, node, e), over));
        return { k: 'field', name: `__over_${calls.length - 1}`, type: e.type };
    });
    let sql = nodeExpressionSql(ctx, node, withPlaceholders);
    calls.forEach((call, i) => { sql = sql.split(identifier(`__over_${i}`)).join(`(${call})`); });
    return sql;
}

/** Puts the OVER clause after the aggregate function call in `sql` (its first one: an aggregate call's SQL holds one). */
function withOverClause(sql: string, over: string): string {
    const match = SQL_AGGREGATES.exec(sql);
    if (!match) return sql; // NULL: the call was reported as unsupported
    let depth = 0;
    for (let i = match.index + match[0].length - 1; i < sql.length; i++) {
        if (sql[i] === "'") {
            i = sql.indexOf("'", i + 1); // skip a string literal
            if (i < 0) break;
        } else if (sql[i] === '(') depth++;
        else if (sql[i] === ')' && --depth === 0) return `${sql.slice(0, i + 1)} ${over}${sql.slice(i + 1)}`;
    }
    return sql;
}

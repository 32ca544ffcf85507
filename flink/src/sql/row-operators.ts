/**
 * Operators that work row by row or merge streams: filter, map (select), flatMap, distinct and
 * union. Each becomes one view over its input.
 */
import type { LogicalNode, NodeConfig } from '../../../protocol/logical-graph.js';
import { nodeExpressionSql } from './node-expression-sql.js';
import { identifier } from './sql-syntax.js';
import { type Relation, selectList, type TranslationContext, viewHint } from './translation-context.js';

type Config<K extends NodeConfig['kind']> = Extract<NodeConfig, { kind: K }>;

/** filter: a WHERE clause; the rows keep everything they carry (time attribute, window columns). */
export function translateFilter(ctx: TranslationContext, node: LogicalNode, config: Config<'filter'>, input: Relation): Relation {
    const predicate = nodeExpressionSql(ctx, node, config.predicate);
    const view = ctx.defineView(viewHint(node), `SELECT ${selectList(input)}\nFROM ${input.name}\nWHERE ${predicate}`);
    return { ...input, name: view, pendingOrder: undefined };
}

/**
 * map / select: one expression per output field. A field copied unchanged from the input's
 * event-time column stays Flink's time attribute (a projection keeps it; any computation drops it).
 */
export function translateMap(ctx: TranslationContext, node: LogicalNode, config: Config<'map'>, input: Relation): Relation {
    const items = config.fields.map((f) => `${nodeExpressionSql(ctx, node, f.expr)} AS ${identifier(f.name)}`);
    const view = ctx.defineView(viewHint(node), `SELECT ${items.join(', ')}\nFROM ${input.name}`);
    const kept = config.fields.find((f) => f.expr.k === 'field' && f.expr.name === input.rowtime);
    return { name: view, columns: config.fields.map((f) => f.name), rowtime: kept?.name, appendOnly: input.appendOnly, windowColumns: false };
}

/** flatMap: one row per element of the array, beside the input's fields (CROSS JOIN UNNEST). */
export function translateFlatMap(ctx: TranslationContext, node: LogicalNode, config: Config<'flatMap'>, input: Relation): Relation {
    const array = nodeExpressionSql(ctx, node, config.value);
    const element = identifier(config.as);
    const items = node.schema.map((f) => (f.name === config.as ? `e.${element}` : `i.${identifier(f.name)}`));
    const view = ctx.defineView(viewHint(node),
        `SELECT ${items.join(', ')}\nFROM ${input.name} AS i\nCROSS JOIN UNNEST(${array}) AS e(${element})`);
    return {
        name: view, columns: node.schema.map((f) => f.name),
        rowtime: input.rowtime !== config.as ? input.rowtime : undefined, appendOnly: input.appendOnly, windowColumns: false
    };
}

/**
 * distinct: SELECT DISTINCT. In streaming mode Flink keeps every row seen in state and its
 * output is a changelog (a filesystem sink cannot take it), and the time attribute is gone.
 */
export function translateDistinct(ctx: TranslationContext, node: LogicalNode, input: Relation): Relation {
    const view = ctx.defineView(viewHint(node), `SELECT DISTINCT ${selectList(input, undefined, false)}\nFROM ${input.name}`);
    return { name: view, columns: input.columns, appendOnly: !ctx.streaming, windowColumns: false };
}

/** union: UNION ALL of the inputs, in input order; the time attribute survives when every input has it in the same column. */
export function translateUnion(ctx: TranslationContext, node: LogicalNode, inputs: Relation[]): Relation {
    const windowColumns = inputs.every((r) => r.windowColumns);
    const columns = node.schema.map((f) => f.name);
    // UNION ALL matches columns by position: each input lists its fields in the union's order.
    const selects = inputs.map((r) => `SELECT ${columns.map((c) => identifier(r.columns.includes(c) ? c : r.columns[columns.indexOf(c)])).join(', ')}${windowColumns ? ', window_start, window_end, window_time' : ''}\nFROM ${r.name}`);
    const view = ctx.defineView(viewHint(node), selects.join('\nUNION ALL\n'));
    const rowtime = inputs.every((r) => r.rowtime !== undefined && r.rowtime === inputs[0].rowtime) ? inputs[0].rowtime : undefined;
    return { name: view, columns, rowtime, appendOnly: inputs.every((r) => r.appendOnly), windowColumns };
}

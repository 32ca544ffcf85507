/**
 * orderBy and limit: batch ORDER BY/LIMIT, and Top-N with ROW_NUMBER() — per window (Flink's
 * Window Top-N, over a window aggregate's window_start/window_end) or over everything (a
 * changelog in streaming mode). An orderBy waits for the limit after it, so the pair becomes
 * one Top-N query.
 */
import type { LogicalNode, NodeConfig, TopNConfig } from '../../../protocol/logical-graph.js';
import { identifier } from './sql-syntax.js';
import { nodeExpressionSql } from './node-expression-sql.js';
import { type Relation, selectList, type TranslationContext, viewHint } from './translation-context.js';

type OrderByConfig = Extract<NodeConfig, { kind: 'orderBy' }>;
type LimitConfig = Extract<NodeConfig, { kind: 'limit' }>;

/** orderBy: nothing yet; the limit after it, or whatever reads it (`materializeOrder`), decides the SQL. */
export function translateOrderBy(node: LogicalNode, input: Relation): Relation {
    const base = materializedInput(input);
    return { ...base, pendingOrder: { node, input: base } };
}

function materializedInput(relation: Relation): Relation {
    return relation.pendingOrder ? relation.pendingOrder.input : relation;
}

function orderKeysSql(ctx: TranslationContext, order: LogicalNode): string {
    const config = order.config as OrderByConfig;
    return config.keys.map((k) => `${nodeExpressionSql(ctx, order, k.expr)} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
}

/**
 * An orderBy read by something other than a limit: batch mode sorts (per window first, when the
 * rows are a window aggregate's); streaming mode cannot sort rows by anything but time.
 */
export function materializeOrder(ctx: TranslationContext, relation: Relation): Relation {
    const pending = relation.pendingOrder;
    if (!pending) return relation;
    const { node, input } = pending;
    const config = node.config as OrderByConfig;
    if (ctx.streaming) {
        ctx.report(node, 'flink-streaming-order-by', 'orderBy without limit in streaming mode',
            'Flink\'s streaming mode sorts rows by time only; an orderBy on other fields needs a limit after it (a Top-N query) or batch mode.');
        return input;
    }
    const windowOrder = config.window ? config.window.fields.map((f) => `\`${f}\` ASC, `).join('') : '';
    const view = ctx.defineView(viewHint(node), `SELECT ${selectList(input)}\nFROM ${input.name}\nORDER BY ${windowOrder}${orderKeysSql(ctx, node)}`);
    return { ...input, name: view, pendingOrder: undefined };
}

export function translateLimit(ctx: TranslationContext, node: LogicalNode, config: LimitConfig, input: Relation): Relation {
    const order = input.pendingOrder?.node;
    const source = materializedInput(input);
    const orderSql = order ? orderKeysSql(ctx, order) : undefined;
    const perWindow = config.window !== undefined;

    if (!ctx.streaming && !perWindow) {
        const view = ctx.defineView(viewHint(node),
            `SELECT ${selectList(source)}\nFROM ${source.name}${orderSql ? `\nORDER BY ${orderSql}` : ''}\nLIMIT ${config.count}`);
        return { ...source, name: view, pendingOrder: undefined };
    }
    if (perWindow && !source.windowColumns) {
        ctx.report(node, 'flink-window-top-n-input', 'orderBy/limit per window',
            'Ranking per window needs the rows of a window aggregate directly (Flink\'s Window Top-N ranks by window_start and window_end, which a map in between drops).');
    }
    // Without an orderBy any N rows of each window will do, as in the local runtime: window_time is equal within a window.
    const rankOrder = orderSql ?? 'window_time ASC';
    if (!perWindow && ctx.streaming && !orderSql) {
        ctx.report(node, 'flink-limit-without-order', 'limit without orderBy in streaming mode',
            'A limit over all rows of a stream without an orderBy: Flink\'s streaming Top-N needs an ORDER BY to rank by.');
    }
    const partition = perWindow ? 'PARTITION BY window_start, window_end ' : '';
    const view = ctx.defineView(viewHint(node),
        `SELECT ${selectList(source)}\nFROM (\n  SELECT *, ROW_NUMBER() OVER (${partition}ORDER BY ${rankOrder}) AS rownum\n  FROM ${source.name}\n)\nWHERE rownum <= ${config.count}`);
    // A Window Top-N emits each window's rows once; a Top-N over everything updates its ranking as rows come.
    return { ...source, name: view, pendingOrder: undefined, appendOnly: source.appendOnly && (perWindow || !ctx.streaming) };
}

/**
 * `top N by ...` / `keep first|last by ...` per key: Flink's Top-N,
 * `ROW_NUMBER() OVER (PARTITION BY keys ORDER BY ...) <= N` (with N = 1 and a time attribute for
 * the order, Flink's deduplication). In streaming mode Flink emits it as a changelog, which the
 * rank column (`as rank`) keys like the local runtime's upserts.
 */
export function translateTopN(ctx: TranslationContext, node: LogicalNode, config: TopNConfig, input: Relation): Relation {
    const source = materializeOrder(ctx, input);
    const perWindow = config.window !== undefined;
    if (perWindow && !source.windowColumns) {
        ctx.report(node, 'flink-window-top-n-input', 'top ... per window',
            'Ranking per window needs the rows of a window aggregate directly (Flink\'s Window Top-N ranks by window_start and window_end, which a map in between drops).');
    }
    const keys = [...(perWindow ? ['window_start', 'window_end'] : []), ...config.keys.map((k) => nodeExpressionSql(ctx, node, k))];
    const partition = keys.length > 0 ? `PARTITION BY ${keys.join(', ')} ` : '';
    const order = config.order.map((k) => `${nodeExpressionSql(ctx, node, k.expr)} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
    const rank = config.rankField ? `, rownum AS ${identifier(config.rankField)}` : '';
    if (config.withTies && ctx.streaming) {
        ctx.report(node, 'flink-window-top-n-ties', `top ${config.count} by ... with ties`,
            `'top ${config.count} ... with ties' cannot run on Flink in streaming mode: Flink 2.3's Window Top-N takes ROW_NUMBER() only ("RANK() function is not supported on Window TopN currently"). Drop 'with ties' (one row per rank), or run the pipeline in batch mode, where Flink ranks with RANK().`);
    }
    // With ties every row ranked within N stays: RANK() gives tied rows one rank.
    const rankFunction = config.withTies ? 'RANK()' : 'ROW_NUMBER()';
    const view = ctx.defineView(viewHint(node),
        `SELECT ${selectList({ ...source, windowColumns: false })}${rank}\nFROM (\n  SELECT *, ${rankFunction} OVER (${partition}ORDER BY ${order}) AS rownum\n  FROM ${source.name}\n)\nWHERE rownum <= ${config.count}`);
    // A Window Top-N emits each window's rows once; a Top-N per key updates its ranking as rows come.
    return { name: view, columns: node.schema.map((f) => f.name), appendOnly: perWindow ? source.appendOnly : !ctx.streaming, windowColumns: false };
}

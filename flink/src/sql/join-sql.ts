/**
 * Joins: an equi-join of two views. With `within`, an interval join (a BETWEEN on both sides'
 * event times), which keeps the time attribute in Flink; without, a regular join, whose output
 * in streaming mode has none (and, for a left join, is a changelog).
 */
import type { Expr, LogicalNode, NodeConfig } from '../../../protocol/logical-graph.js';
import { nodeExpressionSql } from './node-expression-sql.js';
import { translateTemporalJoin } from './temporal-join-sql.js';
import { identifier, intervalLiteral } from './sql-syntax.js';
import { type Relation, selectList, type TranslationContext, viewHint } from './translation-context.js';

export type JoinConfig = Extract<NodeConfig, { kind: 'join' }>;

export function translateJoin(ctx: TranslationContext, node: LogicalNode, config: JoinConfig, left: Relation, right: Relation): Relation {
    if (config.temporal) return translateTemporalJoin(ctx, node, config, left, right);
    const l = keyedSide(ctx, node, left, config.leftKeys, 'left');
    const r = keyedSide(ctx, node, right, config.rightKeys, 'right');
    const conditions = l.keys.map((k, i) => `l.${k} = r.${r.keys[i]}`);
    let rowtime: string | undefined;
    if (config.withinMs !== undefined) {
        const leftTime = config.leftTimeField ?? left.rowtime;
        const rightTime = config.rightTimeField ?? right.rowtime;
        if (!leftTime || !rightTime || (ctx.streaming && (leftTime !== left.rowtime || rightTime !== right.rowtime))) {
            ctx.report(node, 'flink-interval-join-needs-time-attribute', 'join ... within',
                'An interval join needs both sides\' event-time columns as Flink time attributes; ' +
                `${!left.rowtime ? 'the left side' : 'the right side'} has none at this point (a regular join, a distinct, a rolling aggregate or a computed field before it drops it).`);
        }
        const within = intervalLiteral(config.withinMs);
        const lt = `l.${identifier(leftTime ?? 'ts')}`;
        conditions.push(`r.${identifier(rightTime ?? 'ts')} BETWEEN ${lt} - ${within} AND ${lt} + ${within}`);
        rowtime = config.leftFields.includes(left.rowtime ?? '') ? left.rowtime : undefined;
    }
    const items = [
        ...config.leftFields.map((f) => `l.${identifier(f)}`),
        ...config.rightFields.map((f) => `r.${identifier(f.from)}${f.as !== f.from ? ` AS ${identifier(f.as)}` : ''}`)
    ];
    const joinKeyword = config.joinType === 'left' ? 'LEFT JOIN' : 'JOIN';
    const view = ctx.defineView(viewHint(node),
        `SELECT ${items.join(', ')}\nFROM ${l.name} AS l\n${joinKeyword} ${r.name} AS r\nON ${conditions.join(' AND ')}`);
    const interval = config.withinMs !== undefined;
    return {
        name: view,
        columns: node.schema.map((f) => f.name),
        // A regular join's output has no time attribute in Flink streaming (batch mode needs none).
        rowtime: interval || !ctx.streaming ? rowtime : undefined,
        // An interval join emits unmatched left rows once the interval has passed; a regular left join retracts them.
        appendOnly: left.appendOnly && right.appendOnly && (interval || config.joinType === 'inner' || !ctx.streaming),
        windowColumns: false
    };
}

/**
 * One side of the join with its key columns: plain fields are used as they are; computed keys get
 * a view adding them as `__key<i>` (a projection, so the time attribute survives).
 */
export function keyedSide(ctx: TranslationContext, node: LogicalNode, side: Relation, keys: Expr[], which: 'left' | 'right'): { name: string; keys: string[] } {
    if (keys.every((k) => k.k === 'field')) {
        return { name: side.name, keys: keys.map((k) => identifier((k as { name: string }).name)) };
    }
    const computed = keys.map((k, i) => `${nodeExpressionSql(ctx, node, k)} AS ${identifier(`__key${i}`)}`);
    const name = ctx.defineView(`${viewHint(node)}_${which}_keys`, `SELECT ${selectList(side, undefined, false)}, ${computed.join(', ')}\nFROM ${side.name}`);
    return { name, keys: keys.map((_, i) => identifier(`__key${i}`)) };
}

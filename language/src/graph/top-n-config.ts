/**
 * The LogicalGraph node of `top N by ...` and `keep first|last by ...`: both are Flink's
 * ROW_NUMBER() ranking per key; `keep first` is `top 1`, `keep last` is `top 1` in the reverse order.
 */
import type { Expr, RowWindow, TopNConfig } from '../../../protocol/logical-graph.js';
import type { Expression, KeepOp, TopOp } from '../generated/ast.js';

export function topNConfig(
    op: TopOp | KeepOp, keys: Expr[] | undefined, finalOnWatermark: boolean, lower: (e: Expression) => Expr, window?: RowWindow,
    timeFields?: string[]
): TopNConfig {
    const reverse = op.$type === 'KeepOp' && op.which === 'last';
    const order = op.keys.map((k) => ({ expr: lower(k.value), descending: (k.direction === 'desc') !== reverse }));
    const config: TopNConfig = { kind: 'topN', keys: keys ?? [], order, count: op.$type === 'TopOp' ? op.count : 1 };
    if (op.$type === 'TopOp' && op.name) config.rankField = op.name;
    if (finalOnWatermark) config.finalOnWatermark = true;
    if (window) config.window = window;
    if (op.$type === 'KeepOp' && op.until) {
        config.until = lower(op.until);
        config.timeFields = timeFields ?? [];
    }
    if (op.$type === 'TopOp' && op.withTies) config.withTies = true;
    return config;
}

/**
 * Expressions of one node as Flink SQL, through fnparity's `exprToSql`: a construct Flink lacks
 * becomes a diagnostic at that node (the translation goes on, so every problem is reported).
 */
import type { Expr, LogicalNode } from '../../../protocol/logical-graph.js';
import { exprToSql } from './expression-sql.js';
import { FlinkUnsupported } from './flink-unsupported.js';
import type { TranslationContext } from './translation-context.js';

/**
 * `expr` as Flink SQL over the node's input columns (`window.start`/`window.end` are the
 * window_start/window_end columns every window function adds); `NULL`, with a diagnostic, when
 * Flink cannot express it.
 */
export function nodeExpressionSql(ctx: TranslationContext, node: LogicalNode, expr: Expr): string {
    try {
        return exprToSql(expr, { windowProperty: (property) => `window_${property}` });
    } catch (error) {
        if (!(error instanceof FlinkUnsupported)) throw error;
        ctx.report(node, 'flink-unsupported-expression', error.construct,
            `${error.construct} cannot run on Flink: ${error.reason}`);
        return 'NULL';
    }
}

/** A copy of `expr` with every sub-expression that `replace` answers for replaced (top-down). */
export function mapExpr(expr: Expr, replace: (e: Expr) => Expr | undefined): Expr {
    const replaced = replace(expr);
    if (replaced) return replaced;
    const m = (e: Expr) => mapExpr(e, replace);
    switch (expr.k) {
        case 'field': case 'literal': case 'window': return expr;
        case 'member': return { ...expr, receiver: m(expr.receiver) };
        case 'unary': return { ...expr, operand: m(expr.operand) };
        case 'binary': return { ...expr, left: m(expr.left), right: m(expr.right) };
        case 'isNull': return { ...expr, operand: m(expr.operand) };
        case 'in': return { ...expr, operand: m(expr.operand), values: expr.values.map(m) };
        case 'call': return { ...expr, args: expr.args.map(m) };
        case 'if': return { ...expr, condition: m(expr.condition), then: m(expr.then), else: m(expr.else) };
        case 'case': return { ...expr, branches: expr.branches.map((b) => ({ when: m(b.when), then: m(b.then) })), otherwise: expr.otherwise && m(expr.otherwise) };
        case 'cast': case 'calendarAdd': return { ...expr, value: m(expr.value) };
        case 'record': return { ...expr, fields: expr.fields.map((f) => ({ name: f.name, value: m(f.value) })) };
        case 'array': return { ...expr, items: expr.items.map(m) };
    }
}

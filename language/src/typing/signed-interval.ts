/**
 * A calendar interval as written in an expression: `1 month`, or negated, `-1 month`
 * (`-(-2 days)`), which moves the other way (`ts + -1 month` is `ts - 1 month`).
 */
import type { AstNode } from 'langium';
import { type Expression, type IntervalLiteral, isIntervalLiteral, isUnaryExpr } from '../generated/ast.js';

/** The interval literal under `expr`'s unary minuses and the sign they give it; undefined when `expr` is not one. */
export function signedInterval(expr: Expression): { interval: IntervalLiteral; sign: 1 | -1 } | undefined {
    let sign: 1 | -1 = 1;
    let current: Expression = expr;
    while (isUnaryExpr(current) && current.operator === '-') {
        sign = sign === 1 ? -1 : 1;
        current = current.operand;
    }
    return isIntervalLiteral(current) ? { interval: current, sign } : undefined;
}

/** The node an interval literal is an operand of, past the unary minuses that negate it. */
export function intervalOperandParent(interval: IntervalLiteral): AstNode | undefined {
    let parent = interval.$container;
    while (isUnaryExpr(parent) && parent.operator === '-') parent = parent.$container;
    return parent;
}

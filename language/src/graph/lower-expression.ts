/**
 * Lowers checked AST expressions to the LogicalGraph's plain expression trees, with every field
 * reference resolved to the flat field name of the record the runtime will see.
 */
import type { BinaryOperator, Expr, FlowType } from '../../../protocol/logical-graph.js';
import {
    type Expression, isArrayLiteral, isBinaryExpr, isBooleanLiteral, isCaseExpr, isCastExpr, isDurationLiteral,
    isFunctionCall, isIfExpr, isInExpr, isIsNullExpr, isMemberAccess, isNameRef, isNullLiteral, isNumberLiteral,
    isRecordLiteral, isSource, isStream, isStringLiteral, isTimestampLiteral, isUnaryExpr, isWindowProperty, isBetweenExpr, isDateLiteral,
    isDecimalLiteral, isNamedKey, type IntervalLiteral
} from '../generated/ast.js';
import type { ExpressionTyper } from '../typing/expression-typer.js';
import { toFlowType } from '../typing/flow-types.js';
import { signedInterval } from '../typing/signed-interval.js';
import { durationToMs, intervalParts, parseTimestampLiteral } from '../typing/durations.js';

/** Maps a resolved field to the name it has in the record being evaluated (join right side: its own name). */
export type FieldNaming = (entry: { name: string; originalName?: string }) => string;

const RECORD_NAME: FieldNaming = (entry) => entry.name;
export const ORIGINAL_NAME: FieldNaming = (entry) => entry.originalName ?? entry.name;

export class ExpressionLowering {
    constructor(private readonly typer: ExpressionTyper) {}

    lower(expr: Expression, naming: FieldNaming = RECORD_NAME): Expr {
        const type = toFlowType(this.typer.typeOf(expr));
        if (isNumberLiteral(expr)) return { k: 'literal', value: expr.value, type };
        if (isStringLiteral(expr)) return { k: 'literal', value: expr.value, type };
        if (isBooleanLiteral(expr)) return { k: 'literal', value: expr.value === true, type };
        if (isNullLiteral(expr)) return { k: 'literal', value: null, type };
        if (isDurationLiteral(expr)) return { k: 'literal', value: durationToMs(expr.value), type };
        if (isTimestampLiteral(expr)) return { k: 'literal', value: parseTimestampLiteral(expr.value) ?? null, type };
        if (isDateLiteral(expr)) return { k: 'literal', value: expr.value, type };
        if (isDecimalLiteral(expr)) return { k: 'literal', value: expr.value.trim(), type };
        if (isBetweenExpr(expr)) {
            // SQL's definition: x between a and b is x >= a and x <= b (with its null semantics), negated by not.
            const operand = this.lower(expr.operand, naming);
            const low = this.lower(expr.low, naming);
            const high = this.lower(expr.high, naming);
            const nullable = type.kind !== 'null' && 'nullable' in type && type.nullable === true;
            const bool = nullable ? { kind: 'boolean' as const, nullable: true } : { kind: 'boolean' as const };
            const lowSide: Expr = { k: 'binary', op: '>=', left: operand, right: low, type: nullOr(bool, operand, low) };
            const highSide: Expr = { k: 'binary', op: '<=', left: operand, right: high, type: nullOr(bool, operand, high) };
            const inside: Expr = { k: 'binary', op: 'and', left: lowSide, right: highSide, type: bool };
            return expr.negated ? { k: 'unary', op: 'not', operand: inside, type: bool } : inside;
        }
        if (isWindowProperty(expr)) return { k: 'window', property: expr.property, type };
        if (isNamedKey(expr)) return this.lower(expr.value, naming);
        if (isNameRef(expr)) {
            const entry = this.typer.entryOfNameRef(expr);
            // The name of a `keyBy <expression> as name` key stands for the key's expression: every
            // record of the group has the same value of it, so the aggregate computes it from any.
            if (entry?.declaration && isNamedKey(entry.declaration)) return this.lower(entry.declaration.value, naming);
            return { k: 'field', name: entry ? naming(entry) : expr.ref.$refText, type };
        }
        if (isMemberAccess(expr)) {
            const receiver = expr.receiver;
            if (isNameRef(receiver) && (isSource(receiver.ref.ref) || isStream(receiver.ref.ref))) {
                const entry = this.typer.entryOfMemberAccess(expr);
                return { k: 'field', name: entry ? naming(entry) : expr.member.$refText, type };
            }
            return { k: 'member', receiver: this.lower(receiver, naming), name: expr.member.$refText, type };
        }
        if (isUnaryExpr(expr)) return { k: 'unary', op: expr.operator, operand: this.lower(expr.operand, naming), type };
        if (isBinaryExpr(expr) && (expr.operator === '+' || expr.operator === '-')) {
            // `t ± 1 month`, `1 month + t`, `t + -1 month`: calendar arithmetic on the timestamp or date side.
            const sign = expr.operator === '-' ? -1 : 1;
            const right = signedInterval(expr.right);
            if (right) return { k: 'calendarAdd', value: this.lower(expr.left, naming), ...calendarStep(right.interval, sign * right.sign), type };
            const left = signedInterval(expr.left);
            if (left) return { k: 'calendarAdd', value: this.lower(expr.right, naming), ...calendarStep(left.interval, sign * left.sign), type };
        }
        if (isBinaryExpr(expr)) {
            return { k: 'binary', op: expr.operator as BinaryOperator, left: this.lower(expr.left, naming), right: this.lower(expr.right, naming), type };
        }
        if (isIsNullExpr(expr)) return { k: 'isNull', operand: this.lower(expr.operand, naming), negated: expr.negated, type };
        if (isInExpr(expr)) return { k: 'in', operand: this.lower(expr.operand, naming), values: expr.values.map((v) => this.lower(v, naming)), type };
        if (isFunctionCall(expr)) {
            const call: Expr = { k: 'call', fn: expr.function, args: expr.args.map((a) => this.lower(a, naming)), type };
            return expr.distinct ? { ...call, distinct: true } : call;
        }
        if (isIfExpr(expr)) {
            return { k: 'if', condition: this.lower(expr.condition, naming), then: this.lower(expr.then, naming), else: this.lower(expr.else, naming), type };
        }
        if (isCaseExpr(expr)) {
            const branches = expr.branches.map((b) => ({ when: this.lower(b.condition, naming), then: this.lower(b.value, naming) }));
            return expr.otherwise ? { k: 'case', branches, otherwise: this.lower(expr.otherwise, naming), type } : { k: 'case', branches, type };
        }
        if (isCastExpr(expr)) return { k: 'cast', value: this.lower(expr.value, naming), type };
        if (isRecordLiteral(expr)) {
            return { k: 'record', fields: expr.fields.map((f) => ({ name: f.name, value: this.lower(f.value, naming) })), type };
        }
        if (isArrayLiteral(expr)) return { k: 'array', items: expr.items.map((i) => this.lower(i, naming)), type };
        throw new Error(`Cannot lower the expression ${(expr as Expression).$type}.`);
    }
}

/** Evaluates a constant expression (values(...) records): literals, records, arrays, negation. */
export function constantValue(expr: Expr): unknown {
    switch (expr.k) {
        case 'literal': return expr.value;
        case 'record': return Object.fromEntries(expr.fields.map((f) => [f.name, constantValue(f.value)]));
        case 'array': return expr.items.map(constantValue);
        case 'unary':
            if (expr.op === '-') {
                return -(constantValue(expr.operand) as number);
            }
            break;
        case 'cast': return constantValue(expr.value);
    }
    throw new Error('values(...) takes constant records: literals, records and arrays only.');
}

/** An interval literal as whole months or days (years are 12 months, weeks 7 days), signed. */
function calendarStep(interval: IntervalLiteral, sign: number): { unit: 'month' | 'day'; amount: number } {
    const { count, unit } = intervalParts(interval.value);
    const [base, factor] = unit === 'year' ? ['month', 12] as const : unit === 'month' ? ['month', 1] as const : unit === 'week' ? ['day', 7] as const : ['day', 1] as const;
    return { unit: base, amount: sign * factor * count };
}

/** A comparison's type: nullable when either side is. */
function nullOr(bool: FlowType, a: Expr, b: Expr): FlowType {
    const nullable = (e: Expr) => e.type.kind === 'null' || ('nullable' in e.type && e.type.nullable === true);
    return nullable(a) || nullable(b) ? { kind: 'boolean', nullable: true } : { kind: bool.kind } as FlowType;
}

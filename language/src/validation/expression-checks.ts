/**
 * Checks of expressions: operand and argument types, function names and arity, aggregates only
 * inside aggregate/reduce, fields inside an aggregation must be keys, window properties only over
 * a window, streams are not values.
 */
import { AstUtils, type AstNode, type ValidationAcceptor } from 'langium';
import {
    type BinaryExpr, type BetweenExpr, type CaseBranch, type CastExpr, type DateLiteral, type DecimalLiteral, type DecimalType, type Expression, type IntervalLiteral, type FunctionCall, type IfExpr, type InExpr, type MemberAccess,
    type NameRef, type NumberLiteral, type TimestampLiteral, type UnaryExpr, type WindowProperty, isBinaryExpr, isFunctionCall, isJoinOp, isMemberAccess,
    isNameRef, isNamedKey, isStringLiteral
} from '../generated/ast.js';
import { compileDateFormat, DateFormatPatternError } from '../../../protocol/date-format.js';
import { decimalLiteralType, isValidDecimal, MAX_DECIMAL_PRECISION } from '../../../protocol/decimal-types.js';
import { isIsoDate } from '../../../protocol/calendar.js';
import type { FlowServices } from '../flow-module.js';
import { findBuiltinFunction, formatSignature, isAggregateFunction, BUILTIN_FUNCTIONS, type ParamType } from '../typing/builtin-functions.js';
import { expressionScopeOf } from '../typing/expression-scope.js';
import type { ExpressionTyper } from '../typing/expression-typer.js';
import { type LangType, formatType, isComparable, isNumber, isNumeric, isUnknown, isAssignable, primitive, sameType } from '../typing/flow-types.js';
import { parseTimestampLiteral } from '../typing/durations.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import { closestNames, listNames } from './did-you-mean.js';
import { intervalOperandParent } from '../typing/signed-interval.js';
import { IssueCodes } from './issue-codes.js';

/** The calendar units date_trunc truncates to (a plural `s` is allowed). */
const DATE_TRUNC_UNITS = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'];

export class ExpressionChecks {
    private readonly typer: ExpressionTyper;
    private readonly inference: SchemaInference;

    constructor(services: FlowServices) {
        this.typer = services.typing.ExpressionTyper;
        this.inference = services.typing.SchemaInference;
    }

    checkBinary(expr: BinaryExpr, accept: ValidationAcceptor): void {
        const left = this.typer.typeOf(expr.left);
        const right = this.typer.typeOf(expr.right);
        if (isUnknown(left) || isUnknown(right)) {
            return;
        }
        const op = expr.operator;
        if (op === 'and' || op === 'or') {
            for (const [side, type] of [[expr.left, left], [expr.right, right]] as const) {
                if (type.kind !== 'boolean' && type.kind !== 'null') {
                    accept('error', `The operands of '${op}' must be boolean, but this is ${formatType(type)}.`,
                        { node: side, data: { code: IssueCodes.OperandType } });
                }
            }
            return;
        }
        if (op === 'like') {
            if (left.kind !== 'string' || right.kind !== 'string') {
                accept('error', `'like' compares strings, but here it gets ${formatType(left)} and ${formatType(right)}.`,
                    { node: expr, property: 'operator', data: { code: IssueCodes.OperandType } });
            }
            return;
        }
        if (['==', '!=', '<', '<=', '>', '>='].includes(op)) {
            // A key equality of a join condition is checked (and reported) as join-key-types.
            if (!isComparable(left, right) && !isJoinKeyEquality(expr)) {
                accept('error', `Cannot compare ${formatType(left)} with ${formatType(right)} using '${op}'.`,
                    { node: expr, property: 'operator', data: { code: IssueCodes.OperandType } });
            }
            return;
        }
        if (isUnknown(this.typer.binaryType(op, left, right)) && (left.kind === 'interval' || right.kind === 'interval')) {
            const [interval, other] = left.kind === 'interval' ? [expr.left, right] : [expr.right, left];
            accept('error', `A calendar interval ('${interval.$cstNode?.text ?? ''}') moves a timestamp or a date (t + 1 month, t - 2 days); it cannot be ${op === '-' && interval === expr.left ? 'the left side of \'-\'' : `applied to ${formatType(other)} with '${op}'`}.`,
                { node: expr, property: 'operator', data: { code: IssueCodes.OperandType } });
            return;
        }
        if (isUnknown(this.typer.binaryType(op, left, right))) {
            accept('error', `The operator '${op}' cannot be applied to ${formatType(left)} and ${formatType(right)}.`,
                { node: expr, property: 'operator', data: { code: IssueCodes.OperandType } });
        }
    }

    /** A calendar interval is only the right side of `t ± interval` (or `interval + t`) on a timestamp or date. */
    checkInterval(interval: IntervalLiteral, accept: ValidationAcceptor): void {
        const parent = intervalOperandParent(interval); // past the minuses of `-1 month`
        if (isBinaryExpr(parent) && (parent.operator === '+' || parent.operator === '-')) return; // checked as the operator's operands
        accept('error', `A calendar interval ('${interval.$cstNode?.text ?? ''}') is not a value: add it to or subtract it from a timestamp or date (ts + ${interval.$cstNode?.text ?? ''}). For a length of time use a duration (1d, 12h).`,
            { node: interval, data: { code: IssueCodes.IntervalNotValue } });
    }

    checkUnary(expr: UnaryExpr, accept: ValidationAcceptor): void {
        const operand = this.typer.typeOf(expr.operand);
        if (isUnknown(operand) || operand.kind === 'null') {
            return;
        }
        if (expr.operator === 'not' && operand.kind !== 'boolean') {
            accept('error', `'not' needs a boolean, but this is ${formatType(operand)}.`, { node: expr.operand, data: { code: IssueCodes.OperandType } });
        }
        if (expr.operator === '-' && !isNumber(operand) && operand.kind !== 'duration' && operand.kind !== 'interval') {
            accept('error', `Cannot negate a value of type ${formatType(operand)}.`, { node: expr.operand, data: { code: IssueCodes.OperandType } });
        }
    }

    checkIf(expr: IfExpr, accept: ValidationAcceptor): void {
        this.expectBoolean(expr.condition, 'The condition of if', accept);
        const thenType = this.typer.typeOf(expr.then);
        const elseType = this.typer.typeOf(expr.else);
        if (!isUnknown(thenType) && !isUnknown(elseType) && isUnknown(this.typer.commonType([thenType, elseType]))) {
            accept('error', `The branches of if have different types: ${formatType(thenType)} and ${formatType(elseType)}.`,
                { node: expr.else, data: { code: IssueCodes.OperandType } });
        }
    }

    /** Casts convert between primitive types (text is parsed); arrays and records are not converted. */
    checkCast(expr: CastExpr, accept: ValidationAcceptor): void {
        const from = this.typer.typeOf(expr.value);
        const to = this.inference.typeOfTypeRef(expr.type);
        if (isUnknown(from) || isUnknown(to) || from.kind === 'null' || sameType(from, to)) {
            return;
        }
        const structured = (t: LangType) => t.kind === 'array' || t.kind === 'record';
        // Booleans, timestamps and durations do not convert into each other.
        const temporalOrBoolean = new Set(['boolean', 'timestamp', 'duration']);
        // A date converts from and to text and timestamps; a decimal from and to numbers and text.
        const dateMismatch = (from.kind === 'date' || to.kind === 'date') && ![from.kind, to.kind].every((k) => k === 'date' || k === 'string' || k === 'timestamp');
        const decimalMismatch = (from.kind === 'decimal' || to.kind === 'decimal') && ![from.kind, to.kind].every((k) => isNumber({ kind: k } as LangType) || k === 'string' || (k === 'boolean' && to.kind === 'decimal'));
        if (structured(from) || structured(to) || dateMismatch || decimalMismatch || (temporalOrBoolean.has(from.kind) && temporalOrBoolean.has(to.kind))) {
            accept('error', `Cannot cast ${formatType(from)} to ${formatType(to)}.`, { node: expr, property: 'type', data: { code: IssueCodes.OperandType } });
        }
    }

    checkCaseBranch(branch: CaseBranch, accept: ValidationAcceptor): void {
        this.expectBoolean(branch.condition, 'The condition of when', accept);
    }

    checkIn(expr: InExpr, accept: ValidationAcceptor): void {
        const operand = this.typer.typeOf(expr.operand);
        for (const value of expr.values) {
            const type = this.typer.typeOf(value);
            if (!isUnknown(operand) && !isUnknown(type) && !isComparable(operand, type)) {
                accept('error', `This value is ${formatType(type)}, but it is compared with ${formatType(operand)}.`,
                    { node: value, data: { code: IssueCodes.OperandType } });
            }
        }
    }

    /** `x between a and b`: the bounds compare with x as `>=` and `<=` would. */
    checkBetween(expr: BetweenExpr, accept: ValidationAcceptor): void {
        const operand = this.typer.typeOf(expr.operand);
        for (const bound of [expr.low, expr.high]) {
            const type = this.typer.typeOf(bound);
            if (!isUnknown(operand) && !isUnknown(type) && !isComparable(operand, type)) {
                accept('error', `Cannot compare ${formatType(operand)} with ${formatType(type)} using 'between'.`,
                    { node: bound, data: { code: IssueCodes.OperandType } });
            }
        }
    }

    /** `date "2026-01-31"`: a real calendar day, written yyyy-MM-dd. */
    checkDate(literal: DateLiteral, accept: ValidationAcceptor): void {
        if (literal.value !== undefined && !isIsoDate(literal.value)) {
            accept('error', `"${literal.value}" is not a date; expected yyyy-MM-dd, e.g. "2026-01-31".`,
                { node: literal, property: 'value', data: { code: IssueCodes.InvalidLiteral } });
        }
    }

    /** `decimal "0.908"`: plain decimal digits (no exponent), at most 38 of them. */
    checkDecimalLiteral(literal: DecimalLiteral, accept: ValidationAcceptor): void {
        if (literal.value !== undefined && decimalLiteralType(literal.value) === undefined) {
            accept('error', `"${literal.value}" is not a decimal; expected digits with an optional point and sign (at most ${MAX_DECIMAL_PRECISION} digits), e.g. "0.908".`,
                { node: literal, property: 'value', data: { code: IssueCodes.InvalidLiteral } });
        }
    }

    /** DECIMAL(p, s) as Flink allows it: 1 to 38 digits in all, 0 to p of them after the point. */
    checkDecimalType(type: DecimalType, accept: ValidationAcceptor): void {
        if (!isValidDecimal(type.precision, type.scale)) {
            accept('error', `'decimal(${type.precision}, ${type.scale})' is not a decimal type: the precision must be 1 to ${MAX_DECIMAL_PRECISION} and the scale 0 to the precision.`,
                { node: type, data: { code: IssueCodes.InvalidDecimalType } });
        }
    }

    checkTimestamp(literal: TimestampLiteral, accept: ValidationAcceptor): void {
        // Langium's default value converter already strips the quotes of a STRING.
        if (literal.value !== undefined && parseTimestampLiteral(literal.value) === undefined) {
            accept('error', `"${literal.value}" is not a timestamp; expected ISO 8601, e.g. "2024-01-31T12:00:00Z".`,
                { node: literal, property: 'value', data: { code: IssueCodes.InvalidLiteral } });
        }
    }

    /** Numbers are JavaScript numbers at run time: whole numbers beyond 2^53 would silently lose digits. */
    checkNumber(literal: NumberLiteral, accept: ValidationAcceptor): void {
        const text = literal.$cstNode?.text ?? '';
        if (/^[0-9]+$/.test(text) && !Number.isSafeInteger(Number(text))) {
            accept('error', `The whole number ${text} is too large; whole numbers must be at most ${Number.MAX_SAFE_INTEGER}.`,
                { node: literal, data: { code: IssueCodes.InvalidLiteral } });
        } else if (!Number.isFinite(literal.value)) {
            accept('error', `The number ${text} is too large.`, { node: literal, data: { code: IssueCodes.InvalidLiteral } });
        }
    }

    checkFunctionCall(call: FunctionCall, accept: ValidationAcceptor): void {
        const signature = findBuiltinFunction(call.function);
        if (!signature) {
            const suggestions = closestNames(call.function, BUILTIN_FUNCTIONS.map((f) => f.name));
            accept('error', `Unknown function '${call.function}'.${suggestions.length ? ` Did you mean ${listNames(suggestions)}?` : ' See docs/language.md for the built-in functions.'}`,
                { node: call, property: 'function', data: { code: IssueCodes.UnknownFunction, suggestions, refText: call.function } });
            return;
        }
        const scope = expressionScopeOf(call, this.inference);
        if (signature.category === 'aggregate') {
            if (!scope.aggregate) {
                accept('error', `'${call.function}' is an aggregate function; it can only be used in aggregate, reduce or over.`,
                    { node: call, property: 'function', data: { code: IssueCodes.AggregateOutsideAggregation } });
                return;
            }
            const outer = AstUtils.getContainerOfType(call.$container, isFunctionCall);
            for (let n = outer; n; n = AstUtils.getContainerOfType(n.$container, isFunctionCall)) {
                if (isAggregateFunction(n.function)) {
                    accept('error', `Aggregate functions cannot be nested: '${call.function}' is inside '${n.function}'.`,
                        { node: call, property: 'function', data: { code: IssueCodes.NestedAggregate } });
                    break;
                }
            }
        }
        if (call.distinct && call.function !== 'count') {
            accept('error', `'distinct' is only allowed in count(distinct x).`, { node: call, property: 'distinct', data: { code: IssueCodes.ArgumentType } });
        }
        if (call.distinct && call.args.length !== 1) {
            // count() alone counts records; count(distinct) needs the value whose distinct values it counts.
            accept('error', `'count(distinct x)' takes exactly one value, but got ${call.args.length}.`,
                { node: call, property: 'function', data: { code: IssueCodes.ArgumentCount } });
            return;
        }
        const required = signature.params.filter((p) => !p.optional).length;
        const max = signature.variadic ? Infinity : signature.params.length;
        if (call.args.length < required || call.args.length > max) {
            const expected = required === max ? `${required}` : max === Infinity ? `at least ${required}` : `${required} to ${max}`;
            accept('error', `'${call.function}' takes ${expected} argument${expected === '1' ? '' : 's'} but got ${call.args.length}: ${formatSignature(signature)}.`,
                { node: call, property: 'function', data: { code: IssueCodes.ArgumentCount } });
            return;
        }
        const firstType = call.args[0] ? this.typer.typeOf(call.args[0]) : undefined;
        call.args.forEach((arg, i) => {
            const param = signature.params[Math.min(i, signature.params.length - 1)];
            const type = this.typer.typeOf(arg);
            if (!isUnknown(type) && !fitsParam(type, param.type, firstType)) {
                const hint = type.kind === 'decimal' && param.type === 'numeric' ? ` Write cast(... as double) to use a decimal here.` : '';
                accept('error', `Argument '${param.name}' of '${call.function}' must be ${describeParam(param.type, firstType)}, but this is ${formatType(type)}.${hint}`,
                    { node: arg, data: { code: IssueCodes.ArgumentType } });
            }
        });
        if (call.function === 'date_format') {
            this.checkDateFormatPattern(call.args[1], accept);
        }
        const unit = call.args[0];
        if (call.function === 'date_trunc' && isStringLiteral(unit) && !DATE_TRUNC_UNITS.includes(unit.value.toLowerCase().replace(/s$/, ''))) {
            accept('error', `"${unit.value}" is not a date_trunc unit; expected ${listNames(DATE_TRUNC_UNITS)}.`, { node: unit, data: { code: IssueCodes.InvalidLiteral } });
        }
    }

    /** A literal date_format pattern is read now, so a letter it cannot format is reported here, not at run time. */
    private checkDateFormatPattern(pattern: Expression | undefined, accept: ValidationAcceptor): void {
        if (!isStringLiteral(pattern)) {
            return;
        }
        try {
            compileDateFormat(pattern.value);
        } catch (e) {
            if (!(e instanceof DateFormatPatternError)) throw e;
            accept('error', `"${pattern.value}" is not a date_format pattern: ${e.message}.`,
                { node: pattern, data: { code: IssueCodes.InvalidLiteral } });
        }
    }

    /** A field used in aggregate/reduce outside any aggregate function must be one of the keys. */
    checkFieldInAggregation(ref: NameRef | MemberAccess, accept: ValidationAcceptor): void {
        if (isNameRef(ref) && isMemberAccess(ref.$container) && ref.$container.receiver === ref) {
            return; // the receiver `s` of `s.f` is checked as part of `s.f`
        }
        if (isNameRef(ref)) {
            if (this.typer.streamNamedBy(ref)) {
                accept('error', `'${ref.ref.$refText}' is a stream, not a value; use one of its fields, e.g. ${ref.ref.$refText}.<field>.`,
                    { node: ref, data: { code: IssueCodes.StreamAsValue } });
                return;
            }
        }
        const scope = expressionScopeOf(ref, this.inference);
        if (!scope.aggregate || !scope.operator || scope.operator.$type === 'OverOp') {
            return; // in 'over', a field outside an aggregate function is the current row's
        }
        for (let n: AstNode | undefined = ref.$container; n && n !== scope.operator; n = n.$container) {
            if (isFunctionCall(n) && isAggregateFunction(n.function)) {
                return;
            }
            if (n.$type === 'OrderKey') {
                return;
            }
        }
        const entry = isNameRef(ref) ? this.typer.entryOfNameRef(ref) : this.typer.entryOfMemberAccess(ref);
        if (!entry) {
            return;
        }
        const keyBy = scope.schema.keyBy;
        const keyNames = keyBy?.keys.map((k) => this.keyName(k)).filter((k): k is string => k !== undefined) ?? [];
        if (keyNames.includes(entry.name)) {
            return;
        }
        if (keyBy?.keys.some((k) => (isNameRef(k) || isMemberAccess(k)) && this.keyName(k) === undefined)) {
            return; // a key is not a known field, reported there: which fields are keys is unknown
        }
        if (!keyBy) {
            accept('error', `'${entry.name}' is used outside an aggregate function, but the stream is not keyed: add 'keyBy ${entry.name}' before this operator, or aggregate it (e.g. first(${entry.name})).`,
                { node: ref, data: { code: IssueCodes.MissingKeyBy, keys: [entry.name] } });
        } else {
            accept('error', `'${entry.name}' is not a key of this aggregation (the keys are ${listNames(keyNames)}); use it inside an aggregate function such as first(${entry.name}).`,
                { node: ref, data: { code: IssueCodes.FieldNotKey } });
        }
    }

    checkWindowProperty(prop: WindowProperty, accept: ValidationAcceptor): void {
        const scope = expressionScopeOf(prop, this.inference);
        if (!scope.window) {
            accept('error', `'window.${prop.property}' is only available in an aggregate or reduce that follows a window.`,
                { node: prop, data: { code: IssueCodes.WindowPropertyOutsideWindow } });
        }
    }

    /** The field name a keyBy key stands for. */
    keyName(key: Expression): string | undefined {
        if (isNamedKey(key)) {
            return key.name;
        }
        if (isNameRef(key)) {
            return this.typer.entryOfNameRef(key)?.name;
        }
        if (isMemberAccess(key)) {
            return this.typer.entryOfMemberAccess(key)?.name;
        }
        return undefined;
    }

    expectBoolean(expr: Expression | undefined, what: string, accept: ValidationAcceptor): void {
        if (!expr) {
            return;
        }
        const type = this.typer.typeOf(expr);
        if (!isUnknown(type) && type.kind !== 'boolean' && type.kind !== 'null') {
            accept('error', `${what} must be boolean, but this is ${formatType(type)}.`, { node: expr, data: { code: IssueCodes.ConditionNotBoolean } });
        }
    }
}

function fitsParam(type: LangType, param: ParamType, first: LangType | undefined): boolean {
    switch (param) {
        case 'any': return true;
        case 'numeric': return isNumeric(type) || type.kind === 'null';
        case 'number': return isNumber(type) || type.kind === 'null';
        case 'T': return !first || isUnknown(first) || isComparable(type, first);
        case 'string[]': return type.kind === 'array' && type.element.kind === 'string';
        default: return isAssignable(type, primitive(param));
    }
}

function describeParam(param: ParamType, first: LangType | undefined): string {
    switch (param) {
        case 'numeric': return 'a number (int, long or double)';
        case 'number': return 'a number (int, long, double or decimal)';
        case 'T': return first ? `of the same type as the first argument (${formatType(first)})` : 'of the same type as the first argument';
        default: return `${param === 'int' ? 'an' : 'a'} ${param}`;
    }
}

/** True for `a == b` directly in a join condition, or in an `and` chain that is one. */
function isJoinKeyEquality(expr: BinaryExpr): boolean {
    if (expr.operator !== '==') {
        return false;
    }
    let n: AstNode | undefined = expr.$container;
    while (isBinaryExpr(n) && n.operator === 'and') {
        n = n.$container;
    }
    return isJoinOp(n);
}

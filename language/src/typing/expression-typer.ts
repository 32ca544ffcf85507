/**
 * The type of every expression. Pure: it reports nothing; the validator compares the types it
 * computes with what each place expects. Mistakes yield `unknown`, which is assignable anywhere,
 * so one error is reported once.
 */
import { WorkspaceCache, type AstNode, type LangiumSharedCoreServices } from 'langium';
import {
    type Expression, type FunctionCall, type MemberAccess, type NameRef, type Source, type Stream, isArrayLiteral, isBinaryExpr, isBooleanLiteral,
    isCaseExpr, isCastExpr, isDurationLiteral, isFunctionCall, isIfExpr, isInExpr, isIsNullExpr, isMemberAccess, isNameRef,
    isNullLiteral, isNumberLiteral, isRecordLiteral, isSource, isStream, isStringLiteral, isTimestampLiteral, isUnaryExpr,
    isWindowProperty, isBetweenExpr, isDateLiteral, isDecimalLiteral, isNamedKey, isIntervalLiteral
} from '../generated/ast.js';
import { findBuiltinFunction, type ParamType } from './builtin-functions.js';
import {
    type LangType, INTERVAL, NULL_TYPE, UNKNOWN, arrayOf, decimalArithmeticResult, decimalType, isNullable, isNumber, isNumeric, primitive, toFlowType,
    widenNumeric, withNullable
} from './flow-types.js';
import { decimalAvgType, decimalLiteralType, decimalSumType } from '../../../protocol/decimal-types.js';
import { expressionScopeOf } from './expression-scope.js';
import type { SchemaInference } from './schema-inference.js';
import { findEntry, findQualifiedEntry, type SchemaEntry } from './stream-schema.js';

export class ExpressionTyper {
    private readonly cache: WorkspaceCache<AstNode, LangType>;

    constructor(shared: LangiumSharedCoreServices, private readonly inference: SchemaInference) {
        this.cache = new WorkspaceCache(shared);
    }

    typeOf(expr: Expression): LangType {
        const hit = this.cache.get(expr);
        if (hit) {
            return hit;
        }
        const type = this.compute(expr);
        this.cache.set(expr, type);
        return type;
    }

    /**
     * The source or stream a name reference names, or undefined when it names a field. Fields
     * a connector synthesizes (`line` of a text source, the columns of `<source>.deadLetter`)
     * have the source itself as their declaration, so linking to a source is not enough: the
     * name must not be a field of the scope that declares it that way.
     */
    streamNamedBy(ref: NameRef): Source | Stream | undefined {
        const target = ref.ref.ref;
        if (!isSource(target) && !isStream(target)) {
            return undefined;
        }
        const entry = findEntry(expressionScopeOf(ref, this.inference).schema, ref.ref.$refText);
        return entry?.declaration === target ? undefined : target;
    }

    /** The schema field a name reference stands for, if it is a field (not a stream). */
    entryOfNameRef(ref: NameRef): SchemaEntry | undefined {
        if (this.streamNamedBy(ref)) {
            return undefined;
        }
        return findEntry(expressionScopeOf(ref, this.inference).schema, ref.ref.$refText);
    }

    /** The schema field `stream.field` or `record.field` stands for. */
    entryOfMemberAccess(access: MemberAccess): SchemaEntry | undefined {
        const receiver = access.receiver;
        const name = access.member.$refText;
        if (isNameRef(receiver) && this.streamNamedBy(receiver)) {
            return findQualifiedEntry(expressionScopeOf(access, this.inference).schema, receiver.ref.$refText, name);
        }
        const receiverType = this.typeOf(receiver);
        if (receiverType.kind === 'record') {
            const field = receiverType.fields.find((f) => f.name === name);
            return field ? { name: field.name, type: withNullable(field.type, isNullable(receiverType) || isNullable(field.type)) } : undefined;
        }
        return undefined;
    }

    private compute(expr: Expression): LangType {
        if (isNumberLiteral(expr)) {
            const text = expr.$cstNode?.text ?? String(expr.value);
            if (/[.eE]/.test(text)) {
                return primitive('double');
            }
            return Math.abs(expr.value) > 2147483647 ? primitive('long') : primitive('int');
        }
        if (isStringLiteral(expr)) return primitive('string');
        if (isBooleanLiteral(expr)) return primitive('boolean');
        if (isNullLiteral(expr)) return NULL_TYPE;
        if (isDurationLiteral(expr)) return primitive('duration');
        if (isIntervalLiteral(expr)) return INTERVAL;
        if (isTimestampLiteral(expr)) return primitive('timestamp');
        if (isDateLiteral(expr)) return primitive('date');
        if (isDecimalLiteral(expr)) {
            const shape = decimalLiteralType(expr.value);
            return shape ? decimalType(shape) : UNKNOWN;
        }
        if (isBetweenExpr(expr)) {
            const types = [this.typeOf(expr.operand), this.typeOf(expr.low), this.typeOf(expr.high)];
            return primitive('boolean', types.some(isNullable));
        }
        if (isWindowProperty(expr)) return primitive('timestamp');
        // `keyBy <expression> as name`: the key has the type of its expression.
        if (isNamedKey(expr)) return this.typeOf(expr.value);
        if (isNameRef(expr)) return this.entryOfNameRef(expr)?.type ?? UNKNOWN;
        if (isMemberAccess(expr)) return this.entryOfMemberAccess(expr)?.type ?? UNKNOWN;
        if (isUnaryExpr(expr)) {
            const operand = this.typeOf(expr.operand);
            if (expr.operator === 'not') {
                return primitive('boolean', isNullable(operand));
            }
            // `-1 month`: a calendar interval the other way (signed-interval.ts).
            return isNumber(operand) || operand.kind === 'duration' || operand.kind === 'interval' ? operand : UNKNOWN;
        }
        if (isBinaryExpr(expr)) return this.binaryType(expr.operator, this.typeOf(expr.left), this.typeOf(expr.right));
        if (isIsNullExpr(expr)) return primitive('boolean');
        // Null when the operand is, or when nothing matches and a value is null (SQL's IN).
        if (isInExpr(expr)) return primitive('boolean', isNullable(this.typeOf(expr.operand)) || expr.values.some((v) => isNullable(this.typeOf(v))));
        if (isIfExpr(expr)) return this.commonType([this.typeOf(expr.then), this.typeOf(expr.else)]);
        if (isCaseExpr(expr)) {
            const results = expr.branches.map((b) => this.typeOf(b.value));
            const all = expr.otherwise ? [...results, this.typeOf(expr.otherwise)] : [...results, NULL_TYPE];
            return this.commonType(all);
        }
        if (isCastExpr(expr)) {
            return withNullable(this.inference.typeOfTypeRef(expr.type), isNullable(this.typeOf(expr.value)) || expr.type.nullable);
        }
        if (isRecordLiteral(expr)) {
            return { kind: 'record', fields: expr.fields.map((f) => ({ name: f.name, type: toFlowType(this.typeOf(f.value)) })) };
        }
        if (isArrayLiteral(expr)) {
            return expr.items.length === 0 ? arrayOf(primitive('string')) : arrayOf(this.commonType(expr.items.map((i) => this.typeOf(i))));
        }
        if (isFunctionCall(expr)) return this.callType(expr);
        return UNKNOWN;
    }

    /** The result type of `left op right`, or unknown when the operands do not fit (the validator says why). */
    binaryType(op: string, left: LangType, right: LangType): LangType {
        if (left.kind === 'unknown' || right.kind === 'unknown') {
            return op === 'and' || op === 'or' || isComparison(op) ? primitive('boolean') : UNKNOWN;
        }
        const nullable = isNullable(left) || isNullable(right);
        if (op === 'and' || op === 'or' || isComparison(op) || op === 'like') {
            return primitive('boolean', nullable);
        }
        if ((left.kind === 'decimal' || right.kind === 'decimal') && (op === '+' || op === '-' || op === '*' || op === '/' || op === '%')) {
            return decimalArithmeticResult(op, left, right) ?? UNKNOWN;
        }
        if (isNumeric(left) && isNumeric(right)) {
            return op === '/' ? primitive('double', nullable) : widenNumeric(left, right);
        }
        if (op === '+' && left.kind === 'string' && right.kind === 'string') {
            return primitive('string', nullable);
        }
        // Calendar arithmetic: `ts + 1 month`, `d - 2 days`, `1 month + ts`; the value keeps its type.
        if ((left.kind === 'timestamp' || left.kind === 'date') && right.kind === 'interval' && (op === '+' || op === '-')) {
            return primitive(left.kind, nullable);
        }
        if (left.kind === 'interval' && (right.kind === 'timestamp' || right.kind === 'date') && op === '+') {
            return primitive(right.kind, nullable);
        }
        if (left.kind === 'timestamp' && right.kind === 'duration' && (op === '+' || op === '-')) {
            return primitive('timestamp', nullable);
        }
        if (left.kind === 'timestamp' && right.kind === 'timestamp' && op === '-') {
            return primitive('duration', nullable);
        }
        if (left.kind === 'duration' && right.kind === 'duration' && (op === '+' || op === '-')) {
            return primitive('duration', nullable);
        }
        if (left.kind === 'duration' && isNumeric(right) && (op === '*' || op === '/')) {
            return primitive('duration', nullable);
        }
        return UNKNOWN;
    }

    private callType(call: FunctionCall): LangType {
        const signature = findBuiltinFunction(call.function);
        if (!signature) {
            return UNKNOWN;
        }
        const args = call.args.map((a) => this.typeOf(a));
        const first = args[0] ?? UNKNOWN;
        if (first.kind === 'decimal' && (call.function === 'sum' || call.function === 'avg')) {
            // Flink's SUM of DECIMAL(p, s) is DECIMAL(38, s), its AVG DECIMAL(38, max(s, 6)).
            const shape = { precision: first.precision, scale: first.scale };
            return decimalType(call.function === 'sum' ? decimalSumType(shape) : decimalAvgType(shape), isNullable(first));
        }
        switch (signature.returns) {
            case 'T': {
                const bound = signature.variadic ? this.commonType(args) : first;
                // coalesce is non-null when its last argument is.
                if (call.function === 'coalesce' && args.length > 0) {
                    return withNullable(bound, args.every(isNullable));
                }
                return bound;
            }
            case 'element-of-first': return first.kind === 'array' ? first.element : UNKNOWN;
            case 'array-of-first': return arrayOf(first);
            case 'widened-numeric': return args.every(isNumeric) && args.length > 0 ? args.reduce((a, b) => widenNumeric(a, b)) : UNKNOWN;
            case 'string[]': return arrayOf(primitive('string'));
            // Aggregates skip nulls: avg of a nullable argument is null when every value was null; count never is.
            default: return primitive(returnKind(signature.returns), signature.mayBeNull === true || (args.some(isNullable) && call.function !== 'count'));
        }
    }

    /** The type that all of `types` fit in (numbers widen, null makes nullable), or unknown. */
    commonType(types: LangType[]): LangType {
        const known = types.filter((t) => t.kind !== 'null' && t.kind !== 'unknown');
        const hasNull = known.length !== types.filter((t) => t.kind !== 'unknown').length;
        if (known.length === 0) {
            return types.some((t) => t.kind === 'unknown') ? UNKNOWN : NULL_TYPE;
        }
        let result: LangType = known[0];
        for (const t of known.slice(1)) {
            if (isNumber(result) && isNumber(t)) {
                result = widenNumeric(result, t);
            } else if (t.kind !== result.kind) {
                return UNKNOWN;
            }
        }
        return withNullable(result, hasNull || known.some(isNullable));
    }
}

function isComparison(op: string): boolean {
    return op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=';
}

function returnKind(t: ParamType): 'int' | 'long' | 'double' | 'boolean' | 'string' | 'timestamp' | 'duration' {
    return (t === 'numeric' || t === 'number' || t === 'any' || t === 'T' || t === 'string[]') ? 'double' : t;
}


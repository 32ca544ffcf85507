/**
 * Turns a checked expression tree into JavaScript source text. Operands that cannot be null (by
 * their checked types) compile to plain JavaScript operators; nullable ones go through the
 * null-propagating helpers of builtin-functions.ts. Generated code refers to `$F` (the library),
 * `$C` (constants such as precompiled regular expressions) and `$g` (datagen generator state).
 */
import type { Expr, FlowType } from '../../../protocol/logical-graph.js';
import { ExpressionError, F, flowRegExp, likeToRegExp, type DateFormatMemo } from './builtin-functions.js';
import { compileDateFormat } from '../../../protocol/date-format.js';
import { parseDuration, parseTimestamp } from './time-values.js';

type CallExpr = Extract<Expr, { k: 'call' }>;

/** The aggregate functions of the language. */
export const AGGREGATE_FUNCTIONS = new Set(['count', 'sum', 'min', 'max', 'avg', 'first', 'last', 'collect', 'max_by', 'min_by']);

/** Aggregates of two arguments (the value and the ordering); the others take one (count also none). */
const TWO_ARGUMENT_AGGREGATES = new Set(['max_by', 'min_by']);

/** True when `e` is a call of an aggregate function. */
export function isAggregateCall(e: Expr): boolean {
    if (e.k !== 'call') return false;
    const fn = e.fn.toLowerCase();
    if (!AGGREGATE_FUNCTIONS.has(fn)) return false;
    return fn === 'count' || e.args.length === (TWO_ARGUMENT_AGGREGATES.has(fn) ? 2 : 1);
}

/** What names the generated code may use for the record, the window and aggregate results. */
export interface CodegenScope {
    /** A JavaScript expression for the input record, e.g. `r`. */
    row: string;
    /**
     * Code reading field `name` of the input record, when the record is not an object (a fused
     * loop reading a column batch, or a record kept in local variables); absent: `row.name`.
     */
    field?: (name: string) => string;
    /** A JavaScript expression for the current window `{start, end}`, in windowed aggregates. */
    window?: string;
    /** Code for an aggregate call's result, in aggregate projections. */
    aggregate?: (call: CallExpr) => string;
    /**
     * Code for the record's generator index, where the code generates records (datagen's filler):
     * sequence(start) then adds it inline instead of calling the generator state for it.
     */
    recordIndex?: string;
}

const INTEGRAL = new Set(['int', 'long']);
const SIMPLE_NAME = /^[A-Za-z_$][\w$]*$/;

function isNullableType(t: FlowType | undefined): boolean {
    return t === undefined || t.kind === 'null' || ('nullable' in t && t.nullable === true);
}

/** Property access code: `r.name`, or `r["odd name"]`. */
export function propertyAccess(target: string, name: string): string {
    return SIMPLE_NAME.test(name) ? `${target}.${name}` : `${target}[${JSON.stringify(name)}]`;
}

/** Generates source text for expressions; collects the constants that text refers to. */
export class ExpressionCodegen {
    usesGenerator = false;

    /** `constants` may be shared between several generators feeding one compiled function. */
    constructor(private readonly scope: CodegenScope, readonly constants: unknown[] = []) {}

    /** A reference to a constant value, shared by all records. */
    constant(value: unknown): string {
        this.constants.push(value);
        return `$C[${this.constants.length - 1}]`;
    }

    /** Whether `e` may evaluate to null. Computed here rather than trusted, so null checks are never skipped wrongly. */
    nullable(e: Expr): boolean {
        switch (e.k) {
            case 'field': return isNullableType(e.type);
            case 'literal': return e.value === null;
            case 'member': return true;
            case 'unary': return this.nullable(e.operand);
            case 'binary': return this.nullable(e.left) || this.nullable(e.right);
            case 'isNull': return false;
            case 'in': return this.nullable(e.operand) || e.values.some((v) => this.nullable(v));
            case 'if': return this.nullable(e.then) || this.nullable(e.else);
            case 'case': return e.otherwise === undefined || this.nullable(e.otherwise) || e.branches.some((b) => this.nullable(b.then));
            case 'cast': case 'calendarAdd': return this.nullable(e.value);
            case 'window': case 'record': case 'array': return false;
            case 'call': return this.callNullable(e);
        }
    }

    private callNullable(e: CallExpr): boolean {
        const fn = e.fn.toLowerCase();
        if (isAggregateCall(e)) return fn !== 'count';
        if (fn === 'coalesce') return e.args.every((a) => this.nullable(a));
        if (fn === 'concat') return false;
        if (['now', 'random', 'oneof', 'sequence', 'uuid'].includes(fn)) return fn === 'oneof' && e.args.some((a) => this.nullable(a));
        if (fn === 'regex_extract' || fn === 'regexp_extract' || fn === 'split_index') return true;
        if (fn === 'if') return this.nullable(e.args[1]) || this.nullable(e.args[2]);
        return e.args.some((a) => this.nullable(a));
    }

    /** JavaScript source for `e`. */
    gen(e: Expr): string {
        switch (e.k) {
            case 'field': return this.scope.field ? this.scope.field(e.name) : propertyAccess(this.scope.row, e.name);
            case 'member': return `$F.member(${this.gen(e.receiver)}, ${JSON.stringify(e.name)})`;
            case 'literal': return this.literal(e.value, e.type);
            case 'unary': {
                const operand = this.gen(e.operand);
                if (e.op === 'not') return this.nullable(e.operand) ? `$F.not(${operand})` : `(!${operand})`;
                if (e.operand.type.kind === 'decimal') return `$F.decNeg(${operand})`;
                return this.nullable(e.operand) ? `$F.neg(${operand})` : `(-${operand})`;
            }
            case 'binary': return this.binary(e);
            case 'isNull': return `(${this.gen(e.operand)} ${e.negated ? '!=' : '=='} null)`;
            case 'in': {
                const operand = this.gen(e.operand);
                if (e.operand.type.kind === 'decimal' || e.values.some((v) => v.type.kind === 'decimal')) {
                    // Decimals of different scales are equal by value: compare each with decCompare.
                    return `$F.decIn(${operand}, [${e.values.map((v) => this.gen(v)).join(', ')}])`;
                }
                if (!this.nullable(e.operand) && e.values.every((v) => v.k === 'literal' && v.value !== null)) {
                    const set = new Set(e.values.map((v) => this.literalValue((v as Extract<Expr, { k: 'literal' }>).value, v.type)));
                    return `${this.constant(set)}.has(${operand})`;
                }
                return `$F.inList(${operand}, [${e.values.map((v) => this.gen(v)).join(', ')}])`;
            }
            case 'if': return `(${this.gen(e.condition)} === true ? ${this.genAs(e.then, e.type)} : ${this.genAs(e.else, e.type)})`;
            case 'case': {
                let code = e.otherwise ? this.genAs(e.otherwise, e.type) : 'null';
                for (let i = e.branches.length - 1; i >= 0; i--) {
                    code = `(${this.gen(e.branches[i].when)} === true ? ${this.genAs(e.branches[i].then, e.type)} : ${code})`;
                }
                return code;
            }
            case 'cast': return this.cast(e.value, e.type);
            case 'calendarAdd': return `$F.calendarAdd(${this.gen(e.value)}, ${JSON.stringify(e.unit)}, ${e.amount})`;
            case 'window':
                if (!this.scope.window) throw new ExpressionError(`window.${e.property} is only available in an aggregate over a window`);
                return `${this.scope.window}.${e.property}`;
            case 'record': return `({ ${e.fields.map((f) => `${JSON.stringify(f.name)}: ${this.gen(f.value)}`).join(', ')} })`;
            case 'array': return `[${e.items.map((i) => this.gen(i)).join(', ')}]`;
            case 'call': return this.call(e);
        }
    }

    /**
     * JavaScript source for `e` as a value of `type`: a decimal of another precision or scale (or a
     * whole number) becomes the result's decimal text, as Flink converts branches to their common type.
     */
    genAs(e: Expr, type: FlowType): string {
        const code = this.gen(e);
        if (type.kind !== 'decimal' || e.type.kind === 'null') return code;
        if (e.type.kind === 'decimal' && e.type.precision === type.precision && e.type.scale === type.scale) return code;
        return `$F.toDecimal(${code}, ${type.precision}, ${type.scale})`;
    }

    private literalValue(value: string | number | boolean | null, type: FlowType): unknown {
        if (value !== null && type.kind === 'decimal') return F.toDecimal(value, type.precision, type.scale);
        if (typeof value === 'string' && type.kind === 'timestamp') {
            const ms = parseTimestamp(value);
            if (ms === undefined) throw new ExpressionError(`invalid timestamp literal "${value}"`);
            return ms;
        }
        if (typeof value === 'string' && type.kind === 'duration') {
            const ms = parseDuration(value);
            if (ms === undefined) throw new ExpressionError(`invalid duration literal "${value}"`);
            return ms;
        }
        return value;
    }

    private literal(value: string | number | boolean | null, type: FlowType): string {
        const v = this.literalValue(value, type);
        if (typeof v === 'number') return Number.isFinite(v) ? `(${String(v)})` : this.constant(v);
        return JSON.stringify(v);
    }

    private binary(e: Extract<Expr, { k: 'binary' }>): string {
        const nullable = this.nullable(e.left) || this.nullable(e.right);
        const decimalSides = e.left.type.kind === 'decimal' || e.right.type.kind === 'decimal';
        if (decimalSides) {
            const decimalCode = this.decimalBinary(e);
            if (decimalCode !== undefined) return decimalCode;
        }
        // A decimal meeting a double is a double (as in Flink).
        const a = decimalSides && e.left.type.kind === 'decimal' ? `$F.toDouble(${this.gen(e.left)})` : this.gen(e.left);
        const b = decimalSides && e.right.type.kind === 'decimal' ? `$F.toDouble(${this.gen(e.right)})` : this.gen(e.right);
        const integral = INTEGRAL.has(e.left.type.kind) && INTEGRAL.has(e.right.type.kind);
        switch (e.op) {
            case 'and': return nullable ? `$F.and(${a}, ${b})` : `(${a} && ${b})`;
            case 'or': return nullable ? `$F.or(${a}, ${b})` : `(${a} || ${b})`;
            case '==': return nullable ? `$F.eq(${a}, ${b})` : `(${a} === ${b})`;
            case '!=': return nullable ? `$F.ne(${a}, ${b})` : `(${a} !== ${b})`;
            case '<': return nullable ? `$F.lt(${a}, ${b})` : `(${a} < ${b})`;
            case '<=': return nullable ? `$F.le(${a}, ${b})` : `(${a} <= ${b})`;
            case '>': return nullable ? `$F.gt(${a}, ${b})` : `(${a} > ${b})`;
            case '>=': return nullable ? `$F.ge(${a}, ${b})` : `(${a} >= ${b})`;
            case 'like':
                if (e.right.k === 'literal' && typeof e.right.value === 'string') return `$F.test(${this.constant(likeToRegExp(e.right.value))}, ${a})`;
                return `$F.like(${a}, ${b})`;
            case '+':
                if (e.type.kind === 'string') return nullable ? `$F.strcat(${a}, ${b})` : `("" + ${a} + ${b})`;
                return nullable ? `$F.add(${a}, ${b})` : `(${a} + ${b})`;
            case '-': return nullable ? `$F.sub(${a}, ${b})` : `(${a} - ${b})`;
            case '*': return nullable ? `$F.mul(${a}, ${b})` : `(${a} * ${b})`;
            case '/':
                if (integral && nonZeroLiteral(e.right)) return nullable ? `$F.idiv(${a}, ${b})` : `Math.trunc(${a} / ${b})`;
                return integral ? `$F.idiv(${a}, ${b})` : nullable ? `$F.div(${a}, ${b})` : `(${a} / ${b})`;
            case '%':
                // By a constant other than zero no division-by-zero check is needed (the hot
                // `v % 2` of a filter then compiles to the operator, not a call).
                if (integral && nonZeroLiteral(e.right)) return nullable ? `$F.mod(${a}, ${b})` : `(${a} % ${b})`;
                return integral ? `$F.imod(${a}, ${b})` : nullable ? `$F.mod(${a}, ${b})` : `(${a} % ${b})`;
        }
    }

    /**
     * Exact arithmetic and comparison when a decimal meets a decimal, an int or a long; undefined
     * when the other side is a double (then both are doubles) or the operator is not numeric.
     */
    private decimalBinary(e: Extract<Expr, { k: 'binary' }>): string | undefined {
        const other = e.left.type.kind === 'decimal' ? e.right.type : e.left.type;
        if (other.kind !== 'decimal' && other.kind !== 'int' && other.kind !== 'long' && other.kind !== 'null') return undefined;
        const a = this.gen(e.left);
        const b = this.gen(e.right);
        switch (e.op) {
            case '+': case '-': case '*': case '/': case '%':
                if (e.type.kind !== 'decimal') return undefined;
                return `$F.decOp(${JSON.stringify(e.op)}, ${a}, ${b}, ${e.type.precision}, ${e.type.scale})`;
            case '==': case '!=': case '<': case '<=': case '>': case '>=':
                return `$F.decCompare(${JSON.stringify(e.op)}, ${a}, ${b})`;
            default: return undefined;
        }
    }

    private cast(value: Expr, to: FlowType): string {
        const v = this.gen(value);
        if (to.kind === 'decimal') return `$F.toDecimal(${v}, ${to.precision}, ${to.scale})`;
        if (to.kind === 'date') return value.type.kind === 'date' ? v : `$F.toDate(${v}, ${value.type.kind === 'timestamp'})`;
        if (value.type.kind === 'date' && to.kind === 'timestamp') return `$F.dateToTimestamp(${v})`;
        if (value.type.kind === 'decimal' && (to.kind === 'int' || to.kind === 'long')) return `$F.decToInt(${v})`;
        switch (to.kind) {
            case 'int': case 'long': return `$F.toInt(${v})`;
            case 'double': return `$F.toDouble(${v})`;
            case 'string': return value.type.kind === 'timestamp' ? `$F.timestampToString(${v})` : `$F.toString(${v})`;
            case 'boolean': return `$F.toBoolean(${v})`;
            case 'timestamp': return `$F.toTimestamp(${v})`;
            case 'duration': return `$F.toDuration(${v})`;
            default: return v;
        }
    }

    private call(e: CallExpr): string {
        if (isAggregateCall(e)) {
            if (!this.scope.aggregate) throw new ExpressionError(`${e.fn}() is an aggregate function: it is only allowed in aggregate or reduce`);
            return this.scope.aggregate(e);
        }
        const fn = e.fn.toLowerCase();
        const args = e.args.map((a) => this.gen(a));
        const arity = (min: number, max = min) => {
            if (args.length < min || args.length > max) {
                throw new ExpressionError(`${e.fn}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${args.length}`);
            }
        };
        const literalString = (i: number): string | undefined => {
            const a = e.args[i];
            return a !== undefined && a.k === 'literal' && typeof a.value === 'string' ? a.value : undefined;
        };
        switch (fn) {
            case 'char_length': arity(1); return `$F.length(${args[0]})`;
            case 'split_index': arity(3); return `$F.splitIndex(${args.join(', ')})`;
            case 'date_format': {
                arity(2);
                const pattern = literalString(1);
                if (pattern === undefined) return `$F.dateFormat(${args[0]}, ${args[1]})`;
                let parts: ReturnType<typeof compileDateFormat>;
                try { parts = compileDateFormat(pattern); } catch (err) { throw new ExpressionError(`date_format: invalid pattern "${pattern}": ${(err as Error).message}`); }
                // One memo per call site (a compiled function runs on one thread, one record at a time).
                const memo: DateFormatMemo = { parts, instant: undefined, text: '' };
                return `$F.formatRemembered(${args[0]}, ${this.constant(memo)})`;
            }
            case 'lower': case 'upper': case 'trim': case 'length': case 'abs': case 'sqrt': case 'ceil':
            case 'year': case 'month': case 'day': case 'hour': case 'minute': case 'second':
                arity(1);
                return `$F.${fn}(${args[0]})`;
            case 'substring': case 'substr': arity(2, 3); return `$F.substring(${args.join(', ')})`;
            case 'split': {
                arity(2);
                const sep = literalString(1);
                return sep !== undefined && !/[.*+?^${}()|[\]\\]/.test(sep) ? `$F.splitPlain(${args[0]}, ${args[1]})` : `$F.split(${args[0]}, ${args[1]})`;
            }
            case 'concat': return `$F.concat(${args.join(', ')})`;
            case 'starts_with': arity(2); return `$F.startsWith(${args.join(', ')})`;
            case 'to_string': arity(1); return this.cast(e.args[0], { kind: 'string' });
            case 'parse_timestamp': arity(1); return `$F.parseTimestamp(${args[0]})`;
            case 'epoch_millis': arity(1); return args[0];
            case 'like': arity(2); return literalString(1) !== undefined ? `$F.test(${this.constant(likeToRegExp(literalString(1)!))}, ${args[0]})` : `$F.like(${args[0]}, ${args[1]})`;
            case 'regex': case 'matches': case 'regexp': case 'regex_match': {
                arity(2);
                const pattern = literalString(1);
                if (pattern !== undefined) {
                    let re: RegExp;
                    try { re = flowRegExp(pattern); } catch (err) { throw new ExpressionError(`invalid regular expression "${pattern}": ${(err as Error).message}`); }
                    return `$F.test(${this.constant(re)}, ${args[0]})`;
                }
                return `$F.matches(${args[0]}, ${args[1]})`;
            }
            case 'replace': case 'regex_replace': case 'regexp_replace': arity(3); return `$F.regexReplace(${args.join(', ')})`;
            case 'regex_extract': case 'regexp_extract': arity(2, 3); return `$F.regexExtract(${args.join(', ')})`;
            case 'round': arity(1, 2); return `$F.round(${args.join(', ')})`;
            case 'floor':
                arity(1, 2);
                return args.length === 2 ? `$F.floorTime(${args[0]}, ${args[1]})` : `$F.floor(${args[0]})`;
            case 'pow': case 'power': arity(2); return `$F.pow(${args.join(', ')})`;
            case 'least': case 'greatest': return `$F.${fn}(${args.join(', ')})`;
            case 'coalesce': case 'ifnull': return `$F.coalesce(${e.args.map((a) => this.genAs(a, e.type)).join(', ')})`;
            case 'if': arity(3); return `(${args[0]} === true ? ${args[1]} : ${args[2]})`;
            case 'floor_time': case 'tumble_start': arity(2); return `$F.floorTime(${args[0]}, ${args[1]})`;
            case 'date_trunc':
                arity(2);
                // date_trunc("hour", ts) as in SQL, or date_trunc(ts, 1h) with an interval.
                return e.args[0].type.kind === 'string' ? `$F.dateTrunc(${args[0]}, ${args[1]})` : `$F.floorTime(${args[0]}, ${args[1]})`;
            case 'now': arity(0); return '$F.now()';
            case 'random':
                arity(2);
                this.usesGenerator = true;
                return `($g || $F.gen).random(${args[0]}, ${args[1]}, ${INTEGRAL.has(e.type.kind)})`;
            case 'oneof':
                this.usesGenerator = true;
                return `($g || $F.gen).oneOf([${args.join(', ')}])`;
            case 'sequence':
                arity(0, 1);
                // GeneratorState.sequence's own `start + index`, without the call.
                if (this.scope.recordIndex !== undefined) return `(${args[0] ?? '1'} + ${this.scope.recordIndex})`;
                this.usesGenerator = true;
                return `($g || $F.gen).sequence(${args[0] ?? '1'})`;
            case 'uuid':
                arity(0);
                this.usesGenerator = true;
                return '($g || $F.gen).uuid()';
            default:
                throw new ExpressionError(`unknown function ${e.fn}()`);
        }
    }
}

/** A number literal other than zero (a divisor that needs no division-by-zero check). */
function nonZeroLiteral(e: Expr): boolean {
    return e.k === 'literal' && typeof e.value === 'number' && e.value !== 0;
}

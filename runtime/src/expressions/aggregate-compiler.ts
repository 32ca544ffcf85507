/**
 * Compiles an aggregate projection (`{ word, n: count(), total: round(sum(amount), 2) }`) into
 * accumulator functions: create (from a group's first record), add, merge (session windows) and
 * result. Each aggregate call gets slots on a flat accumulator object, and the generated source
 * is also exposed so operators can inline `add` into their own batch loops.
 */
import type { Expr, NamedExpr } from '../../../protocol/logical-graph.js';
import type { Row } from '../operators/operator.js';
import { instantiate } from './compile-expression.js';
import { ExpressionCodegen, propertyAccess, type CodegenScope } from './expression-codegen.js';

type CallExpr = Extract<Expr, { k: 'call' }>;

/** An accumulator: `$r` is the group's first record (for non-aggregated fields), `a<i>` the slots. */
export type Accumulator = Record<string, unknown> & { $r: Row };

/** A window's bounds as seen by `window.start` / `window.end`. */
export interface WindowBounds { start: number; end: number }

/** Generated source of an aggregate, for operators that inline it into their loops. */
export interface AggregateSource {
    /** An expression creating the accumulator of a group whose first record is `r`. */
    create: string;
    /** The properties of `create`'s object literal, for accumulatorLiteral. */
    createFields: string;
    /** Statements adding record `r` to accumulator `acc`. */
    add: string;
    /** Statements merging accumulator `o` into `acc`. */
    merge: string;
    /** An expression for the output row of `acc` in window `$w`. */
    result: string;
    /** Statements taking record `r` back out of `acc`; null when an aggregate cannot (min, max, first, distinct...: they need all the rows). */
    retract: string | null;
    /** The values `$C[i]` refers to. */
    constants: unknown[];
}

/** An aggregate projection compiled to accumulator functions. */
export interface CompiledAggregate {
    create(first: Row): Accumulator;
    add(acc: Accumulator, row: Row): void;
    merge(acc: Accumulator, other: Accumulator): void;
    result(acc: Accumulator, window?: WindowBounds): Row;
    /** Takes a record added earlier back out (count, sum, avg of non-null values); absent when a slot cannot. */
    retract?: (acc: Accumulator, row: Row) => void;
    source: AggregateSource;
}

interface Slot {
    call: CallExpr; fn: string; name: string; argCode: string; nullableArg: boolean;
    /** For sum/avg/min/max of a decimal: the result's DECIMAL(precision, scale) (decimals are text: compared and added exactly). */
    decimal?: { precision: number; scale: number };
    /** max_by/min_by: the code of the ordering argument, and whether it is a decimal (text compared by value). */
    orderCode?: string;
    orderDecimal?: boolean;
}

const cache = new Map<string, CompiledAggregate>();

/**
 * Compiles `fields` (expressions that may contain aggregate calls) into accumulator functions;
 * `windowed` allows `window.start`/`window.end` in them.
 */
export function compileAggregateProjection(fields: NamedExpr[], windowed = false): CompiledAggregate {
    const key = `${windowed}${JSON.stringify(fields)}`;
    let compiled = cache.get(key);
    if (compiled === undefined) {
        compiled = build(fields, windowed);
        cache.set(key, compiled);
    }
    return compiled;
}

/**
 * The generated source of an aggregate projection whose `$C[i]` references index `constants`
 * (shared with other code generated into the same function, e.g. a fused loop). `input` is how
 * `add` and `create` read the record (default: the object in `r`); `firstRecord` is the code of
 * the record as an object, kept by `create` as the group's first record. An output field whose
 * whole expression is one of `known` takes its local instead of evaluating it on the group's first
 * record (it must have the same value there).
 */
export function aggregateSource(fields: NamedExpr[], windowed: boolean, constants: unknown[], input: CodegenScope = { row: 'r' }, firstRecord = 'r', known: KnownValue[] = []): AggregateSource {
    return generate(fields, windowed, constants, input, firstRecord, known);
}

/**
 * An expression creating the accumulator with more properties of the caller's (`extra`: `name:
 * code` pairs, e.g. a combiner's record count), in the literal itself: properties added after the
 * literal go to a property array of their own, one more load (often a cache miss with thousands
 * of groups) per record folded.
 */
export function accumulatorLiteral(source: AggregateSource, extra: string): string {
    return `{ ${source.createFields}, ${extra} }`;
}

/** An expression whose value is already in a local (`code`) where `result` is evaluated. */
export interface KnownValue { expr: Expr; code: string }

function build(fields: NamedExpr[], windowed: boolean): CompiledAggregate {
    const source = generate(fields, windowed, []);
    const { create, add, merge, result, retract, constants } = source;
    const fns = instantiate(`return {
        create(r) { return ${create}; },
        add(acc, r) { let v; ${add} },
        merge(acc, o) { ${merge} },
        result(acc, $w) { return ${result}; }${retract === null ? '' : `,
        retract(acc, r) { let v; ${retract} }`}
    };`, constants) as Omit<CompiledAggregate, 'source'>;
    return { ...fns, source };
}

function generate(fields: NamedExpr[], windowed: boolean, constants: unknown[], input: CodegenScope = { row: 'r' }, firstRecord = 'r', known: KnownValue[] = []): AggregateSource {
    const argGen = new ExpressionCodegen(input, constants);
    const slots: Slot[] = [];
    const slotByKey = new Map<string, Slot>();
    const slotFor = (call: CallExpr): Slot => {
        const k = JSON.stringify(call);
        let slot = slotByKey.get(k);
        if (slot === undefined) {
            const fn = call.fn.toLowerCase();
            const arg = call.args[0];
            slot = {
                call, fn, name: `a${slots.length}`,
                argCode: arg ? argGen.gen(arg) : 'true',
                nullableArg: arg ? argGen.nullable(arg) : false,
                decimal: arg?.type.kind === 'decimal' && ['sum', 'avg', 'min', 'max'].includes(fn)
                    ? (call.type.kind === 'decimal' ? { precision: call.type.precision, scale: call.type.scale } : { precision: arg.type.precision, scale: arg.type.scale })
                    : undefined,
                ...(fn === 'max_by' || fn === 'min_by' ? { orderCode: argGen.gen(call.args[1]), orderDecimal: call.args[1].type.kind === 'decimal' } : {})
            };
            slots.push(slot);
            slotByKey.set(k, slot);
        }
        return slot;
    };
    const resultGen = new ExpressionCodegen({ row: 'acc.$r', window: windowed ? '$w' : undefined, aggregate: (call) => slotResult(slotFor(call)) }, constants);
    const knownCode = new Map(known.map((k) => [JSON.stringify(k.expr), k.code]));
    const result = `({ ${fields.map((f) => `${JSON.stringify(f.name)}: ${knownCode.get(JSON.stringify(f.expr)) ?? resultGen.gen(f.expr)}`).join(', ')} })`;

    const createFields = `$r: ${firstRecord}${slots.map((s) => `, ${slotInit(s)}`).join('')}`;
    const create = `{ ${createFields} }`;
    const add = slots.map(slotAdd).join('\n');
    const merge = slots.map(slotMerge).join('\n');
    const retracts = slots.map(slotRetract);
    const retract = retracts.every((r): r is string => r !== null) ? retracts.join('\n') : null;
    return { create, createFields, add, merge, result, retract, constants };
}

/** Field initialisers of a slot. */
function slotInit(s: Slot): string {
    if (s.call.distinct) return `${s.name}: new Set()`;
    if (s.decimal && (s.fn === 'sum' || s.fn === 'avg')) return s.fn === 'avg' ? `${s.name}: null, ${s.name}n: 0` : `${s.name}: null`;
    switch (s.fn) {
        case 'count': return `${s.name}: 0`;
        case 'sum': return `${s.name}: ${s.nullableArg ? 'null' : '0'}`;
        case 'avg': return `${s.name}: 0, ${s.name}n: 0`;
        case 'collect': return `${s.name}: []`;
        case 'max_by': case 'min_by': return `${s.name}: null, ${s.name}o: null`;
        default: return `${s.name}: null`;
    }
}

function slotAdd(s: Slot): string {
    const a = propertyAccess('acc', s.name);
    if (s.fn === 'count' && s.call.args.length === 0) return `${a}++;`;
    const guard = s.nullableArg ? 'if (v != null) ' : '';
    const assign = `v = ${s.argCode};`;
    if (s.call.distinct) return `${assign} if (v != null) ${a}.add(v);`;
    if (s.decimal) {
        const sum = `$F.decOp('+', ${a}, v, 38, ${s.decimal.scale})`;
        switch (s.fn) {
            // A decimal sum is kept at the argument's scale (its result type's): exact text, added as BigInt.
            case 'sum': return `${assign} if (v != null) ${a} = ${a} === null ? v : ${sum};`;
            case 'avg': return `${assign} if (v != null) { ${a} = ${a} === null ? v : ${sum}; ${a}n++; }`;
            case 'min': return `${assign} if (v != null) ${a} = $F.decMin(${a}, v);`;
            case 'max': return `${assign} if (v != null) ${a} = $F.decMax(${a}, v);`;
        }
    }
    switch (s.fn) {
        case 'count': return s.nullableArg ? `if (${s.argCode} != null) ${a}++;` : `${a}++;`;
        case 'sum': return s.nullableArg ? `${assign} if (v != null) ${a} = ${a} === null ? v : ${a} + v;` : `${a} += ${s.argCode};`;
        case 'avg': return `${assign} ${guard}{ ${a} += v; ${a}n++; }`;
        case 'min': return `${assign} if (v != null && (${a} === null || v < ${a})) ${a} = v;`;
        case 'max': return `${assign} if (v != null && (${a} === null || v > ${a})) ${a} = v;`;
        case 'first': return `if (${a} === null) { ${assign} ${a} = v === undefined ? null : v; }`;
        case 'last': return `${assign} ${guard}${a} = v;`;
        case 'collect': return `${assign} ${guard}${a}.push(v);`;
        case 'max_by': case 'min_by': return `v = ${s.orderCode}; if (v != null) { const x = ${s.argCode}; ${byUpdate(s, 'v', 'x')} }`;
        default: throw new Error(`unknown aggregate ${s.fn}`);
    }
}

/**
 * max_by/min_by: replaces the kept value when `ordering` is larger (smaller); of equal orderings
 * the larger (smaller) value wins, so the result does not depend on arrival order.
 */
function byUpdate(s: Slot, ordering: string, value: string): string {
    const a = propertyAccess('acc', s.name);
    const o = propertyAccess('acc', `${s.name}o`);
    const sign = s.fn === 'max_by' ? '>' : '<';
    const compare = s.orderDecimal ? '$F.compareOrdering' : '$F.compare';
    return `{ const c = ${o} === null ? 1 : ${compare}(${ordering}, ${o});
        if (c ${sign} 0 || (${o} === null) || (c === 0 && $F.compare(${value}, ${a}) ${sign} 0)) { ${o} = ${ordering}; ${a} = ${value}; } }`;
}

/**
 * Statements taking record `r` back out of a slot (the inverse of slotAdd), or null when the slot
 * cannot: min/max/first/last/collect/max_by and distinct need every value, and a sum of a nullable
 * argument would have to know when its last non-null value left.
 */
function slotRetract(s: Slot): string | null {
    const a = propertyAccess('acc', s.name);
    if (s.call.distinct) return null;
    if (s.fn === 'count') return s.call.args.length === 0 || !s.nullableArg ? `${a}--;` : `if (${s.argCode} != null) ${a}--;`;
    const assign = `v = ${s.argCode};`;
    if (s.decimal) {
        const difference = `$F.decOp('-', ${a}, v, 38, ${s.decimal.scale})`;
        if (s.fn === 'sum' && !s.nullableArg) return `${assign} ${a} = ${difference};`;
        if (s.fn === 'avg') return `${assign} if (v != null) { ${a} = ${difference}; ${a}n--; }`;
        return null;
    }
    if (s.fn === 'sum' && !s.nullableArg) return `${a} -= ${s.argCode};`;
    if (s.fn === 'avg') return `${assign} if (v != null) { ${a} -= v; ${a}n--; }`;
    return null;
}

function slotMerge(s: Slot): string {
    const a = propertyAccess('acc', s.name);
    const o = propertyAccess('o', s.name);
    if (s.call.distinct) return `for (const x of ${o}) ${a}.add(x);`;
    if (s.decimal) {
        const sum = `$F.decOp('+', ${a}, ${o}, 38, ${s.decimal.scale})`;
        switch (s.fn) {
            case 'sum': return `if (${o} !== null) ${a} = ${a} === null ? ${o} : ${sum};`;
            case 'avg': return `if (${o} !== null) { ${a} = ${a} === null ? ${o} : ${sum}; ${a}n += ${o}n; }`;
            case 'min': return `${a} = $F.decMin(${a}, ${o});`;
            case 'max': return `${a} = $F.decMax(${a}, ${o});`;
        }
    }
    switch (s.fn) {
        case 'count': return `${a} += ${o};`;
        case 'sum': return `if (${o} !== null) ${a} = ${a} === null ? ${o} : ${a} + ${o};`;
        case 'avg': return `${a} += ${o}; ${a}n += ${o}n;`;
        case 'min': return `if (${o} !== null && (${a} === null || ${o} < ${a})) ${a} = ${o};`;
        case 'max': return `if (${o} !== null && (${a} === null || ${o} > ${a})) ${a} = ${o};`;
        case 'first': return `if (${a} === null) ${a} = ${o};`;
        case 'last': return `if (${o} !== null) ${a} = ${o};`;
        case 'collect': return `for (const x of ${o}) ${a}.push(x);`;
        case 'max_by': case 'min_by': return `if (${propertyAccess('o', `${s.name}o`)} !== null) ${byUpdate(s, propertyAccess('o', `${s.name}o`), o)}`;
        default: throw new Error(`unknown aggregate ${s.fn}`);
    }
}

/** The result expression of a slot. */
function slotResult(s: Slot): string {
    const a = propertyAccess('acc', s.name);
    if (s.decimal) {
        const { precision, scale } = s.decimal;
        // The sum of no values of a non-null argument is 0, as for other numbers.
        const zero = JSON.stringify(scale > 0 ? `0.${'0'.repeat(scale)}` : '0');
        const orZero = (code: string) => (s.nullableArg ? code : `(${code} ?? ${zero})`);
        const sumOfSet = `$F.decSum(${a}, ${precision}, ${scale})`;
        if (s.call.distinct) {
            switch (s.fn) {
                case 'sum': return sumOfSet;
                case 'avg': return `$F.decAvg(${sumOfSet}, ${a}.size, ${precision}, ${scale})`;
                case 'min': return `[...${a}].reduce($F.decMin, null)`;
                case 'max': return `[...${a}].reduce($F.decMax, null)`;
            }
        }
        switch (s.fn) {
            case 'sum': return orZero(a);
            case 'avg': return `$F.decAvg(${a}, ${a}n, ${precision}, ${scale})`;
            case 'min': case 'max': return a;
        }
    }
    if (s.call.distinct) {
        switch (s.fn) {
            case 'count': return `${a}.size`;
            case 'sum': return `(${a}.size === 0 ? null : [...${a}].reduce((x, y) => x + y, 0))`;
            case 'avg': return `(${a}.size === 0 ? null : [...${a}].reduce((x, y) => x + y, 0) / ${a}.size)`;
            case 'min': return `(${a}.size === 0 ? null : [...${a}].reduce((x, y) => (y < x ? y : x)))`;
            case 'max': return `(${a}.size === 0 ? null : [...${a}].reduce((x, y) => (y > x ? y : x)))`;
            case 'collect': return `[...${a}]`;
            default: return `(${a}.size === 0 ? null : [...${a}][${s.fn === 'first' ? 0 : `${a}.size - 1`}])`;
        }
    }
    switch (s.fn) {
        case 'avg': return `(${a}n === 0 ? null : ${a} / ${a}n)`;
        case 'collect': return `${a}.slice()`;
        default: return a;
    }
}

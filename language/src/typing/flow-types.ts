/**
 * Types as the checker sees them: the LogicalGraph's FlowType plus `unknown`, which stands for
 * "already reported elsewhere" so that one mistake yields one diagnostic, not a cascade.
 */
import type { FlowType, PrimitiveTypeName, SchemaField } from '../../../protocol/logical-graph.js';
import { decimalArithmeticType, decimalCommonType, decimalOfIntegral, type DecimalShape } from '../../../protocol/decimal-types.js';

export type LangType = FlowType | { kind: 'unknown' } | IntervalType;

/**
 * A calendar interval (`1 month`, `2 days`): not a value of its own, only the right-hand side of
 * `t + ...` / `t - ...` on a timestamp or date (the lowering makes that one `calendarAdd`).
 */
export interface IntervalType { kind: 'interval' }

export const INTERVAL: LangType = { kind: 'interval' };

export const UNKNOWN: LangType = { kind: 'unknown' };
export const NULL_TYPE: LangType = { kind: 'null' };

/** The primitive type `kind`, nullable or not. */
export function primitive(kind: PrimitiveTypeName, nullable = false): LangType {
    return nullable ? { kind, nullable: true } : { kind };
}

export function arrayOf(element: LangType, nullable = false): LangType {
    const el: FlowType = element.kind === 'unknown' || element.kind === 'interval' ? { kind: 'string' } : element;
    return nullable ? { kind: 'array', element: el, nullable: true } : { kind: 'array', element: el };
}

export function isUnknown(t: LangType): boolean {
    return t.kind === 'unknown';
}

export function isNumeric(t: LangType): boolean {
    return t.kind === 'int' || t.kind === 'long' || t.kind === 'double';
}

/** A number of any kind: int, long, double or decimal (arithmetic and comparison take them all). */
export function isNumber(t: LangType): boolean {
    return isNumeric(t) || t.kind === 'decimal';
}

/** DECIMAL(p, s), nullable or not. */
export function decimalType(shape: DecimalShape, nullable = false): LangType {
    return nullable ? { kind: 'decimal', precision: shape.precision, scale: shape.scale, nullable: true } : { kind: 'decimal', precision: shape.precision, scale: shape.scale };
}

/** The DECIMAL shape an int, long or decimal takes part in decimal arithmetic as. */
export function decimalShapeOf(t: LangType): DecimalShape | undefined {
    if (t.kind === 'decimal') return { precision: t.precision, scale: t.scale };
    if (t.kind === 'int' || t.kind === 'long') return decimalOfIntegral(t.kind);
    return undefined;
}

/**
 * The type of `a op b` (+ - * / %) when one side is a decimal: a double when the other is a
 * double (as in Flink), else the DECIMAL Flink derives; undefined when a side is not a number.
 */
export function decimalArithmeticResult(op: '+' | '-' | '*' | '/' | '%', a: LangType, b: LangType): LangType | undefined {
    const nullable = isNullable(a) || isNullable(b);
    if (a.kind === 'double' || b.kind === 'double') return isNumber(a) && isNumber(b) ? primitive('double', nullable) : undefined;
    const x = decimalShapeOf(a);
    const y = decimalShapeOf(b);
    return x && y ? decimalType(decimalArithmeticType(op, x, y), nullable) : undefined;
}

export function isNullable(t: LangType): boolean {
    return t.kind === 'null' || ('nullable' in t && t.nullable === true);
}

/** The same type, nullable (or not). */
export function withNullable(t: LangType, nullable: boolean): LangType {
    if (t.kind === 'unknown' || t.kind === 'null' || t.kind === 'interval') {
        return t;
    }
    const copy = { ...t } as FlowType & { nullable?: boolean };
    if (nullable) {
        copy.nullable = true;
    } else {
        delete copy.nullable;
    }
    return copy as LangType;
}

const numericRank: Record<string, number> = { int: 0, long: 1, decimal: 1.5, double: 2 };

/** The wider of two numeric types (int < long < double); nullable if either is. */
export function widenNumeric(a: LangType, b: LangType): LangType {
    if ((a.kind === 'decimal' || b.kind === 'decimal') && a.kind !== 'double' && b.kind !== 'double') {
        const x = decimalShapeOf(a);
        const y = decimalShapeOf(b);
        if (x && y) return decimalType(decimalCommonType(x, y), isNullable(a) || isNullable(b));
    }
    const kind = numericRank[a.kind] >= numericRank[b.kind] ? a.kind : b.kind;
    return primitive(kind as PrimitiveTypeName, isNullable(a) || isNullable(b));
}

/** True when a value of type `from` may be used where `to` is expected. */
export function isAssignable(from: LangType, to: LangType): boolean {
    if (from.kind === 'unknown' || to.kind === 'unknown') {
        return true;
    }
    if (from.kind === 'null') {
        return true;
    }
    if (from.kind === 'decimal' && to.kind === 'decimal') {
        // The value's text has the scale of its type: a record holds it only at that scale.
        return from.precision === to.precision && from.scale === to.scale;
    }
    if (isNumber(from) && isNumber(to)) {
        return numericRank[from.kind] <= numericRank[to.kind];
    }
    if (from.kind !== to.kind) {
        return false;
    }
    if (from.kind === 'array' && to.kind === 'array') {
        return isAssignable(from.element, to.element);
    }
    if (from.kind === 'record' && to.kind === 'record') {
        return sameFields(from.fields, to.fields);
    }
    return true;
}

/** True when two types are the same, ignoring nullability. */
export function sameType(a: LangType, b: LangType): boolean {
    if (a.kind === 'unknown' || b.kind === 'unknown') {
        return true;
    }
    if (a.kind !== b.kind) {
        return false;
    }
    if (a.kind === 'array' && b.kind === 'array') {
        return sameType(a.element, b.element);
    }
    if (a.kind === 'record' && b.kind === 'record') {
        return sameFields(a.fields, b.fields);
    }
    if (a.kind === 'decimal' && b.kind === 'decimal') {
        return a.precision === b.precision && a.scale === b.scale;
    }
    return true;
}

/** True when two types can be compared with == (numbers with numbers, otherwise same kind). */
export function isComparable(a: LangType, b: LangType): boolean {
    if (a.kind === 'null' || b.kind === 'null') {
        return true;
    }
    return (isNumber(a) && isNumber(b)) || sameType(a, b);
}

function sameFields(a: SchemaField[], b: SchemaField[]): boolean {
    return a.length === b.length && a.every((f, i) => f.name === b[i].name && sameType(f.type, b[i].type));
}

/** `double?`, `string[]`, `{ id: string, n: long }`: how types read in messages and hovers. */
export function formatType(t: LangType): string {
    const q = isNullable(t) && t.kind !== 'null' ? '?' : '';
    switch (t.kind) {
        case 'unknown': return 'unknown';
        case 'null': return 'null';
        case 'array': return `${formatType(t.element)}[]${q}`;
        case 'record': return `{ ${t.fields.map((f) => `${f.name}: ${formatType(f.type)}`).join(', ')} }${q}`;
        case 'decimal': return `decimal(${t.precision}, ${t.scale})${q}`;
        default: return `${t.kind}${q}`;
    }
}

/** Converts to the LogicalGraph's type; `unknown` only survives in graphs of unchecked input. */
export function toFlowType(t: LangType): FlowType {
    return t.kind === 'unknown' || t.kind === 'interval' ? { kind: 'string', nullable: true } : t;
}

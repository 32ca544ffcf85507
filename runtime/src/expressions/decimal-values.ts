/**
 * DECIMAL(p, s) values. At run time a decimal is its canonical text with exactly `s` digits after
 * the point (`"12.50"`, `"-0.908"`, `"7"` for scale 0): a string, so records stay plain JSON that
 * crosses threads, exchanges and files unchanged, equal values are `===` and hash alike as keys.
 * Arithmetic is exact, on BigInt integers scaled by 10^s; results round half up (away from zero,
 * as Java's RoundingMode.HALF_UP that Flink uses) to the type's scale. A result with more digits
 * than the precision is an error (Flink gives null; .flow never loses a value silently).
 * Values of at most 15 digits (prices, rates, most of what records carry) take a fast path on
 * doubles holding whole numbers, exact while every intermediate stays below 2^53; anything
 * larger, or written with an exponent, sign or spaces, goes the BigInt way.
 */
import { MAX_DECIMAL_PRECISION } from '../../../protocol/decimal-types.js';

/** A value that is not a decimal, or does not fit its DECIMAL type. */
export class DecimalError extends Error {}

const TEN = 10n;
const POWERS: bigint[] = [1n];
for (let i = 1; i <= 2 * MAX_DECIMAL_PRECISION + 8; i++) POWERS.push(POWERS[i - 1] * TEN);

function pow10(n: number): bigint {
    return n < POWERS.length ? POWERS[n] : TEN ** BigInt(n);
}

/** An exact decimal: `unscaled / 10^scale`. */
interface Exact { unscaled: bigint; scale: number }

const DECIMAL_TEXT = /^([-+]?)(\d*)(?:\.(\d*))?$/;

/** Reads decimal text (`-12.5`, `+.5`, `3.`, `1e3` and `1.5E-7` too); undefined when it is not a number. */
export function parseDecimal(text: string): Exact | undefined {
    let t = text.trim();
    let exponent = 0;
    const e = t.search(/[eE]/);
    if (e >= 0) {
        const exp = t.slice(e + 1);
        if (!/^[-+]?\d+$/.test(exp)) return undefined;
        exponent = Number(exp);
        // Beyond this no DECIMAL(38, s) holds the value; refusing it also bounds the BigInt work.
        if (Math.abs(exponent) > 400) return undefined;
        t = t.slice(0, e);
    }
    const m = DECIMAL_TEXT.exec(t);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
    const fraction = m[3] ?? '';
    let unscaled = BigInt(m[2] + fraction || '0');
    if (m[1] === '-') unscaled = -unscaled;
    let scale = fraction.length - exponent;
    if (scale < 0) {
        unscaled *= pow10(-scale);
        scale = 0;
    }
    return { unscaled, scale };
}

/** `x` rescaled to `scale` digits: exact when it has at most as many, else rounded half up. */
function rescale(x: Exact, scale: number): bigint {
    if (x.scale === scale) return x.unscaled;
    if (x.scale < scale) return x.unscaled * pow10(scale - x.scale);
    return divideHalfUp(x.unscaled, pow10(x.scale - scale));
}

/** a / b rounded half away from zero (b > 0 or b < 0). */
function divideHalfUp(a: bigint, b: bigint): bigint {
    const q = a / b;
    const r = a % b;
    if (r === 0n) return q;
    const twiceR = (r < 0n ? -r : r) * 2n;
    const absB = b < 0n ? -b : b;
    if (twiceR < absB) return q;
    return (a < 0n) !== (b < 0n) ? q - 1n : q + 1n;
}

/** The canonical text of `unscaled / 10^scale`, checked to fit DECIMAL(precision, scale). */
export function formatDecimal(unscaled: bigint, scale: number, precision: number): string {
    const negative = unscaled < 0n;
    const digits = (negative ? -unscaled : unscaled).toString();
    if (digits.length > precision) {
        throw new DecimalError(`the value ${toText(digits, scale, negative)} does not fit DECIMAL(${precision}, ${scale}) (at most ${precision - scale} digits before the point)`);
    }
    return toText(digits, scale, negative);
}

function toText(digits: string, scale: number, negative: boolean): string {
    if (scale > 0) {
        if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
        digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
    }
    return negative ? `-${digits}` : digits;
}

function exact(value: string | number): Exact {
    const x = parseDecimal(typeof value === 'number' ? String(value) : value);
    if (x === undefined) throw new DecimalError(`"${value}" is not a decimal number`);
    return x;
}

/** Text, a number or a boolean as DECIMAL(precision, scale) (half up); a DecimalError when it is not a number or too large. */
export function toDecimal(value: string | number | bigint, precision: number, scale: number): string {
    if (typeof value === 'bigint') return formatDecimal(value * pow10(scale), scale, precision);
    if (typeof value === 'number') {
        if (!Number.isFinite(value)) throw new DecimalError(`${value} is not a decimal number`);
        // String(x) is the shortest text that reads back as x, as Java's Double.toString that Flink casts through.
        return formatDecimal(rescale(exact(String(value)), scale), scale, precision);
    }
    return formatDecimal(rescale(exact(value), scale), scale, precision);
}

// ---- the fast path: unscaled values as whole doubles ----

/** The largest whole double below which + - * of whole doubles are exact. */
const SAFE = 2 ** 53;
const SMALL_POWERS: number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Where smallDecimal puts what it read (two operands; no allocation per value). */
let smallUnscaled = 0;
let smallScale = 0;

/**
 * Reads plain decimal text (`-12.50`, `7`, `.5`) of at most 15 digits, or a safe whole number,
 * into smallUnscaled/smallScale; false for anything else (the BigInt path reads it).
 */
function smallDecimal(value: string | number): boolean {
    if (typeof value === 'number') {
        if (!Number.isSafeInteger(value)) return false;
        smallUnscaled = value;
        smallScale = 0;
        return true;
    }
    const n = value.length;
    let i = 0;
    let negative = false;
    if (n > 0 && value.charCodeAt(0) === 45 /* - */) { negative = true; i = 1; }
    let unscaled = 0;
    let digits = 0;
    let scale = -1;
    for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 48 && c <= 57) {
            unscaled = unscaled * 10 + (c - 48);
            digits++;
            if (scale >= 0) scale++;
        } else if (c === 46 /* . */ && scale < 0) {
            scale = 0;
        } else {
            return false;
        }
    }
    if (digits === 0 || digits > 15) return false;
    smallUnscaled = negative ? -unscaled : unscaled;
    smallScale = scale < 0 ? 0 : scale;
    return true;
}

/** `u` (whole, |u| < 2^53) at scale `from` rescaled to `to`, rounded half up; NaN when not exact in doubles. */
function smallRescale(u: number, from: number, to: number): number {
    if (from === to) return u;
    if (from < to) {
        const r = u * SMALL_POWERS[to - from];
        return to - from < SMALL_POWERS.length && Math.abs(r) < SAFE ? r : NaN;
    }
    if (from - to >= SMALL_POWERS.length) return NaN;
    const divisor = SMALL_POWERS[from - to];
    // % of whole doubles is exact, and so is the division of the multiple that is left.
    const rest = u % divisor;
    const q = (u - rest) / divisor;
    if (2 * Math.abs(rest) < divisor) return q;
    return u < 0 ? q - 1 : q + 1;
}

/** The canonical text of the whole double `u` / 10^scale, checked to fit DECIMAL(precision, scale). */
function formatSmall(u: number, scale: number, precision: number): string {
    const negative = u < 0;
    const digits = String(negative ? -u : u);
    if (digits.length > precision) return formatDecimal(BigInt(u), scale, precision);
    return toText(digits, scale, negative);
}

/** a op b on the fast path; undefined when an operand or an intermediate does not fit it. */
function smallArithmetic(op: '+' | '-' | '*' | '/' | '%', a: string | number, b: string | number, precision: number, scale: number): string | undefined {
    if (op === '/' || op === '%' || !smallDecimal(a)) return undefined;
    const xu = smallUnscaled;
    const xs = smallScale;
    if (!smallDecimal(b)) return undefined;
    const yu = smallUnscaled;
    const ys = smallScale;
    let u: number;
    let s: number;
    if (op === '*') {
        u = xu * yu;
        s = xs + ys;
    } else {
        s = Math.max(xs, ys);
        const x = smallRescale(xu, xs, s);
        const y = smallRescale(yu, ys, s);
        u = op === '+' ? x + y : x - y;
    }
    if (!(Math.abs(u) < SAFE)) return undefined;
    const result = smallRescale(u, s, scale);
    return Number.isNaN(result) ? undefined : formatSmall(result, scale, precision);
}

/** a + b, a - b, a * b, a % b, a / b: the exact result rounded half up to the result's scale. */
export function decimalArithmetic(op: '+' | '-' | '*' | '/' | '%', a: string | number, b: string | number, precision: number, scale: number): string {
    const fast = smallArithmetic(op, a, b, precision, scale);
    if (fast !== undefined) return fast;
    const x = exact(a);
    const y = exact(b);
    switch (op) {
        case '+': case '-': {
            const s = Math.max(x.scale, y.scale);
            const sum = op === '+' ? rescale(x, s) + rescale(y, s) : rescale(x, s) - rescale(y, s);
            return formatDecimal(rescale({ unscaled: sum, scale: s }, scale), scale, precision);
        }
        case '*': return formatDecimal(rescale({ unscaled: x.unscaled * y.unscaled, scale: x.scale + y.scale }, scale), scale, precision);
        case '%': {
            if (y.unscaled === 0n) throw new DecimalError('division by zero');
            const s = Math.max(x.scale, y.scale);
            return formatDecimal(rescale({ unscaled: rescale(x, s) % rescale(y, s), scale: s }, scale), scale, precision);
        }
        case '/': {
            if (y.unscaled === 0n) throw new DecimalError('division by zero');
            // x / y at `scale` digits: (xu / 10^xs) / (yu / 10^ys) * 10^scale = xu * 10^(scale + ys - xs) / yu.
            const shift = scale + y.scale - x.scale;
            const numerator = shift >= 0 ? x.unscaled * pow10(shift) : x.unscaled;
            const denominator = shift >= 0 ? y.unscaled : y.unscaled * pow10(-shift);
            return formatDecimal(divideHalfUp(numerator, denominator), scale, precision);
        }
    }
}

/** -1, 0 or 1 as a < b, a == b, a > b (any scales). */
export function compareDecimals(a: string | number, b: string | number): number {
    if (smallDecimal(a)) {
        const xu = smallUnscaled;
        const xs = smallScale;
        if (smallDecimal(b)) {
            const s = Math.max(xs, smallScale);
            const x = smallRescale(xu, xs, s);
            const y = smallRescale(smallUnscaled, smallScale, s);
            if (!Number.isNaN(x) && !Number.isNaN(y)) return x < y ? -1 : x > y ? 1 : 0;
        }
    }
    const x = exact(a);
    const y = exact(b);
    const s = Math.max(x.scale, y.scale);
    const d = rescale(x, s) - rescale(y, s);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** The whole part of a decimal, toward zero (CAST(d AS INT) / BIGINT). */
export function decimalToInteger(a: string): number {
    const x = exact(a);
    return Number(x.unscaled / pow10(x.scale));
}

/** -a. */
export function negateDecimal(a: string): string {
    return a.startsWith('-') ? a.slice(1) : /^[0.]+$/.test(a) ? a : `-${a}`;
}

/**
 * DECIMAL(p, s) values. At run time a decimal is its canonical text with exactly `s` digits after
 * the point (`"12.50"`, `"-0.908"`, `"7"` for scale 0): a string, so records stay plain JSON that
 * crosses threads, exchanges and files unchanged, equal values are `===` and hash alike as keys.
 * Arithmetic is exact, on BigInt integers scaled by 10^s; results round half up (away from zero,
 * as Java's RoundingMode.HALF_UP that Flink uses) to the type's scale. A result with more digits
 * than the precision is an error (Flink gives null; .flow never loses a value silently).
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

/** a + b, a - b, a * b, a % b, a / b: the exact result rounded half up to the result's scale. */
export function decimalArithmetic(op: '+' | '-' | '*' | '/' | '%', a: string | number, b: string | number, precision: number, scale: number): string {
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

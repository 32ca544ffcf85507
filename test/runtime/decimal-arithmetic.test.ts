/**
 * DECIMAL arithmetic is exact: generated decimals (fast-check, fixed seed) through the runtime's
 * decimal functions equal a reference computed another way, as exact fractions of BigInts rounded
 * half up by floor((2|N|·10^s + D) / 2D), with the result types protocol/decimal-types.ts derives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decimalArithmetic, compareDecimals, DecimalError, toDecimal } from '../../runtime/src/expressions/decimal-values.js';
import { decimalArithmeticType, type DecimalShape } from '../../protocol/decimal-types.js';

const SEED = 20261128;

/** A decimal of a random DECIMAL(p, s) type: its text and its exact value as unscaled / 10^scale. */
const decimalValue = fc.integer({ min: 1, max: 20 }).chain((precision) => fc.integer({ min: 0, max: precision }).chain((scale) =>
    fc.bigInt({ min: -(10n ** BigInt(precision)) + 1n, max: 10n ** BigInt(precision) - 1n }).map((unscaled) => {
        const negative = unscaled < 0n;
        let digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
        if (scale > 0) digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
        return { text: `${negative && unscaled !== 0n ? '-' : ''}${digits}`, unscaled, shape: { precision, scale } as DecimalShape };
    })));

/** The exact fraction N / D rounded half away from zero to `scale` digits, as text. */
function referenceText(n: bigint, d: bigint, scale: number): string {
    if (d < 0n) { n = -n; d = -d; }
    const negative = n < 0n;
    const magnitude = ((negative ? -n : n) * 10n ** BigInt(scale) * 2n + d) / (2n * d);
    let digits = magnitude.toString().padStart(scale + 1, '0');
    if (scale > 0) digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
    return `${negative && magnitude !== 0n ? '-' : ''}${digits}`;
}

function reference(op: '+' | '-' | '*' | '/' | '%', a: bigint, sa: number, b: bigint, sb: number, scale: number): string {
    const da = 10n ** BigInt(sa);
    const db = 10n ** BigInt(sb);
    switch (op) {
        case '+': return referenceText(a * db + b * da, da * db, scale);
        case '-': return referenceText(a * db - b * da, da * db, scale);
        case '*': return referenceText(a * b, da * db, scale);
        case '/': return referenceText(a * db, b * da, scale);
        case '%': {
            // Remainder with the dividend's sign (Java's BigDecimal.remainder): a - trunc(a / b) * b.
            const s = Math.max(sa, sb);
            const x = a * 10n ** BigInt(s - sa);
            const y = b * 10n ** BigInt(s - sb);
            return referenceText(x % y, 10n ** BigInt(s), scale);
        }
    }
}

test('decimal + - * / % equal exact fraction arithmetic rounded half up, at the types Flink derives', () => {
    fc.assert(fc.property(decimalValue, decimalValue, fc.constantFrom('+', '-', '*', '/', '%'), (a, b, op) => {
        if ((op === '/' || op === '%') && b.unscaled === 0n) return;
        const type = decimalArithmeticType(op as '+', a.shape, b.shape);
        const expected = reference(op as '+', a.unscaled, a.shape.scale, b.unscaled, b.shape.scale, type.scale);
        const wholeDigits = expected.replace(/^-/, '').split('.')[0].replace(/^0+/, '').length;
        if (wholeDigits > type.precision - type.scale) {
            assert.throws(() => decimalArithmetic(op as '+', a.text, b.text, type.precision, type.scale), DecimalError);
            return;
        }
        assert.equal(decimalArithmetic(op as '+', a.text, b.text, type.precision, type.scale), expected, `${a.text} ${op} ${b.text}`);
    }), { seed: SEED, numRuns: 3000 });
});

test('decimals compare by value whatever their scales, and casts round half up away from zero', () => {
    fc.assert(fc.property(decimalValue, decimalValue, (a, b) => {
        const x = a.unscaled * 10n ** BigInt(b.shape.scale);
        const y = b.unscaled * 10n ** BigInt(a.shape.scale);
        assert.equal(compareDecimals(a.text, b.text), x < y ? -1 : x > y ? 1 : 0);
    }), { seed: SEED + 1, numRuns: 2000 });
    assert.equal(toDecimal('2.5', 2, 0), '3');
    assert.equal(toDecimal('-2.5', 2, 0), '-3');
    assert.equal(toDecimal('-0.004', 3, 2), '0.00');
    assert.equal(toDecimal(1.005, 5, 2), '1.01');
    assert.equal(toDecimal('1.5E-7', 10, 8), '0.00000015');
    assert.throws(() => toDecimal('123.4', 4, 2), /does not fit DECIMAL\(4, 2\)/);
    assert.throws(() => toDecimal('abc', 4, 2), /not a decimal number/);
});

test('the fast path of small decimals (at most 15 digits, whole numbers as ints) gives what exact BigInt arithmetic gives, also where a product or sum crosses 2^53', () => {
    // Near 15 digits on both sides, so products and sums land on both sides of 2^53 and of the precision.
    const wide = fc.integer({ min: 0, max: 15 }).chain((scale) => fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }).map((unscaled) => ({ unscaled, scale })));
    const asText = (unscaled: bigint, scale: number): string => {
        const negative = unscaled < 0n;
        let digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
        if (scale > 0) digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
        return `${negative ? '-' : ''}${digits}`;
    };
    fc.assert(fc.property(wide, fc.oneof(wide, fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map((n) => ({ unscaled: BigInt(n), scale: 0, int: n }))), fc.constantFrom('+', '-', '*'), fc.integer({ min: 0, max: 8 }), (a, b, op, scale) => {
        const bValue = 'int' in b ? b.int : asText(b.unscaled, b.scale);
        const expected = reference(op as '+', a.unscaled, a.scale, b.unscaled, b.scale, scale);
        const precision = 38;
        assert.equal(decimalArithmetic(op as '+', asText(a.unscaled, a.scale), bValue, precision, scale), expected, `${asText(a.unscaled, a.scale)} ${op} ${bValue} at scale ${scale}`);
        const x = a.unscaled * 10n ** BigInt(b.scale);
        const y = b.unscaled * 10n ** BigInt(a.scale);
        assert.equal(compareDecimals(asText(a.unscaled, a.scale), bValue), x < y ? -1 : x > y ? 1 : 0);
    }), { seed: SEED + 2, numRuns: 3000 });
});

/**
 * The precision and scale of DECIMAL results, as Flink derives them (LogicalTypeMerging), so the
 * language types an expression the way Flink does and the runtime rounds where Flink rounds.
 * Dependency-free: the language, the runtime and the Flink translator all read these rules.
 */

/** The largest precision of a DECIMAL, as in Flink. */
export const MAX_DECIMAL_PRECISION = 38;

/** DECIMAL(precision, scale): `precision` digits in all, `scale` of them after the point. */
export interface DecimalShape { precision: number; scale: number }

/** The DECIMAL an int (DECIMAL(10, 0)) or long (DECIMAL(19, 0)) takes part in decimal arithmetic as. */
export function decimalOfIntegral(kind: 'int' | 'long'): DecimalShape {
    return kind === 'int' ? { precision: 10, scale: 0 } : { precision: 19, scale: 0 };
}

/**
 * Caps a derived precision at 38, keeping the whole digits and giving up fraction digits, but
 * keeping at least min(scale, 6) of them (Flink's adjustPrecisionScale).
 */
function adjust(precision: number, scale: number): DecimalShape {
    if (precision <= MAX_DECIMAL_PRECISION) return { precision, scale };
    const wholeDigits = precision - scale;
    const minScale = Math.min(scale, 6);
    return { precision: MAX_DECIMAL_PRECISION, scale: Math.max(MAX_DECIMAL_PRECISION - wholeDigits, minScale) };
}

/** The DECIMAL of `a op b` for + - * / %. */
export function decimalArithmeticType(op: '+' | '-' | '*' | '/' | '%', a: DecimalShape, b: DecimalShape): DecimalShape {
    switch (op) {
        case '+': case '-': {
            const scale = Math.max(a.scale, b.scale);
            return adjust(Math.max(a.precision - a.scale, b.precision - b.scale) + scale + 1, scale);
        }
        case '*': return adjust(a.precision + b.precision + 1, a.scale + b.scale);
        case '/': {
            const scale = Math.max(6, a.scale + b.precision + 1);
            return adjust(a.precision - a.scale + b.scale + scale, scale);
        }
        case '%': {
            const scale = Math.max(a.scale, b.scale);
            return adjust(Math.min(a.precision - a.scale, b.precision - b.scale) + scale, scale);
        }
    }
}

/** sum of DECIMAL(p, s) is DECIMAL(38, s). */
export function decimalSumType(a: DecimalShape): DecimalShape {
    return { precision: MAX_DECIMAL_PRECISION, scale: a.scale };
}

/** avg of DECIMAL(p, s) is DECIMAL(38, max(s, 6)): the sum divided by the count, a DECIMAL(20, 0). */
export function decimalAvgType(a: DecimalShape): DecimalShape {
    return decimalArithmeticType('/', decimalSumType(a), { precision: 20, scale: 0 });
}

/** The common type of two decimals (if/case branches, coalesce, union): room for both's whole and fraction digits. */
export function decimalCommonType(a: DecimalShape, b: DecimalShape): DecimalShape {
    const scale = Math.max(a.scale, b.scale);
    return adjust(Math.max(a.precision - a.scale, b.precision - b.scale) + scale, scale);
}

const DECIMAL_TEXT = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/;

/**
 * The DECIMAL of an exact literal, as Flink types `0.908` (DECIMAL(3, 3)) and `12.50`
 * (DECIMAL(4, 2)): its digits without leading zeros, at least its scale; undefined when the
 * text is not a plain decimal number (no exponent) or has more than 38 digits.
 */
export function decimalLiteralType(text: string): DecimalShape | undefined {
    if (!DECIMAL_TEXT.test(text)) return undefined;
    const unsigned = text.trim().replace(/^[-+]/, '');
    const [whole, fraction = ''] = unsigned.split('.');
    const digits = (whole + fraction).replace(/^0+/, '').length;
    const shape = { precision: Math.max(digits, fraction.length, 1), scale: fraction.length };
    return shape.precision <= MAX_DECIMAL_PRECISION ? shape : undefined;
}

/** True when p and s make a DECIMAL type: 1 <= p <= 38 and 0 <= s <= p. */
export function isValidDecimal(precision: number, scale: number): boolean {
    return Number.isInteger(precision) && Number.isInteger(scale) && precision >= 1 && precision <= MAX_DECIMAL_PRECISION && scale >= 0 && scale <= precision;
}

/**
 * Decimal text without an exponent (`1.5E-7` is `0.00000015`), for SQL numeric literals, which
 * Flink reads as exact DECIMALs only without one; undefined when the text is not a number.
 */
export function plainDecimalText(text: string): string | undefined {
    const m = /^\s*([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?\s*$/.exec(text);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
    const exponent = Number(m[4] ?? '0');
    if (Math.abs(exponent) > 400) return undefined;
    let digits = (m[2] || '0') + (m[3] ?? '');
    let point = (m[2] || '0').length + exponent;
    if (point <= 0) {
        digits = '0'.repeat(1 - point) + digits;
        point = 1;
    }
    if (point > digits.length) digits += '0'.repeat(point - digits.length);
    const whole = digits.slice(0, point).replace(/^0+(?=\d)/, '');
    const fraction = digits.slice(point);
    return `${m[1] === '-' ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

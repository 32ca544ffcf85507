/**
 * The order orderBy sorts by: its keys, then, to break ties, the whole row. Breaking ties by the
 * row (its fields in schema order, ascending) makes the result a function of the rows alone, not
 * of the order they arrived in, so every parallelism and both modes give the same ranking.
 */
import type { Expr } from '../../../protocol/logical-graph.js';
import { compileExpression } from '../expressions/compile-expression.js';
import { compareDecimals } from '../expressions/decimal-values.js';
import type { Row } from './operator.js';
import { compareValues } from '../expressions/value-order.js';

export { compareValues };

export type RowComparator = (a: Row, b: Row) => number;

/** Orders two decimals (canonical text) by value, null first. */
function compareDecimalValues(x: unknown, y: unknown): number {
    if (x === y) return 0;
    if (x == null) return -1;
    if (y == null) return 1;
    return compareDecimals(x as string, y as string);
}

/**
 * Compares rows by the sort keys (each ascending or descending; nulls first ascending, last
 * descending, as in Flink), then by `tieFields` ascending.
 */
export function compileRowComparator(keys: { expr: Expr; descending: boolean }[], tieFields: string[]): RowComparator {
    const fns = keys.map((k) => ({
        value: compileExpression(k.expr), sign: k.descending ? -1 : 1,
        // Decimals are text at run time: "10.00" sorts after "9.00" by value, not by character.
        compare: k.expr.type.kind === 'decimal' ? compareDecimalValues : compareValues
    }));
    return (a, b) => {
        for (const { value, sign, compare } of fns) {
            const order = compare(value(a), value(b));
            if (order !== 0) return order * sign;
        }
        for (const field of tieFields) {
            const order = compareValues(a[field], b[field]);
            if (order !== 0) return order;
        }
        return 0;
    };
}

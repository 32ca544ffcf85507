/**
 * orderBy and limit per window in streaming mode: the records a window emits arrive before the
 * watermark that fired it is forwarded, so the records between two watermarks belong to the
 * windows that just fired. When several windows fire together, `windowField` (a field holding
 * window.start or window.end) tells them apart.
 */
import type { Row } from './operator.js';

/** Splits `rows` into window groups, in order of first appearance. */
export function groupByWindow(rows: Row[], windowField: string | undefined): Row[][] {
    if (windowField === undefined) return rows.length > 0 ? [rows] : [];
    const groups = new Map<unknown, Row[]>();
    for (const row of rows) {
        const k = row[windowField];
        let g = groups.get(k);
        if (g === undefined) groups.set(k, (g = []));
        g.push(row);
    }
    return [...groups.values()];
}

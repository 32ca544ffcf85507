/**
 * How results are compared: as multisets of records (order across subtasks is not defined), and
 * for a rolling aggregate in streaming mode by its final row per key (the one with the largest
 * count), after checking that every key emitted exactly one row per input record.
 */
import { COUNT_FIELD, WINDOW_START_FIELD, type Pipeline, type Terminal } from './pipeline-model.js';

type Rec = Record<string, unknown>;

/** A record as text, fields in name order, so equal records give equal text. */
export function canonical(row: Rec): string {
    return JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k]]));
}

/**
 * A record as text that also tells -0, NaN, infinities and big integers apart (JSON would not),
 * for comparisons that must be exact to the bit (column path against row path).
 */
export function exactCanonical(row: Rec): string {
    const exact = (_key: string, x: unknown): unknown => {
        if (typeof x === 'number' && (Object.is(x, -0) || !Number.isFinite(x))) return `#number ${Object.is(x, -0) ? '-0' : String(x)}`;
        if (typeof x === 'bigint') return `#bigint ${x}`;
        return x;
    };
    return JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k]]), exact);
}

/** The last record of each group (a rolling aggregate's final state; the only one in batch mode), canonical and sorted. */
export function lastPerGroup(rows: Rec[], group: string[]): string[] {
    const last = new Map<string, Rec>();
    for (const row of rows) last.set(JSON.stringify(group.map((g) => row[g] ?? null)), row);
    return [...last.values()].map(exactCanonical).sort();
}

/** The records as sorted canonical texts: two multisets are equal when these are. */
export function multiset(rows: Rec[]): string[] {
    return rows.map(canonical).sort();
}

/** The rolling aggregate ending `p`, when streaming mode emits its updates rather than final rows. */
export function rollingTerminal(p: Pipeline): Extract<Terminal, { op: 'aggregate' | 'reduce' }> | null {
    if (!p.terminal || p.terminal.op === 'distinct') return null;
    // After a window, aggregate and reduce emit once per key and window.
    return p.terminal.window ? null : p.terminal;
}

/**
 * The final row per key of a rolling aggregate's updates, or a description of what is wrong
 * with them (a key whose counts are not 1, 2, ..., N).
 */
export function finalRowsOfUpdates(terminal: Extract<Terminal, { op: 'aggregate' | 'reduce' }>, updates: Rec[]): Rec[] | string {
    const byKey = new Map<string, Rec[]>();
    for (const row of updates) {
        const key = JSON.stringify([...terminal.keys.map((k) => row[k]), ...(terminal.window ? [row[WINDOW_START_FIELD]] : [])]);
        const list = byKey.get(key);
        if (list) list.push(row);
        else byKey.set(key, [row]);
    }
    const finals: Rec[] = [];
    for (const [key, rows] of byKey) {
        const counts = rows.map((r) => r[COUNT_FIELD] as number).sort((a, b) => a - b);
        if (!counts.every((c, i) => c === i + 1)) return `the updates of key ${key} have counts ${JSON.stringify(counts)}, not 1..${rows.length}`;
        finals.push(rows.find((r) => r[COUNT_FIELD] === rows.length)!);
    }
    return finals;
}

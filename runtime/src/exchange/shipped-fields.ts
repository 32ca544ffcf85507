/**
 * Which fields of a record must cross threads to the node at the head of the receiving task.
 * Some heads build their output from the fields their expressions name and from nothing else, so
 * an edge into them needs to send only those (Nexmark q17's bids cross as three numbers instead of
 * seven fields with three strings, which cost most of the encoding and structured clone):
 * - an aggregate without a window: its accumulators, results and state keys are made of its keys
 *   and output expressions (the group's first record is kept for the non-aggregated fields, and
 *   those are named too);
 * - an aggregate over a time window (tumbling, sliding, cumulate, session) whose `late` side
 *   output nobody reads: the same, plus the window's time field (a late record is then dropped and
 *   counted, as before);
 * - a projection (map): its output is its expressions.
 * Their outputs hold no other field, so a tap on them (or anything after them) sees what it saw
 * before; a debugged or test run, whose probes show a node's input records, ships whole records
 * (task-executor.ts).
 * Everything else gets the whole record, because it may show or keep fields no expression names:
 * joins (their output keeps every field of both sides, and a tap may open on it at any time),
 * count windows (they order ties by the whole record), windows whose `late` side output is read
 * (late records go out whole), updating aggregates, filters, sinks, and so on.
 */
import type { Expr, LogicalNode } from '../../../protocol/logical-graph.js';

/**
 * The fields of `fields` (the edge's record fields, in order) that `head` reads, or null when it
 * may read more than its expressions name (then the whole record is sent). `lateRead`: an edge
 * reads `head`'s `late` side output.
 */
export function fieldsReadBy(head: LogicalNode | undefined, fields: readonly string[] | null, lateRead = false): string[] | null {
    if (head === undefined || fields === null) return null;
    const named = namedFields(head, lateRead);
    if (named === null) return null;
    const read = fields.filter((f) => named.has(f));
    return read.length < fields.length ? read : null;
}

/** The fields `head` reads when its output is made of them alone (see above), else null. */
function namedFields(head: LogicalNode, lateRead: boolean): Set<string> | null {
    const config = head.config;
    const named = new Set<string>();
    if (config.kind === 'map') {
        for (const field of config.fields) collectFields(field.expr, named);
        return named;
    }
    if (config.kind !== 'aggregate' || config.updatingInput !== undefined) return null;
    const window = config.window;
    if (window !== undefined) {
        if (window.type === 'count' || lateRead) return null;
        if (window.timeField !== undefined) named.add(window.timeField);
    }
    for (const key of config.keys) collectFields(key, named);
    for (const field of config.fields) collectFields(field.expr, named);
    return named;
}

/** Adds every field an expression names (nested ones included) to `into`. */
function collectFields(expr: Expr | unknown, into: Set<string>): void {
    if (Array.isArray(expr)) {
        for (const item of expr) collectFields(item, into);
        return;
    }
    if (typeof expr !== 'object' || expr === null) return;
    const node = expr as { k?: string; name?: unknown };
    if (node.k === 'field' && typeof node.name === 'string') into.add(node.name);
    for (const [key, value] of Object.entries(expr)) if (key !== 'type') collectFields(value, into);
}

/**
 * Which fields of a record must cross threads to the node at the head of the receiving task.
 * An aggregate without a window reads only the fields its keys and its output expressions name:
 * its accumulators, its results and its state keys are made of those alone (the group's first
 * record is kept for the non-aggregated fields, and those are named too). So a keyBy into it
 * needs to send only them: Nexmark q17's bids cross as three numbers instead of seven fields with
 * three strings (which cost most of the encoding and structured clone).
 * Everything else gets the whole record: windowed aggregates (late records go out whole on the
 * `late` side output; count windows order ties by the whole record), joins (their output keeps
 * the fields), updating aggregates, sinks, and so on.
 */
import type { Expr, LogicalNode } from '../../../protocol/logical-graph.js';

/**
 * The fields of `fields` (the edge's record fields, in order) that `head` reads, or null when it
 * may read more than its expressions name (then the whole record is sent).
 */
export function fieldsReadBy(head: LogicalNode | undefined, fields: readonly string[] | null): string[] | null {
    if (head === undefined || fields === null) return null;
    const config = head.config;
    if (config.kind !== 'aggregate' || config.window !== undefined || config.updatingInput !== undefined) return null;
    const named = new Set<string>();
    for (const key of config.keys) collectFields(key, named);
    for (const field of config.fields) collectFields(field.expr, named);
    const read = fields.filter((f) => named.has(f));
    return read.length < fields.length ? read : null;
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

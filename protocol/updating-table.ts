/**
 * The current table of an updating stream (an upsert changelog: each row the newest version of
 * the row with the same key values, docs/language.md "Updating streams"), as the results view and
 * `flowline run` show it: one row per key, a key's row replaced in place (it keeps the position
 * its key first had), and the number of changes that built it.
 */

/** The upsert key of a sink node's rows, when they are updates (`changelog` of the LogicalGraph). */
export function updatingKeyFields(node: { changelog?: { kind: 'upsert'; keyFields?: string[] } } | undefined): string[] | undefined {
    return node?.changelog?.kind === 'upsert' ? node.changelog.keyFields : undefined;
}

export class UpdatingTable {
    private readonly byKey = new Map<string, Record<string, unknown>>();
    /** Rows applied so far (inserts and updates): the changelog's length. */
    changes = 0;

    constructor(readonly keyFields: readonly string[]) {}

    /** Applies one update: a new key adds a row, a known key's row is replaced where it stands. */
    apply(row: Record<string, unknown>): void {
        this.byKey.set(JSON.stringify(this.keyFields.map((f) => row[f] ?? null)), row);
        this.changes++;
    }

    /** The current rows, in the order their keys first came. */
    rows(): Record<string, unknown>[] {
        return [...this.byKey.values()];
    }

    get size(): number {
        return this.byKey.size;
    }
}

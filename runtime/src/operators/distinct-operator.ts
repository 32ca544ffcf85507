/**
 * distinct: emits the first occurrence of each record (all fields compared, in schema order) and
 * drops repeats. In streaming mode the set of seen records grows with the number of distinct records.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { instantiate } from '../expressions/compile-expression.js';
import { propertyAccess } from '../expressions/expression-codegen.js';
import type { OperatorContext, OperatorInspection, Row, StreamOperator } from './operator.js';

/** Drops duplicate records. */
export class DistinctOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly seen = new Set<string>();
    private readonly identity: (row: Row) => string;

    constructor(node: LogicalNode) {
        // JSON of the values in schema order: field order in the object does not matter.
        const values = node.schema.map((f) => propertyAccess('r', f.name));
        this.identity = instantiate(`return function identity(r) { return JSON.stringify([${values.join(', ')}]); };`, []) as (row: Row) => string;
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    inspect(row: Row): OperatorInspection {
        return { windows: [], state: [{ label: 'seen before', value: this.seen.has(this.identity(row)) }, { label: 'distinct records so far', value: this.seen.size }] };
    }

    processBatch(rows: Row[]): void {
        const out: Row[] = [];
        for (const row of rows) {
            const id = this.identity(row);
            if (this.seen.has(id)) continue;
            this.seen.add(id);
            out.push(row);
        }
        if (out.length > 0) this.ctx.emit(out);
    }

    snapshotState(): unknown {
        return { seen: this.seen };
    }

    restoreState(snapshot: unknown): void {
        this.seen.clear();
        for (const id of (snapshot as { seen: Set<string> }).seen) this.seen.add(id);
    }
}

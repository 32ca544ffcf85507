/**
 * orderBy. On the rows of a windowed aggregate (`window` set, both modes) it sorts each window on
 * its own once the window is complete (see pending-windows.ts) and emits the windows in end
 * order; otherwise (`across windows`, or input that is not windowed) it sorts the whole input at
 * its end. Ties are broken by the whole row (row-order.ts), so the output does not depend on
 * arrival order or parallelism.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import type { OperatorContext, OperatorInspection, Row, StreamOperator } from './operator.js';
import { operatorError } from './operator-error.js';
import { PendingWindows } from './pending-windows.js';
import { compileRowComparator, type RowComparator } from './row-order.js';

/** Sorting operator. */
export class OrderByOperator implements StreamOperator {
    private ctx!: OperatorContext;
    /** Whole-input sort: every row until the end of input. */
    private buffer: Row[] = [];
    /** Per-window sort: the rows of windows not yet complete. */
    private pending: PendingWindows | undefined;
    private readonly compare: RowComparator;

    constructor(private readonly node: LogicalNode) {
        const config = node.config;
        if (config.kind !== 'orderBy') throw new Error(`${node.id} is not an orderBy`);
        if (config.window !== undefined) this.pending = new PendingWindows(config.window);
        try {
            this.compare = compileRowComparator(config.keys, node.schema.map((f) => f.name));
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    inspect(row: Row): OperatorInspection {
        if (this.pending) return { windows: [], state: [{ label: "the record's window, rows so far (unsorted)", value: this.pending.rowsOfWindow(row) }] };
        return { windows: [], state: [{ label: 'rows so far (unsorted)', value: this.buffer.length }] };
    }

    processBatch(rows: Row[]): void {
        if (this.pending) this.pending.add(rows);
        else for (const row of rows) this.buffer.push(row);
    }

    processWatermark(watermark: number): void {
        if (this.pending) this.emitSorted(this.pending.completedByWatermark(watermark));
    }

    onProcessingTime(now: number): void {
        if (this.pending && this.ctx.mode === 'streaming') this.emitSorted(this.pending.completedByClock(now));
    }

    endOfInput(): void {
        if (this.pending) {
            this.emitSorted(this.pending.takeAll());
            return;
        }
        const rows = this.buffer;
        this.buffer = [];
        this.emitSorted(rows.length > 0 ? [rows] : []);
    }

    /** Sorts each group and emits them, in the order given, as one batch. */
    private emitSorted(groups: Row[][]): void {
        if (groups.length === 0) return;
        const out: Row[] = [];
        try {
            for (const group of groups) for (const row of group.sort(this.compare)) out.push(row);
        } catch (err) {
            throw operatorError(this.node, err);
        }
        this.ctx.emit(out);
    }

    snapshotState(): unknown {
        return { buffer: this.pending ? this.pending.rows() : this.buffer };
    }

    restoreState(snapshot: unknown): void {
        const { buffer } = snapshot as { buffer: Row[] };
        if (this.pending) {
            this.pending.takeAll();
            this.pending.add(buffer);
        } else {
            this.buffer = buffer;
        }
    }
}

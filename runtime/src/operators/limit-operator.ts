/**
 * limit. On the rows of a windowed aggregate (`window` set, both modes) it keeps the first N rows
 * of each window once the window is complete (see pending-windows.ts): after a per-window orderBy
 * that is the window's top N. Otherwise (`across windows`, or input that is not windowed) it
 * passes the first N rows of the whole input as they come.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import type { OperatorContext, OperatorInspection, Row, StreamOperator } from './operator.js';
import { PendingWindows } from './pending-windows.js';

/** Keeps the first `count` records (per window when `window` is set). */
export class LimitOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly count: number;
    /** Per-window limit: the rows of windows not yet complete. */
    private readonly pending: PendingWindows | undefined;
    /** Whole-input limit: how many rows have passed. */
    private passed = 0;

    constructor(node: LogicalNode) {
        const config = node.config;
        if (config.kind !== 'limit') throw new Error(`${node.id} is not a limit`);
        this.count = config.count;
        if (config.window !== undefined) this.pending = new PendingWindows(config.window);
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    inspect(row: Row): OperatorInspection {
        if (this.pending) return { windows: [], state: [{ label: "the record's window, rows so far", value: this.pending.rowsOfWindow(row).length }] };
        return { windows: [], state: [{ label: 'rows passed so far', value: this.passed }, { label: 'limit', value: this.count }] };
    }

    processBatch(rows: Row[]): void {
        if (this.pending) {
            this.pending.add(rows);
            return;
        }
        if (this.passed >= this.count) return;
        const take = rows.length <= this.count - this.passed ? rows : rows.slice(0, this.count - this.passed);
        this.passed += take.length;
        if (take.length > 0) this.ctx.emit(take);
    }

    processWatermark(watermark: number): void {
        if (this.pending) this.emitFirst(this.pending.completedByWatermark(watermark));
    }

    onProcessingTime(now: number): void {
        if (this.pending && this.ctx.mode === 'streaming') this.emitFirst(this.pending.completedByClock(now));
    }

    endOfInput(): void {
        if (this.pending) this.emitFirst(this.pending.takeAll());
    }

    /** The first `count` rows of each window, windows in the order given, as one batch. */
    private emitFirst(windows: Row[][]): void {
        const out: Row[] = [];
        for (const rows of windows) for (let i = 0; i < rows.length && i < this.count; i++) out.push(rows[i]);
        if (out.length > 0) this.ctx.emit(out);
    }

    snapshotState(): unknown {
        return { passed: this.passed, buffer: this.pending ? this.pending.rows() : [] };
    }

    restoreState(snapshot: unknown): void {
        const s = snapshot as { passed: number; buffer: Row[] };
        this.passed = s.passed;
        if (this.pending) {
            this.pending.takeAll();
            this.pending.add(s.buffer);
        }
    }
}

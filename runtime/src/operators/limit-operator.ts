/**
 * limit: the first N records (batch), or the first N of each fired window (streaming, perWindow),
 * which after an orderBy is a top-N.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { fromPlainData, toPlainData } from '../state/plain-data.js';
import type { OperatorContext, Row, StreamOperator } from './operator.js';
import { groupByWindow } from './window-groups.js';

/** Keeps the first `count` records (per window when perWindow). */
export class LimitOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly count: number;
    private readonly perWindow: boolean;
    private readonly windowField: string | undefined;
    private passed = 0;
    private buffer: Row[] = [];

    constructor(node: LogicalNode) {
        if (node.config.kind !== 'limit') throw new Error(`${node.id} is not a limit`);
        this.count = node.config.count;
        this.perWindow = node.config.perWindow;
        this.windowField = node.config.windowField;
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    processBatch(rows: Row[]): void {
        if (this.perWindow && this.ctx.mode === 'streaming') {
            for (const row of rows) this.buffer.push(row);
            return;
        }
        if (this.passed >= this.count) return;
        const take = rows.length <= this.count - this.passed ? rows : rows.slice(0, this.count - this.passed);
        this.passed += take.length;
        if (take.length > 0) this.ctx.emit(take);
    }

    processWatermark(): void {
        this.flushWindows();
    }

    endOfInput(): void {
        this.flushWindows();
    }

    private flushWindows(): void {
        if (this.buffer.length === 0) return;
        const rows = this.buffer;
        this.buffer = [];
        const out: Row[] = [];
        for (const group of groupByWindow(rows, this.windowField)) for (let i = 0; i < group.length && i < this.count; i++) out.push(group[i]);
        if (out.length > 0) this.ctx.emit(out);
    }

    snapshotState(): unknown {
        return toPlainData({ passed: this.passed, buffer: this.buffer });
    }

    restoreState(snapshot: unknown): void {
        const s = fromPlainData(snapshot) as { passed: number; buffer: Row[] };
        this.passed = s.passed;
        this.buffer = s.buffer;
    }
}

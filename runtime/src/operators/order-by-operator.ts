/**
 * orderBy: batch mode sorts all records at the end of input; streaming mode (perWindow) sorts the
 * records of each fired window when the watermark passes. Nulls sort first ascending and last
 * descending, as in Flink. The sort is stable.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { compileExpression } from '../expressions/compile-expression.js';
import { fromPlainData, toPlainData } from '../state/plain-data.js';
import type { OperatorContext, Row, StreamOperator } from './operator.js';
import { operatorError } from './operator-error.js';
import { groupByWindow } from './window-groups.js';

type Comparator = (a: Row, b: Row) => number;

function compileComparator(keys: { expr: Parameters<typeof compileExpression>[0]; descending: boolean }[]): Comparator {
    const fns = keys.map((k) => ({ value: compileExpression(k.expr), sign: k.descending ? -1 : 1 }));
    return (a, b) => {
        for (const { value, sign } of fns) {
            const x = value(a) as number | string | null;
            const y = value(b) as number | string | null;
            if (x === y) continue;
            if (x == null) return -sign;
            if (y == null) return sign;
            if (x < y) return -sign;
            if (x > y) return sign;
        }
        return 0;
    };
}

/** Sorting operator. */
export class OrderByOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private buffer: Row[] = [];
    private readonly compare: Comparator;
    private readonly windowField: string | undefined;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'orderBy') throw new Error(`${node.id} is not an orderBy`);
        this.windowField = node.config.windowField;
        try {
            this.compare = compileComparator(node.config.keys);
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    processBatch(rows: Row[]): void {
        for (const row of rows) this.buffer.push(row);
    }

    processWatermark(): void {
        if (this.ctx.mode === 'streaming') this.flush();
    }

    endOfInput(): void {
        this.flush();
    }

    private flush(): void {
        if (this.buffer.length === 0) return;
        const rows = this.buffer;
        this.buffer = [];
        const groups = this.ctx.mode === 'streaming' ? groupByWindow(rows, this.windowField) : [rows];
        try {
            for (const group of groups) this.ctx.emit(group.sort(this.compare));
        } catch (err) {
            throw operatorError(this.node, err);
        }
    }

    snapshotState(): unknown {
        return toPlainData({ buffer: this.buffer });
    }

    restoreState(snapshot: unknown): void {
        this.buffer = (fromPlainData(snapshot) as { buffer: Row[] }).buffer;
    }
}

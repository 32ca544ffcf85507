/**
 * Top-N per window (`top N by ... [with ties] [as rank]` right after a windowed aggregate; Flink's
 * window Top-N): each window's rows, once the window is complete (pending-windows.ts), ranked per
 * key (`keys`, none: the whole window) in the order, ties broken by the whole row; the first N of
 * each, or with `withTies` every row whose rank (1 + the rows strictly before it in the order,
 * SQL's RANK()) is at most N. An append stream in both modes: each window is ranked once.
 */
import type { LogicalNode, TopNConfig } from '../../../protocol/logical-graph.js';
import { compileStateKey } from '../expressions/key-codegen.js';
import type { OperatorContext, OperatorInspection, RescaledPiece, Row, StreamOperator } from './operator.js';
import { keepRowsOfKeyGroups, type KeyGroupRange } from '../state/state-key-groups.js';
import { operatorError } from './operator-error.js';
import { PendingWindows } from './pending-windows.js';
import { compileRowComparator, type RowComparator } from './row-order.js';

export class WindowTopNOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly config: TopNConfig;
    private readonly pending: PendingWindows;
    private readonly compare: RowComparator;
    /** Compares by the order keys alone: rows it calls equal are tied. */
    private readonly compareKeys: RowComparator;
    private readonly keyOf: (row: Row) => unknown;

    constructor(private readonly node: LogicalNode) {
        const config = node.config;
        if (config.kind !== 'topN' || config.window === undefined) throw new Error(`${node.id} is not a Top-N per window`);
        this.config = config;
        this.pending = new PendingWindows(config.window);
        const inputFields = node.schema.map((f) => f.name).filter((f) => f !== config.rankField);
        try {
            this.compare = compileRowComparator(config.order, inputFields);
            this.compareKeys = compileRowComparator(config.order, []);
            this.keyOf = compileStateKey(config.keys);
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    inspect(row: Row): OperatorInspection {
        return { windows: [], state: [{ label: "the record's window, rows so far", value: this.pending.rowsOfWindow(row) }] };
    }

    processBatch(rows: Row[]): void {
        this.pending.add(rows);
    }

    processWatermark(watermark: number): void {
        this.rank(this.pending.completedByWatermark(watermark));
    }

    onProcessingTime(now: number): void {
        if (this.ctx.mode === 'streaming') this.rank(this.pending.completedByClock(now));
    }

    endOfInput(): void {
        this.rank(this.pending.takeAll());
    }

    /** Emits the top rows of each key of each window, windows in the order given. */
    private rank(windows: Row[][]): void {
        const out: Row[] = [];
        try {
            for (const rows of windows) {
                const byKey = new Map<unknown, Row[]>();
                for (const row of rows) {
                    const key = this.keyOf(row);
                    const list = byKey.get(key);
                    if (list) list.push(row);
                    else byKey.set(key, [row]);
                }
                for (const list of byKey.values()) this.top(list, out);
            }
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (out.length > 0) this.ctx.emit(out);
    }

    private top(rows: Row[], out: Row[]): void {
        rows.sort(this.compare);
        const { count, withTies, rankField } = this.config;
        let rank = 0;
        for (let i = 0; i < rows.length; i++) {
            // RANK(): tied rows share the rank of the first of them; ROW_NUMBER(): every row its own.
            rank = withTies && i > 0 && this.compareKeys(rows[i], rows[i - 1]) === 0 ? rank : i + 1;
            if (rank > count) break;
            out.push(rankField === undefined ? rows[i] : { ...rows[i], [rankField]: rank });
        }
    }

    snapshotState(): unknown {
        return { buffer: this.pending.rows() };
    }

    restoreState(snapshot: unknown): void {
        const s = snapshot as { buffer: Row[] };
        this.pending.takeAll();
        this.pending.add(s.buffer);
    }

    /** The buffered rows of the keys this subtask owns (the windows are rebuilt from them). */
    restoreRescaled(pieces: RescaledPiece[], owned: KeyGroupRange): void {
        const rows = keepRowsOfKeyGroups(this.config.keys, this.keyOf, pieces.map((p) => ({ rows: (p.state as { buffer: Row[] }).buffer, keyGroups: p.keyGroups })), owned);
        this.restoreState({ buffer: rows });
    }
}

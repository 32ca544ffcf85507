/**
 * Top-N per key (`top N by ...`, `keep first|last by ...`), Flink's ROW_NUMBER() <= N. Each key
 * keeps its first `count` rows in the order (ties broken by the whole row, row-order.ts, so the
 * ranking does not depend on arrival order or parallelism).
 * - Batch mode: every key's rows, in rank order, at the end of the input.
 * - Streaming mode: after each record, the rows whose rank it changed (an upsert changelog keyed
 *   by the key and the rank); a row pushed out of the top N is simply no longer updated, as the
 *   rank it held gets the row that took its place.
 * - `finalOnWatermark` (keep first by the event time): a key's first row is emitted once the
 *   watermark passes its time, exactly once; later rows of that key are dropped as duplicates,
 *   so the output is append-only (Flink's deduplication on event time keeping the first row).
 */
import type { LogicalNode, TopNConfig } from '../../../protocol/logical-graph.js';
import { compileExpression } from '../expressions/compile-expression.js';
import { compileStateKey } from '../expressions/key-codegen.js';
import type { OperatorContext, OperatorInspection, Row, StreamOperator, RescaledPiece } from './operator.js';
import { mergeKeyedMaps, type KeyGroupRange } from '../state/state-key-groups.js';
import { operatorError } from './operator-error.js';
import { compileRowComparator, type RowComparator } from './row-order.js';

export class TopNOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly config: TopNConfig;
    private readonly compare: RowComparator;
    private readonly keyOf: (row: Row) => unknown;
    /** Each key's ranked rows (at most `count`), best first. */
    private ranked = new Map<unknown, Row[]>();
    /** finalOnWatermark: the keys whose first row has been emitted. */
    private emitted = new Set<unknown>();
    private readonly timeOf: ((row: Row) => unknown) | undefined;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'topN') throw new Error(`${node.id} is not a topN`);
        this.config = node.config;
        const inputFields = node.schema.map((f) => f.name).filter((f) => f !== this.config.rankField);
        try {
            this.compare = compileRowComparator(this.config.order, inputFields);
            this.keyOf = compileStateKey(this.config.keys);
            this.timeOf = this.config.finalOnWatermark ? compileExpression(this.config.order[0].expr) : undefined;
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    inspect(row: Row): OperatorInspection {
        return { windows: [], state: [{ label: "the key's ranked rows", value: this.ranked.get(this.keyOf(row)) ?? [] }] };
    }

    processBatch(rows: Row[]): void {
        const updates = this.ctx.mode === 'streaming' && !this.config.finalOnWatermark ? [] as Row[] : undefined;
        try {
            for (const row of rows) this.insert(row, updates);
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (updates && updates.length > 0) this.ctx.emit(updates);
    }

    /** Ranks `row` among its key's rows; `updates` collects the rows whose rank changed. */
    private insert(row: Row, updates: Row[] | undefined): void {
        const key = this.keyOf(row);
        if (this.emitted.has(key)) return; // keep first on event time: the key's row is final
        let list = this.ranked.get(key);
        if (list === undefined) {
            list = [];
            this.ranked.set(key, list);
        }
        const { count } = this.config;
        let position = list.length;
        while (position > 0 && this.compare(row, list[position - 1]) < 0) position--;
        if (position >= count) return;
        list.splice(position, 0, row);
        if (list.length > count) list.pop();
        if (updates) for (let rank = position; rank < list.length; rank++) updates.push(this.withRank(list[rank], rank));
    }

    private withRank(row: Row, rank: number): Row {
        return this.config.rankField === undefined ? row : { ...row, [this.config.rankField]: rank + 1 };
    }

    processWatermark(watermark: number): void {
        if (!this.timeOf || this.ctx.mode !== 'streaming') return;
        const out: Row[] = [];
        for (const [key, list] of this.ranked) {
            const time = this.timeOf(list[0]);
            // No record older than the watermark comes any more (an equal one still may).
            if (typeof time === 'number' && time < watermark) {
                out.push(this.withRank(list[0], 0));
                this.emitted.add(key);
                this.ranked.delete(key);
            }
        }
        if (out.length > 0) this.ctx.emit(out);
    }

    endOfInput(): void {
        if (this.ctx.mode === 'streaming' && !this.config.finalOnWatermark) return;
        const out: Row[] = [];
        for (const list of this.ranked.values()) list.forEach((row, rank) => out.push(this.withRank(row, rank)));
        this.ranked.clear();
        if (out.length > 0) this.ctx.emit(out);
    }

    snapshotState(): unknown {
        return { ranked: this.ranked, emitted: this.emitted };
    }

    restoreState(snapshot: unknown): void {
        const { ranked, emitted } = snapshot as { ranked: Map<unknown, Row[]>; emitted: Set<unknown> };
        this.ranked = ranked;
        this.emitted = emitted;
    }

    /** The ranked rows (and, keep-first, the keys already emitted) of the keys this subtask owns. */
    restoreRescaled(pieces: RescaledPiece[], owned: KeyGroupRange): void {
        const states = pieces.map((p) => p.state as { ranked: Map<unknown, Row[]>; emitted: Set<unknown> });
        const emitted = mergeKeyedMaps(this.config.keys, pieces.map((p, i) => ({ map: new Map([...states[i].emitted].map((k) => [k, true])), keyGroups: p.keyGroups })), owned);
        this.restoreState({
            ranked: mergeKeyedMaps(this.config.keys, pieces.map((p, i) => ({ map: states[i].ranked, keyGroups: p.keyGroups })), owned),
            emitted: new Set(emitted.keys())
        });
    }
}

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
 * - `until` (keep ... until t): a key stays open, its row ranked as in batch mode, until the
 *   watermark passes the latest `t` of its rows; its row is then final and emitted once, and later
 *   rows of the key are late. The output watermark is held back to the earliest event time of the
 *   open keys' rows, which are emitted later than the input watermark says.
 */
import type { LogicalNode, TopNConfig } from '../../../protocol/logical-graph.js';
import { compileExpression } from '../expressions/compile-expression.js';
import { compileStateKey } from '../expressions/key-codegen.js';
import type { OperatorContext, OperatorInspection, Row, StreamOperator, RescaledPiece } from './operator.js';
import { mergeKeyedMaps, type KeyGroupRange } from '../state/state-key-groups.js';
import { operatorError } from './operator-error.js';
import { routeLateRecords } from './late-records.js';
import { compileRowComparator, type RowComparator } from './row-order.js';

export class TopNOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly config: TopNConfig;
    private readonly compare: RowComparator;
    private readonly keyOf: (row: Row) => unknown;
    /** Each key's ranked rows (at most `count`), best first. */
    private ranked = new Map<unknown, Row[]>();
    /** finalOnWatermark and until: the keys whose row has been emitted. */
    private emitted = new Set<unknown>();
    /** until: each open key's closing time, the latest `until` of its rows (ms). */
    private closesAt = new Map<unknown, number>();
    private readonly timeOf: ((row: Row) => unknown) | undefined;
    private readonly untilOf: ((row: Row) => unknown) | undefined;
    /** Whether each record emits the rows whose rank it changed (streaming, neither closed on the watermark). */
    private emitsUpdates = false;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'topN') throw new Error(`${node.id} is not a topN`);
        this.config = node.config;
        const inputFields = node.schema.map((f) => f.name).filter((f) => f !== this.config.rankField);
        try {
            this.compare = compileRowComparator(this.config.order, inputFields);
            this.keyOf = compileStateKey(this.config.keys);
            this.timeOf = this.config.finalOnWatermark ? compileExpression(this.config.order[0].expr) : undefined;
            this.untilOf = this.config.until ? compileExpression(this.config.until) : undefined;
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
        this.emitsUpdates = ctx.mode === 'streaming' && !this.config.finalOnWatermark && !this.config.until;
    }

    inspect(row: Row): OperatorInspection {
        return { windows: [], state: [{ label: "the key's ranked rows", value: this.ranked.get(this.keyOf(row)) ?? [] }] };
    }

    processBatch(rows: Row[]): void {
        const updates = this.emitsUpdates ? [] as Row[] : undefined;
        const late: Row[] = [];
        try {
            for (const row of rows) this.insert(row, updates, late);
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (updates && updates.length > 0) this.ctx.emit(updates);
        routeLateRecords(this.ctx, late);
    }

    /** Ranks `row` among its key's rows; `updates` collects the rows whose rank changed. */
    private insert(row: Row, updates: Row[] | undefined, late: Row[]): void {
        const key = this.keyOf(row);
        if (this.emitted.has(key)) {
            // keep first on event time: a duplicate of a final row; until: a row of a closed key
            if (this.untilOf) late.push(row);
            return;
        }
        if (this.untilOf) {
            const until = this.untilOf(row);
            if (typeof until === 'number' && !(until <= (this.closesAt.get(key) ?? -Infinity))) this.closesAt.set(key, until);
        }
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

    processWatermark(watermark: number): void | number {
        if (this.untilOf && this.ctx.mode === 'streaming') return this.closeKeys(watermark);
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

    /**
     * until: emits the row of each key the watermark has closed (its closing time is behind it);
     * returns the watermark to forward, held back to the earliest event time of the open keys' rows.
     */
    private closeKeys(watermark: number): number {
        const out: Row[] = [];
        const timeFields = this.config.timeFields ?? [];
        let held = watermark;
        for (const [key, list] of this.ranked) {
            const closes = this.closesAt.get(key);
            // No record older than the watermark comes any more (an equal one still may).
            if (closes !== undefined && closes < watermark) {
                out.push(this.withRank(list[0], 0));
                this.emitted.add(key);
                this.ranked.delete(key);
                this.closesAt.delete(key);
                continue;
            }
            for (const field of timeFields) {
                const time = list[0]?.[field];
                if (typeof time === 'number' && time < held) held = time;
            }
        }
        if (out.length > 0) this.ctx.emit(out);
        return held;
    }

    endOfInput(): void {
        if (this.emitsUpdates) return;
        const out: Row[] = [];
        for (const list of this.ranked.values()) list.forEach((row, rank) => out.push(this.withRank(row, rank)));
        this.ranked.clear();
        this.closesAt.clear();
        if (out.length > 0) this.ctx.emit(out);
    }

    snapshotState(): unknown {
        return { ranked: this.ranked, emitted: this.emitted, closesAt: this.closesAt };
    }

    restoreState(snapshot: unknown): void {
        const { ranked, emitted, closesAt } = snapshot as TopNState;
        this.ranked = ranked;
        this.emitted = emitted;
        this.closesAt = closesAt ?? new Map();
    }

    /** The ranked rows (and, keep-first, the keys already emitted) of the keys this subtask owns. */
    restoreRescaled(pieces: RescaledPiece[], owned: KeyGroupRange): void {
        const states = pieces.map((p) => p.state as TopNState);
        const emitted = mergeKeyedMaps(this.config.keys, pieces.map((p, i) => ({ map: new Map([...states[i].emitted].map((k) => [k, true])), keyGroups: p.keyGroups })), owned);
        this.restoreState({
            ranked: mergeKeyedMaps(this.config.keys, pieces.map((p, i) => ({ map: states[i].ranked, keyGroups: p.keyGroups })), owned),
            emitted: new Set(emitted.keys()),
            closesAt: mergeKeyedMaps(this.config.keys, pieces.map((p, i) => ({ map: states[i].closesAt ?? new Map<unknown, number>(), keyGroups: p.keyGroups })), owned)
        });
    }
}

/** The checkpointed state (`closesAt` since `until`; older snapshots have none). */
interface TopNState { ranked: Map<unknown, Row[]>; emitted: Set<unknown>; closesAt?: Map<unknown, number> }

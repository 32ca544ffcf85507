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
 *   watermark passes the latest `t` of its rows; its row is then final and emitted once, and the
 *   key's state is dropped. A row whose `t` is behind the watermark when its key is not open is
 *   late (it would close at once: the rows of a closed key are, as its `t` is behind). The
 *   output watermark is held back to the earliest event time of the open keys' rows, which are
 *   emitted later than the input watermark says.
 * Watermarks reach only the keys they concern: closing times and first rows' times are kept in
 * event-time timer queues (key-timer-queue.ts), not found by scanning every key.
 */
import type { LogicalNode, TopNConfig } from '../../../protocol/logical-graph.js';
import { compileExpression } from '../expressions/compile-expression.js';
import { compileStateKey } from '../expressions/key-codegen.js';
import type { OperatorContext, OperatorInspection, Row, StreamOperator, RescaledPiece } from './operator.js';
import { mergeKeyedMaps, restoredWatermark, type KeyGroupRange } from '../state/state-key-groups.js';
import { operatorError } from './operator-error.js';
import { routeLateRecords } from './late-records.js';
import { compileRowComparator, type RowComparator } from './row-order.js';
import { KeyTimerQueue } from './key-timer-queue.js';

export class TopNOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly config: TopNConfig;
    private readonly compare: RowComparator;
    private readonly keyOf: (row: Row) => unknown;
    /** Each key's ranked rows (at most `count`), best first; with `until`, the open keys only. */
    private ranked = new Map<unknown, Row[]>();
    /** finalOnWatermark: the keys whose row has been emitted (their later rows are duplicates). */
    private emitted = new Set<unknown>();
    /** until: each open key's closing time, the latest `until` of its rows (ms). */
    private closesAt = new Map<unknown, number>();
    /** The latest input watermark (streaming). */
    private watermark = -Infinity;
    /** until: the open keys by closing time. */
    private readonly closing = new KeyTimerQueue();
    /**
     * The keys by the event time of their first row: finalOnWatermark emits a key's row once the
     * watermark passes it, until holds its output watermark back to the earliest of them.
     */
    private readonly firstRowTimes = new KeyTimerQueue();
    /** finalOnWatermark: the ordering time of a row; until: the earliest of its event-time fields. */
    private readonly rowTimeOf: ((row: Row) => number | undefined) | undefined;
    private readonly untilOf: ((row: Row) => unknown) | undefined;
    /** Whether each record emits the rows whose rank it changed (streaming, neither closed on the watermark). */
    private emitsUpdates = false;
    /** Whether watermarks close keys (streaming with finalOnWatermark or until). */
    private closesOnWatermark = false;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'topN') throw new Error(`${node.id} is not a topN`);
        this.config = node.config;
        const inputFields = node.schema.map((f) => f.name).filter((f) => f !== this.config.rankField);
        try {
            this.compare = compileRowComparator(this.config.order, inputFields);
            this.keyOf = compileStateKey(this.config.keys);
            this.untilOf = this.config.until ? compileExpression(this.config.until) : undefined;
            if (this.config.finalOnWatermark) {
                const timeOf = compileExpression(this.config.order[0].expr);
                this.rowTimeOf = (row) => {
                    const time = timeOf(row);
                    return typeof time === 'number' ? time : undefined;
                };
            } else if (this.config.until) {
                this.rowTimeOf = earliestTimeOf(this.config.timeFields ?? []);
            }
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
        const closes = this.config.finalOnWatermark === true || this.untilOf !== undefined;
        this.emitsUpdates = ctx.mode === 'streaming' && !closes;
        this.closesOnWatermark = ctx.mode === 'streaming' && closes;
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
        // keep first on event time: a duplicate of a final row
        if (this.config.finalOnWatermark && this.emitted.has(key)) return;
        let list = this.ranked.get(key);
        if (this.untilOf) {
            const until = this.untilOf(row);
            if (typeof until === 'number') {
                // Behind the watermark with its key not open: the key closed (or would close at once).
                if (list === undefined && until < this.watermark) {
                    late.push(row);
                    return;
                }
                if (!(until <= (this.closesAt.get(key) ?? -Infinity))) {
                    this.closesAt.set(key, until);
                    if (this.closesOnWatermark) this.closing.push(until, key);
                }
            }
        }
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
        if (position === 0 && this.closesOnWatermark) this.pushFirstRowTime(key, row);
        if (updates) for (let rank = position; rank < list.length; rank++) updates.push(this.withRank(list[rank], rank));
    }

    private pushFirstRowTime(key: unknown, first: Row): void {
        const time = this.rowTimeOf?.(first);
        if (time !== undefined) this.firstRowTimes.push(time, key);
    }

    private withRank(row: Row, rank: number): Row {
        return this.config.rankField === undefined ? row : { ...row, [this.config.rankField]: rank + 1 };
    }

    processWatermark(watermark: number): void | number {
        if (!this.closesOnWatermark) return;
        if (watermark > this.watermark) this.watermark = watermark;
        if (this.untilOf) return this.closeKeys(this.watermark);
        this.emitFirstRows(this.watermark);
    }

    /** finalOnWatermark: emits each key's first row once the watermark has passed its time. */
    private emitFirstRows(watermark: number): void {
        const out: Row[] = [];
        const queue = this.firstRowTimes;
        // No record older than the watermark comes any more (an equal one still may).
        while (queue.peekTime() < watermark) {
            const time = queue.peekTime();
            const key = queue.peekKey();
            queue.pop();
            const list = this.ranked.get(key);
            if (list === undefined || this.rowTimeOf!(list[0]) !== time) continue; // stale: emitted, or an earlier first row came
            out.push(this.withRank(list[0], 0));
            this.emitted.add(key);
            this.ranked.delete(key);
        }
        if (queue.needsCompaction(this.ranked.size)) this.rebuildFirstRowTimes();
        if (out.length > 0) this.ctx.emit(out);
    }

    /**
     * until: emits the row of each key the watermark has closed (its closing time is behind it)
     * and drops the key; returns the watermark to forward, held back to the earliest event time
     * of the open keys' first rows.
     */
    private closeKeys(watermark: number): number {
        const out: Row[] = [];
        const queue = this.closing;
        // No record older than the watermark comes any more (an equal one still may).
        while (queue.peekTime() < watermark) {
            const time = queue.peekTime();
            const key = queue.peekKey();
            queue.pop();
            if (this.closesAt.get(key) !== time) continue; // stale: closed already, or its closing time moved on
            out.push(this.withRank(this.ranked.get(key)![0], 0));
            this.ranked.delete(key);
            this.closesAt.delete(key);
        }
        if (queue.needsCompaction(this.closesAt.size)) queue.rebuild(this.closesAt);
        if (out.length > 0) this.ctx.emit(out);
        return Math.min(watermark, this.earliestOpenTime());
    }

    /** until: the earliest event time of the open keys' first rows (Infinity when none). */
    private earliestOpenTime(): number {
        const queue = this.firstRowTimes;
        while (queue.size > 0) {
            const list = this.ranked.get(queue.peekKey());
            if (list !== undefined && this.rowTimeOf!(list[0]) === queue.peekTime()) return queue.peekTime();
            queue.pop(); // stale: the key closed, or a better row took first place
        }
        return Infinity;
    }

    private rebuildFirstRowTimes(): void {
        const timers: [unknown, number][] = [];
        for (const [key, list] of this.ranked) {
            const time = this.rowTimeOf?.(list[0]);
            if (time !== undefined) timers.push([key, time]);
        }
        this.firstRowTimes.rebuild(timers);
    }

    endOfInput(): void {
        if (this.emitsUpdates) return;
        const out: Row[] = [];
        for (const list of this.ranked.values()) list.forEach((row, rank) => out.push(this.withRank(row, rank)));
        this.ranked.clear();
        this.closesAt.clear();
        this.closing.rebuild([]);
        this.firstRowTimes.rebuild([]);
        if (out.length > 0) this.ctx.emit(out);
    }

    snapshotState(): unknown {
        const state: TopNState = { ranked: this.ranked, emitted: this.emitted, closesAt: this.closesAt, watermark: this.watermark };
        return state;
    }

    restoreState(snapshot: unknown): void {
        const { ranked, emitted, closesAt, watermark } = snapshot as TopNState;
        this.ranked = ranked;
        this.emitted = emitted;
        this.closesAt = closesAt ?? new Map();
        this.watermark = watermark ?? -Infinity;
        // The timer queues are derived from the state: rebuilt, not stored.
        this.closing.rebuild(this.closesAt);
        this.rebuildFirstRowTimes();
    }

    /** The ranked rows, closing times (and, keep-first, the keys already emitted) of the keys this subtask owns. */
    restoreRescaled(pieces: RescaledPiece[], owned: KeyGroupRange): void {
        const states = pieces.map((p) => p.state as TopNState);
        const emitted = mergeKeyedMaps(this.config.keys, pieces.map((p, i) => ({ map: new Map([...states[i].emitted].map((k) => [k, true])), keyGroups: p.keyGroups })), owned);
        this.restoreState({
            ranked: mergeKeyedMaps(this.config.keys, pieces.map((p, i) => ({ map: states[i].ranked, keyGroups: p.keyGroups })), owned),
            emitted: new Set(emitted.keys()),
            closesAt: mergeKeyedMaps(this.config.keys, pieces.map((p, i) => ({ map: states[i].closesAt ?? new Map<unknown, number>(), keyGroups: p.keyGroups })), owned),
            watermark: restoredWatermark(states.map((s) => s.watermark ?? -Infinity))
        });
    }
}

/** The earliest of a row's `fields` holding a time, undefined when none does. */
function earliestTimeOf(fields: string[]): (row: Row) => number | undefined {
    return (row) => {
        let earliest: number | undefined;
        for (const field of fields) {
            const time = row[field];
            if (typeof time === 'number' && (earliest === undefined || time < earliest)) earliest = time;
        }
        return earliest;
    };
}

/**
 * The checkpointed state (`closesAt` since `until`, `watermark` since the timer queues; older
 * snapshots have neither). The timer queues are rebuilt from it on restore.
 */
interface TopNState { ranked: Map<unknown, Row[]>; emitted: Set<unknown>; closesAt?: Map<unknown, number>; watermark?: number }

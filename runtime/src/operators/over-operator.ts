/**
 * OVER aggregation (`over last N rows { ... }`, `over last 1h { ... }`; Flink's OVER windows
 * ROWS/RANGE BETWEEN ... PRECEDING AND CURRENT ROW): every row, in event-time order per key, with
 * its aggregates over the key's last N rows up to it, or over the key's rows within the range
 * before its time (rows of the same time included, as RANGE includes peers).
 * - Streaming: a row waits until the watermark passes its time (no earlier row of its key can
 *   come any more), then is emitted; a row already behind the watermark on arrival is late:
 *   dropped and counted, as Flink drops it.
 * - Batch: every key's rows at the end of the input, in the same order, so the result is the same.
 * Each window is aggregated afresh from the rows it holds (at most N, or the rows of the range):
 * the aggregate functions need no retraction, and min/max stay exact.
 */
import type { LogicalNode, OverConfig } from '../../../protocol/logical-graph.js';
import { compileAggregateProjection, type CompiledAggregate } from '../expressions/aggregate-compiler.js';
import { compileStateKey } from '../expressions/key-codegen.js';
import { EventTimeRowBuffer } from './event-time-buffer.js';
import type { OperatorContext, OperatorInspection, RescaledPiece, Row, StreamOperator } from './operator.js';
import { mergeKeyedMaps, restoredWatermark, type KeyGroupRange } from '../state/state-key-groups.js';
import { operatorError } from './operator-error.js';
import { compileRowComparator } from './row-order.js';

export class OverOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly config: OverConfig;
    private readonly aggregate: CompiledAggregate;
    private readonly keyOf: (row: Row) => unknown;
    private readonly buffer: EventTimeRowBuffer;
    /** Per key, the rows already emitted that later rows' windows may still hold, oldest first. */
    private history = new Map<unknown, Row[]>();
    private watermark = -Infinity;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'over') throw new Error(`${node.id} is not an over aggregate`);
        this.config = node.config;
        const added = new Set(this.config.fields.map((f) => f.name));
        const inputFields = node.schema.map((f) => f.name).filter((f) => !added.has(f));
        const timeField = this.config.timeField;
        const timeType = node.schema.find((f) => f.name === timeField)?.type ?? { kind: 'timestamp' as const };
        try {
            this.aggregate = compileAggregateProjection(this.config.fields);
            this.keyOf = compileStateKey(this.config.keys);
            const compare = compileRowComparator([{ expr: { k: 'field', name: timeField, type: timeType }, descending: false }], inputFields);
            this.buffer = new EventTimeRowBuffer((row) => row[timeField], compare);
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    processBatch(rows: Row[]): void {
        let late = 0;
        const time = this.config.timeField;
        for (const row of rows) {
            const ts = row[time];
            // A row without a time has no place in the order; one behind the watermark comes after its successors were emitted.
            if (typeof ts !== 'number' || ts < this.watermark) {
                late++;
                continue;
            }
            this.buffer.add(this.keyOf(row), row);
        }
        if (late > 0) this.ctx.countDropped('late', late);
    }

    processWatermark(watermark: number): void {
        if (this.ctx.mode !== 'streaming' || watermark <= this.watermark) return;
        this.watermark = watermark;
        this.release(watermark);
    }

    endOfInput(): void {
        this.release(Infinity);
    }

    inspect(row: Row): OperatorInspection {
        const key = this.keyOf(row);
        return {
            windows: [],
            state: [
                { label: "the key's rows that later windows still hold", value: this.history.get(key) ?? [] },
                { label: "the key's rows waiting for the watermark", value: this.buffer.pendingOf(key) }
            ]
        };
    }

    private release(watermark: number): void {
        const out: Row[] = [];
        try {
            this.buffer.releaseBefore(watermark, (key, rows) => this.emitInOrder(key, rows, out));
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (out.length > 0) this.ctx.emit(out);
    }

    /** Appends each row of `rows` (in order) to its key's history and emits it with its window's aggregates. */
    private emitInOrder(key: unknown, rows: Row[], out: Row[]): void {
        const history = this.history.get(key) ?? [];
        const time = this.config.timeField;
        const { rows: count, rangeMs } = this.config;
        if (count !== undefined) {
            for (const row of rows) {
                history.push(row);
                if (history.length > count) history.shift();
                out.push(this.withAggregates(row, history, 0, history.length));
            }
        } else {
            history.push(...rows);
            // Rows of one time are peers: each one's window ends after the last of them.
            for (let i = 0; i < rows.length;) {
                const ts = rows[i][time] as number;
                let j = i;
                while (j < rows.length && rows[j][time] === ts) j++;
                const end = history.length - (rows.length - j);
                let start = 0;
                while ((history[start][time] as number) < ts - rangeMs!) start++;
                for (let p = i; p < j; p++) out.push(this.withAggregates(rows[p], history, start, end));
                i = j;
            }
            const newest = history[history.length - 1][time] as number;
            let drop = 0;
            while (drop < history.length && (history[drop][time] as number) < newest - rangeMs!) drop++;
            history.splice(0, drop);
        }
        this.history.set(key, history);
    }

    private withAggregates(row: Row, window: Row[], start: number, end: number): Row {
        // The accumulator's first record is the current row: a field outside an aggregate function is its own.
        const acc = this.aggregate.create(row);
        for (let i = start; i < end; i++) this.aggregate.add(acc, window[i]);
        return { ...row, ...this.aggregate.result(acc) };
    }

    snapshotState(): unknown {
        // The live state: the checkpoint serialises it at once (StreamOperator.snapshotState).
        return { watermark: this.watermark, pending: this.buffer.snapshot(), history: this.history };
    }

    restoreState(snapshot: unknown): void {
        const s = snapshot as { watermark: number; pending: [unknown, Row[]][]; history: Map<unknown, Row[]> };
        this.watermark = s.watermark;
        this.buffer.restore(s.pending);
        this.history = s.history;
    }

    /** The history and held rows of the keys this subtask owns, from the old subtasks' pieces. */
    restoreRescaled(pieces: RescaledPiece[], owned: KeyGroupRange): void {
        const keys = this.config.keys;
        const states = pieces.map((p) => p.state as { watermark: number; pending: [unknown, Row[]][]; history: Map<unknown, Row[]> });
        const pending = mergeKeyedMaps(keys, states.map((s, i) => ({ map: new Map(s.pending), keyGroups: pieces[i].keyGroups })), owned);
        this.restoreState({
            watermark: restoredWatermark(states.map((s) => s.watermark)),
            pending: [...pending],
            history: mergeKeyedMaps(keys, states.map((s, i) => ({ map: s.history, keyGroups: pieces[i].keyGroups })), owned)
        });
    }
}

/**
 * Count windows per key (`window count 100`, `window count 100 every 10`; Flink's countWindow):
 * tumbling, each key's rows in groups of `size`, one result per full group; sliding, after every
 * `slide` rows of a key, one result over its last `size` rows (fewer before it has seen `size`,
 * as Flink's sliding countWindow). A group not full at the end of the input never fires (Flink's
 * count trigger fires only on the count).
 * On an event-time stream (`timeField`) the rows are counted in event-time order (each key's rows
 * once the watermark passes them, ties broken by the whole row), so both modes and every
 * parallelism group the same rows; a row behind the watermark on arrival is late (dropped,
 * counted). Without an event time, in arrival order.
 */
import type { LogicalNode, WindowSpec } from '../../../protocol/logical-graph.js';
import { compileAggregateProjection, type CompiledAggregate } from '../expressions/aggregate-compiler.js';
import { compileStateKey } from '../expressions/key-codegen.js';
import { EventTimeRowBuffer } from './event-time-buffer.js';
import type { OperatorContext, OperatorInspection, RescaledPiece, Row, StreamOperator } from './operator.js';
import { mergeKeyedMaps, restoredWatermark, type KeyGroupRange } from '../state/state-key-groups.js';
import { operatorError } from './operator-error.js';
import { compareValues, type RowComparator } from './row-order.js';

type CountWindowSpec = Extract<WindowSpec, { type: 'count' }>;

/**
 * By time, then by the row's own fields in its order (the node knows only its output schema, not
 * its input's; rows of one stream have their fields in one order).
 */
function compareByTimeThenRow(time: string): RowComparator {
    return (a, b) => {
        const order = compareValues(a[time], b[time]);
        if (order !== 0) return order;
        for (const field of Object.keys(a)) {
            const tie = compareValues(a[field], b[field]);
            if (tie !== 0) return tie;
        }
        return 0;
    };
}

/** One key's rows of its open window (tumbling) or its last `size` rows (sliding), and the rows since the last firing. */
interface KeyWindow { rows: Row[]; sinceFiring: number }

export class CountWindowOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly spec: CountWindowSpec;
    private readonly aggregate: CompiledAggregate;
    private readonly keyOf: (row: Row) => unknown;
    private readonly buffer: EventTimeRowBuffer | undefined;
    private windows = new Map<unknown, KeyWindow>();
    private watermark = -Infinity;

    constructor(private readonly node: LogicalNode) {
        const config = node.config;
        if (config.kind !== 'aggregate' || config.window?.type !== 'count') throw new Error(`${node.id} is not a count window aggregate`);
        this.spec = config.window;
        try {
            this.aggregate = compileAggregateProjection(config.fields);
            this.keyOf = compileStateKey(config.keys);
            const time = this.spec.timeField;
            if (time !== undefined) {
                this.buffer = new EventTimeRowBuffer((row) => row[time], compareByTimeThenRow(time));
            }
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    processBatch(rows: Row[]): void {
        const out: Row[] = [];
        try {
            if (this.buffer === undefined) {
                for (const row of rows) this.count(this.keyOf(row), row, out);
            } else {
                let late = 0;
                for (const row of rows) {
                    const ts = row[this.spec.timeField!];
                    if (typeof ts !== 'number' || ts < this.watermark) late++;
                    else this.buffer.add(this.keyOf(row), row);
                }
                if (late > 0) this.ctx.countDropped('late', late);
            }
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (out.length > 0) this.ctx.emit(out);
    }

    processWatermark(watermark: number): void {
        if (this.buffer === undefined || this.ctx.mode !== 'streaming' || watermark <= this.watermark) return;
        this.watermark = watermark;
        this.release(watermark);
    }

    endOfInput(): void {
        if (this.buffer !== undefined) this.release(Infinity);
    }

    inspect(row: Row): OperatorInspection {
        const key = this.keyOf(row);
        return { windows: [], state: [{ label: "the key's rows in its count window", value: this.windows.get(key)?.rows ?? [] }] };
    }

    private release(watermark: number): void {
        const out: Row[] = [];
        try {
            this.buffer!.releaseBefore(watermark, (key, rows) => { for (const row of rows) this.count(key, row, out); });
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (out.length > 0) this.ctx.emit(out);
    }

    /** Counts `row` into its key's window; fires when the count is reached. */
    private count(key: unknown, row: Row, out: Row[]): void {
        let window = this.windows.get(key);
        if (window === undefined) {
            window = { rows: [], sinceFiring: 0 };
            this.windows.set(key, window);
        }
        window.rows.push(row);
        window.sinceFiring++;
        const { size, slide } = this.spec;
        if (slide === undefined) {
            if (window.rows.length < size) return;
            out.push(this.result(window.rows));
            this.windows.delete(key);
            return;
        }
        if (window.rows.length > size) window.rows.shift();
        if (window.sinceFiring < slide) return;
        window.sinceFiring = 0;
        out.push(this.result(window.rows));
    }

    private result(rows: Row[]): Row {
        const acc = this.aggregate.create(rows[0]);
        for (const row of rows) this.aggregate.add(acc, row);
        return this.aggregate.result(acc);
    }

    snapshotState(): unknown {
        // The live state: the checkpoint serialises it at once (StreamOperator.snapshotState).
        return { watermark: this.watermark, pending: this.buffer?.snapshot() ?? [], windows: this.windows };
    }

    restoreState(snapshot: unknown): void {
        const s = snapshot as { watermark: number; pending: [unknown, Row[]][]; windows: Map<unknown, KeyWindow> };
        this.watermark = s.watermark;
        this.buffer?.restore(s.pending);
        this.windows = s.windows;
    }

    /** The open windows and held rows of the keys this subtask owns, from the old subtasks' pieces. */
    restoreRescaled(pieces: RescaledPiece[], owned: KeyGroupRange): void {
        const keys = this.node.config.kind === 'aggregate' ? this.node.config.keys : [];
        const states = pieces.map((p) => p.state as { watermark: number; pending: [unknown, Row[]][]; windows: Map<unknown, KeyWindow> });
        const pending = mergeKeyedMaps(keys, states.map((s, i) => ({ map: new Map(s.pending), keyGroups: pieces[i].keyGroups })), owned);
        this.restoreState({
            watermark: restoredWatermark(states.map((s) => s.watermark)),
            pending: [...pending],
            windows: mergeKeyedMaps(keys, states.map((s, i) => ({ map: s.windows, keyGroups: pieces[i].keyGroups })), owned)
        });
    }
}

/**
 * Tumbling, sliding and cumulate window aggregation, on event time (fired by the watermark) or processing
 * time (fired by the clock). Windows are [start, end): start inclusive, end exclusive; a window
 * fires once the watermark reaches its end. A cumulate window (Flink's CUMULATE) of size S and
 * step T: windows [b, b + T), [b, b + 2T), ... [b, b + S) for every b a multiple of S, so a record
 * falls in the ones of its b whose end is after it. Each window is known by its end (its start is
 * the multiple of S below the end). State is one pane per window end holding an
 * accumulator per key; the assignment, key lookup and accumulator update are one generated loop.
 */
import type { Expr, LogicalNode, WindowSpec } from '../../../protocol/logical-graph.js';
import { compileAggregateProjection, type Accumulator, type CompiledAggregate } from '../expressions/aggregate-compiler.js';
import { instantiate } from '../expressions/compile-expression.js';
import { ExpressionCodegen, propertyAccess } from '../expressions/expression-codegen.js';
import { compileStateKey, keySource } from '../expressions/key-codegen.js';
import type { OperatorContext, OperatorInspection, Row, StreamOperator, RescaledPiece } from './operator.js';
import { mergeKeyedMaps, type KeyGroupRange } from '../state/state-key-groups.js';
import { operatorError } from './operator-error.js';
import { routeLateRecords } from './late-records.js';

type Pane = Map<unknown, Accumulator>;

/** What the generated loop calls back into. */
interface LoopHost {
    watermark: number;
    late: Row[];
    pane(end: number): Pane;
    lateFiring(end: number, acc: Accumulator): void;
}

type WindowLoop = (rows: Row[], host: LoopHost, now: number) => void;

type TimeWindowSpec = Extract<WindowSpec, { type: 'tumbling' | 'sliding' | 'cumulate' }>;

/** The start of the window ending at `end` (a cumulate window's start is the multiple of its size below its end). */
export function windowStartOf(spec: TimeWindowSpec, end: number): number {
    if (spec.type !== 'cumulate') return end - spec.sizeMs;
    const last = end - 1;
    return last - (((last % spec.sizeMs) + spec.sizeMs) % spec.sizeMs);
}

/** The windows a record at `ts` falls in, earliest end first. */
export function windowsOf(spec: TimeWindowSpec, ts: number): { start: number; end: number }[] {
    const windows: { start: number; end: number }[] = [];
    if (spec.type === 'cumulate') {
        const start = ts - (((ts % spec.sizeMs) + spec.sizeMs) % spec.sizeMs);
        for (let end = ts - (((ts % spec.stepMs) + spec.stepMs) % spec.stepMs) + spec.stepMs; end <= start + spec.sizeMs; end += spec.stepMs) windows.push({ start, end });
        return windows;
    }
    const slide = spec.type === 'sliding' ? spec.slideMs : spec.sizeMs;
    for (let start = ts - (((ts % slide) + slide) % slide); start > ts - spec.sizeMs; start -= slide) windows.unshift({ start, end: start + spec.sizeMs });
    return windows;
}

function compileWindowLoop(spec: TimeWindowSpec, agg: CompiledAggregate, keys: Expr[], lateness: number): WindowLoop {
    const constants = [...agg.source.constants];
    const key = keySource(new ExpressionCodegen({ row: 'r' }, constants), keys);
    const time = spec.timeField ? propertyAccess('r', spec.timeField) : 'now';
    const update = `
        if (end !== lastEnd) { pane = host.pane(end); lastEnd = end; }
        const k = ${key};
        let acc = pane.get(k);
        if (acc === undefined) { acc = ${agg.source.create}; pane.set(k, acc); }
        ${agg.source.add}
        if (end <= wm) host.lateFiring(end, acc);`;
    // A record's windows follow from the multiple of `unit` at or below its time (its bucket): the
    // window it ends in (tumbling), its latest start (sliding), its first step (cumulate). Records
    // of a batch mostly share a bucket, so the bucket is kept and recomputed only when a record
    // falls outside it: timestamps are not small integers, and % on them is a slow double fmod.
    const unit = spec.type === 'tumbling' ? spec.sizeMs : spec.type === 'sliding' ? spec.slideMs : spec.stepMs;
    const bucket = `let b;
        if (ts >= bucketLow && ts < bucketHigh) b = bucketLow;
        else {
            b = ts - (((ts % ${unit}) + ${unit}) % ${unit});
            bucketLow = b;
            bucketHigh = b + ${unit};
            ${spec.type === 'cumulate' ? `bucketBase = b - (((b % ${spec.sizeMs}) + ${spec.sizeMs}) % ${spec.sizeMs});` : ''}
        }`;
    // A cumulate window's step divides its size, so its steps line up with its starts.
    const assign = spec.type === 'cumulate'
        ? `${bucket}
           const base = bucketBase;
           let assigned = false;
           for (let end = b + ${spec.stepMs}; end <= base + ${spec.sizeMs}; end += ${spec.stepMs}) {
               if (end + ${lateness} <= wm) continue;
               assigned = true;
               ${update}
           }
           if (!assigned) host.late.push(r);`
        : spec.type === 'tumbling'
        ? `${bucket}
           const end = b + ${spec.sizeMs};
           if (end + ${lateness} <= wm) { host.late.push(r); continue; }
           ${update}`
        : `${bucket}
           let assigned = false;
           for (let start = b; start > ts - ${spec.sizeMs}; start -= ${spec.slideMs}) {
               const end = start + ${spec.sizeMs};
               if (end + ${lateness} <= wm) break;
               assigned = true;
               ${update}
           }
           if (!assigned) host.late.push(r);`;
    return instantiate(`return function windowLoop(rows, host, now) {
        const wm = host.watermark;
        let v, lastEnd = NaN, pane = null;
        let bucketLow = Infinity, bucketHigh = -Infinity, bucketBase = 0;
        for (let i = 0, n = rows.length; i < n; i++) {
            const r = rows[i];
            const ts = ${time};
            if (ts == null) { host.late.push(r); continue; }
            ${assign}
        }
    };`, constants) as WindowLoop;
}

/**
 * The event-time watermark a window aggregation's state is at, undefined for other operators: a
 * checkpoint's acknowledgement carries it, so that after a restore the window combiners feeding
 * it know where it starts (checkpoint/restored-watermarks.ts).
 */
export function windowWatermarkOf(operator: StreamOperator): number | undefined {
    return operator instanceof WindowAggregateOperator ? operator.watermark : undefined;
}

/** Keyed tumbling/sliding/cumulate window aggregation. */
export class WindowAggregateOperator implements StreamOperator, LoopHost {
    watermark = -Infinity;
    late: Row[] = [];
    private ctx!: OperatorContext;
    private readonly panes = new Map<number, Pane>();
    private readonly aggregate: CompiledAggregate;
    private readonly loop: WindowLoop;
    private readonly spec: TimeWindowSpec;
    private readonly lateness: number;
    private readonly eventTime: boolean;
    private lateOut: Row[] = [];
    /** Ends of windows that fired but are kept for the allowed lateness. */
    private readonly fired = new Set<number>();
    private stateKey: ((row: Row) => unknown) | undefined;

    constructor(private readonly node: LogicalNode) {
        const config = node.config;
        if (config.kind !== 'aggregate' || !config.window || config.window.type === 'session' || config.window.type === 'count') {
            throw new Error(`${node.id} is not a tumbling, sliding or cumulate window aggregate`);
        }
        this.spec = config.window;
        this.lateness = config.allowedLatenessMs ?? 0;
        this.eventTime = config.window.timeField !== undefined;
        try {
            this.aggregate = compileAggregateProjection(config.fields, true);
            this.loop = compileWindowLoop(config.window, this.aggregate, config.keys, this.lateness);
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    pane(end: number): Pane {
        let pane = this.panes.get(end);
        if (pane === undefined) {
            pane = new Map();
            this.panes.set(end, pane);
        }
        return pane;
    }

    lateFiring(end: number, acc: Accumulator): void {
        // Within the allowed lateness a late record updates its fired window, which fires again.
        this.lateOut.push(this.aggregate.result(acc, { start: windowStartOf(this.spec, end), end }));
    }

    processBatch(rows: Row[]): void {
        try {
            this.loop(rows, this, this.eventTime ? 0 : this.ctx.processingTime());
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (this.lateOut.length > 0) {
            this.ctx.emit(this.lateOut);
            this.lateOut = [];
        }
        if (this.late.length > 0) {
            routeLateRecords(this.ctx, this.late);
            this.late = [];
        }
    }

    /**
     * Partial accumulators per (window, key) from the senders' window combiners
     * (window-combiner.ts), and records they sent as themselves (`$raw`), in their order: a
     * partial is merged into its window's accumulator for its key, a record is processed as any.
     * A sender folds only records whose windows end after its watermark and, in a restored
     * attempt, after the highest watermark the restored subtasks start from; both bound this
     * operator's, so a partial's window never fired here; one that did is refused, never merged.
     */
    mergePartials(partials: Row[]): void {
        const config = this.node.config;
        if (config.kind !== 'aggregate') return;
        const stateKey = (this.stateKey ??= compileStateKey(config.keys));
        const merge = this.aggregate.merge;
        let raw: Row[] = [];
        // Partials come grouped by window (a combiner seals its panes one after the other).
        let lastEnd = NaN;
        let pane: Pane | undefined;
        for (let i = 0; i < partials.length; i++) {
            const partial = partials[i] as Accumulator & { $e?: number; $raw?: Row };
            if (partial.$raw !== undefined) {
                raw.push(partial.$raw);
                continue;
            }
            if (raw.length > 0) {
                this.processBatch(raw);
                raw = [];
                lastEnd = NaN;
            }
            const end = partial.$e as number;
            if (end !== lastEnd) {
                if (end <= this.watermark) throw operatorError(this.node, new Error(`a combiner sent a partial aggregate for the window ending at ${end}, at or below the watermark ${this.watermark}: it must send such records as they are`));
                pane = this.pane(end);
                lastEnd = end;
            }
            const key = stateKey(partial.$r);
            const acc = pane!.get(key);
            try {
                if (acc === undefined) pane!.set(key, partial);
                else merge(acc, partial);
            } catch (err) {
                throw operatorError(this.node, err);
            }
        }
        if (raw.length > 0) this.processBatch(raw);
    }

    /** The windows the record falls in (as the loop assigns them) and each one's aggregate so far for its key. */
    inspect(row: Row): OperatorInspection {
        const config = this.node.config;
        if (config.kind !== 'aggregate') return { windows: [], state: [] };
        const ts = this.spec.timeField ? row[this.spec.timeField] : this.ctx.processingTime();
        if (typeof ts !== 'number') return { windows: [], state: [] };
        const windows = windowsOf(this.spec, ts);
        this.stateKey ??= compileStateKey(config.keys);
        const key = this.stateKey(row);
        const state = windows.map((w) => {
            const acc = this.panes.get(w.end)?.get(key);
            return { label: `window [${new Date(w.start).toISOString()}, ${new Date(w.end).toISOString()}) so far`, value: acc === undefined ? null : this.aggregate.result(acc, w) };
        });
        return { windows, state };
    }

    processWatermark(watermark: number): void {
        if (!this.eventTime || watermark <= this.watermark) return;
        this.watermark = watermark;
        this.fire(watermark);
    }

    onProcessingTime(now: number): void {
        if (!this.eventTime) this.fire(now);
    }

    endOfInput(): void {
        this.fire(Infinity, true);
    }

    /** Emits the windows whose end is at or before `time`, in end order; drops state past the lateness. */
    private fire(time: number, final = false): void {
        const ends: number[] = [];
        for (const end of this.panes.keys()) if (end <= time) ends.push(end);
        if (ends.length === 0) return;
        ends.sort((a, b) => a - b);
        const out: Row[] = [];
        try {
            for (const end of ends) {
                const pane = this.panes.get(end)!;
                // A pane already fired (kept for allowed lateness) is not emitted again here.
                if (!this.fired.has(end)) {
                    const window = { start: windowStartOf(this.spec, end), end };
                    for (const acc of pane.values()) out.push(this.aggregate.result(acc, window));
                }
                if (final || end + this.lateness <= time) {
                    this.panes.delete(end);
                    this.fired.delete(end);
                } else {
                    this.fired.add(end);
                }
            }
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (out.length > 0) this.ctx.emit(out);
    }

    snapshotState(): unknown {
        return { watermark: this.watermark, panes: this.panes, fired: this.fired };
    }

    restoreState(snapshot: unknown): void {
        const s = snapshot as { watermark: number; panes: Map<number, Pane>; fired: Set<number> };
        this.watermark = s.watermark;
        this.panes.clear();
        for (const [end, pane] of s.panes) this.panes.set(end, pane);
        this.fired.clear();
        for (const end of s.fired) this.fired.add(end);
    }

    /**
     * Panes are merged per window end, keeping the keys this subtask owns; the watermark is the
     * lowest of the pieces' (their input's watermark comes again from the restored sources). A
     * window that fired (and is kept for allowed lateness) in every piece stays fired; one that
     * fired in some pieces only keeps the keys of the pieces where it did not fire yet (those fire
     * when the watermark passes; the others' results went out already, and a late record for
     * them within the allowed lateness starts a new accumulator).
     */
    restoreRescaled(pieces: RescaledPiece[], owned: KeyGroupRange): void {
        const keys = this.node.config.kind === 'aggregate' ? this.node.config.keys : [];
        const states = pieces.map((p) => p.state as { watermark: number; panes: Map<number, Pane>; fired: Set<number> });
        this.watermark = Math.min(...states.map((s) => s.watermark));
        this.panes.clear();
        this.fired.clear();
        const ends = new Set(states.flatMap((s) => [...s.panes.keys()]));
        for (const end of ends) {
            const firedEverywhere = states.every((s) => s.fired.has(end) || !s.panes.has(end));
            const taken = pieces.flatMap((p, i) => {
                const pane = states[i].panes.get(end);
                return pane && (firedEverywhere || !states[i].fired.has(end)) ? [{ map: pane, keyGroups: p.keyGroups }] : [];
            });
            const pane = mergeKeyedMaps(keys, taken, owned);
            if (pane.size === 0) continue;
            this.panes.set(end, pane);
            if (firedEverywhere) this.fired.add(end);
        }
    }
}

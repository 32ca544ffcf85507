/**
 * The combiner of an event-time window aggregation (a per-window pre-aggregation before the
 * keyBy): the sending task folds its records into one partial accumulator per (window, key) and
 * sends those instead of the records; the receiving WindowAggregateOperator merges them
 * (`mergePartials`). In windowed word count the shuffle then carries one (window, word, count)
 * per word and batch of sentences instead of every word.
 *
 * What counts as late must not change. The receiver decides lateness per record with its own
 * watermark, the minimum over its input channels; on this sender's channel the last watermark
 * it received is the last one this task sent before the record (channels keep order). So the
 * receiver's watermark is at most the sender's (`foldAbove`, told by the output gate after each
 * watermark it sends), and a record whose every window ends after `foldAbove` is neither late
 * nor a late firing there: only such records are folded. Any other record (a timestamp missing,
 * a window at or below the sender's watermark) is sent as itself (`$raw`) in its place in the
 * stream: the partials folded before it go first, so each accumulator sees its records in
 * arrival order (first/last, the group's first record) and the receiver treats the record exactly
 * as without the combiner. After this task declared itself idle the bound breaks (the receiver's
 * watermark then moves on without it): the combiner folds nothing more. In an attempt restored
 * from a checkpoint or savepoint the receiver starts from its restored watermark, which this task
 * never sent: the combiner starts from the highest one a receiving subtask restores instead of
 * -Infinity (checkpoint/restored-watermarks.ts), so a record late there is sent as itself too.
 */
import type { LogicalNode, WindowSpec } from '../../../protocol/logical-graph.js';
import type { Combiner } from '../exchange/combiner.js';
import { accumulatorLiteral, aggregateSource, type Accumulator } from '../expressions/aggregate-compiler.js';
import { keySource } from '../expressions/key-codegen.js';
import { materializeRows, type ColumnBatch } from './column-batch.js';
import { compileFusedLoop, type FusedLoop, type FusedTerminal } from './fused-loop.js';
import type { Row } from './operator.js';
import { operatorError } from './operator-error.js';
import { WordSlotCache } from './word-interner.js';

type EventTimeWindow = Extract<WindowSpec, { type: 'tumbling' | 'sliding' | 'cumulate' }> & { timeField: string };

/** What the generated fold calls back into (the loop's `state`). */
export interface WindowFoldState {
    /** Records fold only when every window they fall in ends after this (see the file comment). */
    readonly foldAbove: number;
    /** The partial accumulators of the window ending at `end`, by key. */
    pane(end: number): Map<unknown, Accumulator>;
    /** A record sent as itself, after what was folded before it. */
    raw(row: Row): void;
}

/** The event-time window of `node`, or undefined when it has none a combiner can assign. */
export function eventTimeWindowOf(node: LogicalNode): EventTimeWindow | undefined {
    const config = node.config;
    if (config.kind !== 'aggregate' || !config.window) return undefined;
    const w = config.window;
    if (w.type !== 'tumbling' && w.type !== 'sliding' && w.type !== 'cumulate') return undefined;
    return w.timeField === undefined ? undefined : w as EventTimeWindow;
}

/**
 * The fold at the end of a fused loop (or alone, over rows): assigns the record's windows as
 * WindowAggregateOperator's loop does, and adds it to each window's partial accumulator for its
 * key, or hands it to `state.raw`. The record is read where it is (an object or locals); an
 * object is built only for a new group's first record or a record sent as itself.
 */
export function windowFoldTerminal(node: LogicalNode): FusedTerminal {
    const config = node.config;
    const spec = eventTimeWindowOf(node);
    if (config.kind !== 'aggregate' || spec === undefined) throw new Error(`${node.name} has no event-time tumbling, sliding or cumulate window to combine`);
    const unit = spec.type === 'tumbling' ? spec.sizeMs : spec.type === 'sliding' ? spec.slideMs : spec.stepMs;
    // A key that is a word of a fused split (word-interner.ts): its partial is kept by the word's
    // slot too, so a word met again in the same pane skips the Map lookup. Only for tumbling
    // windows: a record in several windows changes pane per window, and a slot keeps one pane's partial.
    const key0 = config.keys[0];
    const slotKey = config.keys.length === 1 && spec.type === 'tumbling' && key0.k === 'field' ? key0.name : undefined;
    return {
        node,
        slotKey,
        // Per batch: the bucket kept while records stay in it (as the window operator keeps it),
        // the pane of the last window end, the sender's watermark bound.
        preamble: `let $lo = Infinity, $hi = -Infinity, $base = 0, $lastEnd = NaN, $pane = null, $paneId = 0;
            const $W = state.foldAbove;`,
        write: (writer, input) => {
            const codegen = writer.codegen(input);
            const record = writer.materialize(input);
            const agg = aggregateSource(config.fields, true, codegen.constants, writer.scope(input), record);
            const key = keySource(codegen, config.keys);
            const slot = slotKey === undefined ? undefined : writer.slotOf(key);
            const cache = slot === undefined ? undefined : codegen.constant(new WordSlotCache<Accumulator>());
            // The window's end and the record count in the literal (accumulatorLiteral), not added after it.
            const create = (end: string): string => `{ acc = ${accumulatorLiteral(agg, `$e: ${end}, $n: 0`)}; $pane.set(k, acc); }`;
            const lookup = (end: string): string => cache === undefined
                ? `let acc = $pane.get(k);
                   if (acc === undefined) ${create(end)}`
                : `let acc = ${slot} >= 0 ? ${cache}.value(${slot}, k, $paneId) : undefined;
                   if (acc === undefined) {
                       acc = $pane.get(k);
                       if (acc === undefined) ${create(end)}
                       if (${slot} >= 0) ${cache}.set(${slot}, k, $paneId, acc);
                   }`;
            const fold = (end: string): string => `{
                if (${end} !== $lastEnd) { $pane = state.pane(${end}); $lastEnd = ${end};${cache === undefined ? '' : ` $paneId = ${cache}.scopeId($pane);`} }
                const k = ${key};
                ${lookup(end)}
                acc.$n += $c; $c = 0;
                ${agg.add}
            }`;
            const raw = `{ state.raw(${record}); $lastEnd = NaN; }`;
            // Records of a batch mostly share a bucket (the multiple of \`unit\` at or below their time).
            const bucket = `let b;
                if (ts >= $lo && ts < $hi) b = $lo;
                else {
                    b = ts - (((ts % ${unit}) + ${unit}) % ${unit});
                    $lo = b; $hi = b + ${unit};
                    ${spec.type === 'cumulate' ? `$base = b - (((b % ${spec.sizeMs}) + ${spec.sizeMs}) % ${spec.sizeMs});` : ''}
                }`;
            // The earliest window of the record ends after the sender's watermark: every one does.
            const assign = spec.type === 'tumbling'
                ? `const end = b + ${spec.sizeMs};
                   if (end <= $W) ${raw} else ${fold('end')}`
                : spec.type === 'sliding'
                ? `let first = b;
                   while (first - ${spec.slideMs} > ts - ${spec.sizeMs}) first -= ${spec.slideMs};
                   if (first + ${spec.sizeMs} <= $W) ${raw}
                   else for (let start = b; start > ts - ${spec.sizeMs}; start -= ${spec.slideMs}) { const end = start + ${spec.sizeMs}; ${fold('end')} }`
                : `if (b + ${spec.stepMs} <= $W) ${raw}
                   else for (let end = b + ${spec.stepMs}; end <= $base + ${spec.sizeMs}; end += ${spec.stepMs}) ${fold('end')}`;
            return `{
                state.records++;
                const ts = ${writer.field(input, spec.timeField)};
                let $c = 1;
                if (typeof ts !== 'number' || ts - ts !== 0) ${raw}
                else {
                    ${bucket}
                    ${assign}
                }
            }`;
        }
    };
}

/** Groups (and records sent as themselves) a window combiner holds before it sends them on. */
export const WINDOW_COMBINER_MAX_GROUPS = 16_384;

/**
 * Below this many records per partial sent, combining does not pay for itself (nearly every
 * (window, key) is new): the combiner then stops and records go as they are.
 */
const MIN_REDUCTION = 2;

const NO_OUTPUT: Row[] = [];

/**
 * Partial aggregation per (window, key) of one sending subtask's records for one keyBy edge.
 * Each accumulator counts the records folded into it (`$n`; a record in several sliding windows
 * counts once), a record sent as itself counts 1, so the receiver's "records in" stays a count
 * of records.
 */
export class WindowCombiner implements Combiner, WindowFoldState {
    foldAbove: number;
    active = true;
    /** Partials of the current stretch by window end, each by key (insertion order kept). */
    private panes = new Map<number, Map<unknown, Accumulator>>();
    /** What goes out before the current stretch: earlier stretches' partials and raw records, in order. */
    private outbox: Row[] = [];
    /** No folding any more (this task declared itself idle; see the file comment). */
    private stopped = false;
    private readonly fold: FusedLoop;
    /** Records taken in (folded or sent as themselves), counted by the fold. */
    records = 0;
    private recordsCounted = 0;
    private partialsOut = 0;

    /**
     * `receiverWatermark`: the highest watermark a receiving subtask starts from (-Infinity, or in
     * a restored attempt its restored one): the receivers' watermark is at most the higher of it
     * and the last one this task sent, so records of windows at or below it go as themselves.
     */
    constructor(private readonly node: LogicalNode, receiverWatermark = -Infinity) {
        this.foldAbove = receiverWatermark;
        try {
            this.fold = compileFusedLoop([], windowFoldTerminal(node));
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    /** The terminal for a fused loop ending in this combiner (its `state` is this combiner). */
    get terminal(): FusedTerminal {
        return windowFoldTerminal(this.node);
    }

    add(rows: Row[]): void {
        this.fold(rows, NO_OUTPUT, this);
    }

    addColumns(batch: ColumnBatch): void {
        this.add(materializeRows(batch));
    }

    /** Records a fused loop ending in this combiner folded since the last call (the task counts them out). */
    takeRecords(): number {
        const n = this.records - this.recordsCounted;
        this.recordsCounted = this.records;
        return n;
    }

    /** A pane's Map is never emptied in place: the fold's WordSlotCache keeps partials by pane. */
    pane(end: number): Map<unknown, Accumulator> {
        let pane = this.panes.get(end);
        if (pane === undefined) {
            pane = new Map();
            this.panes.set(end, pane);
        }
        return pane;
    }

    raw(row: Row): void {
        this.seal();
        this.outbox.push({ $raw: row, $r: row, $n: 1 });
    }

    /** Moves the current stretch's partials to the outbox (window end order, then key order). */
    private seal(): void {
        if (this.panes.size === 0) return;
        for (const pane of this.panes.values()) for (const acc of pane.values()) this.outbox.push(acc as Row);
        this.panes = new Map();
    }

    /** The output gate sent a watermark (or declared the task idle) after draining this combiner. */
    watermarkSent(timestamp: number, idle: boolean): void {
        if (idle) this.stopped = true;
        this.foldAbove = this.stopped ? Infinity : Math.max(this.foldAbove, timestamp);
    }

    get full(): boolean {
        // Read once per batch; a stretch holds few windows.
        let held = this.outbox.length;
        for (const pane of this.panes.values()) held += pane.size;
        return held >= WINDOW_COMBINER_MAX_GROUPS;
    }

    drain(): Row[] {
        this.seal();
        return this.takeOutbox();
    }

    /**
     * Before a watermark W: the outbox (earlier stretches and raw records, in order) and the
     * partials of windows ending at or before W, which receivers fire at W. Partials of later
     * windows stay and keep folding: no receiver fires them before a later watermark of this
     * task, and the gate drains them before that one (a barrier, idleness or the end drains all).
     * Windowed word count sent about 1.5 partials per sentence when every watermark (one per
     * source batch) drained the combiner.
     */
    drainBefore(watermark: number): Row[] {
        let later: Map<number, Map<unknown, Accumulator>> | undefined;
        for (const [end, pane] of this.panes) {
            if (end <= watermark) for (const acc of pane.values()) this.outbox.push(acc as Row);
            else (later ??= new Map()).set(end, pane);
        }
        this.panes = later ?? new Map();
        return this.takeOutbox();
    }

    private takeOutbox(): Row[] {
        const out = this.outbox;
        this.outbox = [];
        this.partialsOut += out.length;
        // Judge the reduction once enough was sent: too little, stop combining.
        if (this.partialsOut >= WINDOW_COMBINER_MAX_GROUPS && this.records < MIN_REDUCTION * this.partialsOut) {
            this.active = false;
            // Records go around the combiner from now on: the partials of later windows it still
            // holds (drainBefore) go first, or a group's later records would reach the window
            // operator before its earlier ones (first, last and the group's first record would
            // change; seen with sliding windows over late input, which stop the combiner).
            this.seal();
            const held = this.outbox;
            this.outbox = [];
            this.partialsOut += held.length;
            return out.concat(held);
        }
        return out;
    }
}

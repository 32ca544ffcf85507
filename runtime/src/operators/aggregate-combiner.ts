/**
 * The combiner of a keyed aggregation (Flink's local aggregation): the sending task folds the
 * records bound for a keyBy into partial accumulators per key, and sends the accumulators instead
 * of the records; the receiving AggregateOperator merges them (`mergePartials`). With 1024 keys and
 * 10 M records, 1024 accumulators per sending subtask cross the exchange instead of 10 M records.
 *
 * It applies only where the result cannot tell: an aggregate emitting once at the end of input
 * (batch mode, no window, not rolling) whose aggregate calls merge exactly (count, sum, avg, min,
 * max, first, last; not collect or distinct, which keep every value anyway). Accumulators keep the
 * group's first record (`$r`) and merge in arrival order, so first/last and the non-aggregated
 * fields are those of the same records as without the combiner.
 */
import type { Expr, LogicalNode, NamedExpr } from '../../../protocol/logical-graph.js';
import type { Combiner } from '../exchange/combiner.js';
import { accumulatorLiteral, aggregateSource, type Accumulator, type AggregateSource } from '../expressions/aggregate-compiler.js';
import { instantiate } from '../expressions/compile-expression.js';
import { ExpressionCodegen, isAggregateCall } from '../expressions/expression-codegen.js';
import { keySource } from '../expressions/key-codegen.js';
import type { Row } from './operator.js';
import { operatorError } from './operator-error.js';
import { columnBindings, columnFieldReader, columnRowLiteral, type ColumnBatch } from './column-batch.js';
import { ColumnLoops } from './fused-loop.js';
import { eventTimeWindowOf, WindowCombiner } from './window-combiner.js';

/** Aggregate functions whose accumulators merge to exactly what adding every record gives. */
const MERGEABLE = new Set(['count', 'sum', 'avg', 'min', 'max', 'first', 'last']);

/** Groups a combiner holds before it sends them on (bounds its memory). */
export const COMBINER_MAX_GROUPS = 16_384;

/**
 * Below this many records per group sent, combining does not pay for itself (nearly every record
 * is its own group, e.g. a million keys): the combiner then stops and records go as they are.
 */
const MIN_REDUCTION = 4;

/**
 * True when a keyBy into `node` may be combined before the exchange in `mode`: a keyed aggregate
 * emitting once at the end of input (batch mode, no window, not rolling), or a keyed event-time
 * tumbling, sliding or cumulate window aggregation in either mode (window-combiner.ts), whose
 * aggregate calls all merge exactly. For windows "exactly" also rules out sum and avg of doubles
 * (adding partial sums rounds differently from adding the values one by one).
 */
export function combinerApplies(node: LogicalNode, mode: 'batch' | 'streaming'): boolean {
    const config = node.config;
    if (config.kind !== 'aggregate' || config.rolling || config.keys.length === 0) return false;
    if (config.window) return !config.updatingInput && eventTimeWindowOf(node) !== undefined && callsMerge(config.fields, true);
    return mode === 'batch' && callsMerge(config.fields, false);
}

/** True when every aggregate call in `fields` merges to what adding every record gives. */
function callsMerge(fields: NamedExpr[], exactSums: boolean): boolean {
    let mergeable = true;
    const visit = (e: Expr): void => {
        if (e.k === 'call' && isAggregateCall(e)) {
            const fn = e.fn.toLowerCase();
            if (e.distinct || !MERGEABLE.has(fn)) mergeable = false;
            else if (exactSums && (fn === 'sum' || fn === 'avg') && e.args[0]?.type.kind === 'double') mergeable = false;
        }
        for (const child of childExprs(e)) visit(child);
    };
    for (const field of fields) visit(field.expr);
    return mergeable;
}

/**
 * The combiner for a keyBy into `node` (combinerApplies held when the job was planned), or
 * undefined when this run must not combine. Checkpointed jobs combine windows: the gate sends a
 * combiner's partials before it forwards a barrier, so they belong to the checkpoint before it
 * (as the records they stand for, which the source's position counts), and a restored task's
 * combiner starts empty. `receiverWatermark` is the highest watermark a subtask of the window
 * operator starts from: -Infinity in a first attempt; in one restored from a checkpoint or
 * savepoint, the restored one (checkpoint/restored-watermarks.ts), above which alone the combiner
 * folds; undefined when not known (a checkpoint from before it was kept) and +Infinity (a drained
 * savepoint: every record is late) make no window combiner.
 */
export function createCombiner(node: LogicalNode, receiverWatermark: number | undefined): Combiner | undefined {
    if (node.config.kind === 'aggregate' && node.config.window) {
        return receiverWatermark === undefined || receiverWatermark === Infinity ? undefined : new WindowCombiner(node, receiverWatermark);
    }
    return new AggregateCombiner(node);
}

/** The direct sub-expressions of `e` (every Expr kind that holds others). */
function childExprs(e: Expr): Expr[] {
    const out: Expr[] = [];
    for (const value of Object.values(e)) {
        if (Array.isArray(value)) {
            for (const item of value) if (isExpr(item)) out.push(item); else if (item && typeof item === 'object') for (const v of Object.values(item)) if (isExpr(v)) out.push(v);
        } else if (isExpr(value)) {
            out.push(value);
        }
    }
    return out;
}

function isExpr(value: unknown): value is Expr {
    return typeof value === 'object' && value !== null && typeof (value as { k?: unknown }).k === 'string';
}

type FoldLoop = (rows: Row[], state: Map<unknown, Accumulator>, dense: (Accumulator | undefined)[]) => void;

/**
 * Keys that are whole numbers in [0, DENSE_KEYS) also find their accumulator by array index (a
 * Map lookup costs several times an array read); the Map still holds every group, in insertion
 * order, so what is sent does not change.
 */
const DENSE_KEYS = 16_384;

/**
 * Statements finding (or creating, in `state` and `dense`) the accumulator `acc` of key `k`, with
 * the record count `$n` in its literal (accumulatorLiteral).
 */
function lookupSource(agg: AggregateSource): string {
    return `const small = typeof k === 'number' && (k | 0) === k && k >= 0 && k < ${DENSE_KEYS};
            let acc = small ? dense[k] : state.get(k);
            if (acc === undefined) {
                acc = ${accumulatorLiteral(agg, '$n: 0')};
                state.set(k, acc);
                if (small) dense[k] = acc;
            }`;
}

const loops = new Map<string, FoldLoop>();

/** One generated loop per aggregate: find or create the key's accumulator and add the record. */
function foldLoopFor(node: LogicalNode): FoldLoop {
    if (node.config.kind !== 'aggregate') throw new Error(`${node.id} is not an aggregate`);
    const cacheKey = JSON.stringify([node.config.keys, node.config.fields]);
    let loop = loops.get(cacheKey);
    if (loop === undefined) {
        const constants: unknown[] = [];
        const agg = aggregateSource(node.config.fields, false, constants);
        const key = keySource(new ExpressionCodegen({ row: 'r' }, constants), node.config.keys);
        loop = instantiate(`return function combineLoop(rows, state, dense) {
            let v;
            for (let i = 0, n = rows.length; i < n; i++) {
                const r = rows[i];
                const k = ${key};
                ${lookupSource(agg)}
                acc.$n++;
                ${agg.add}
            }
        };`, constants) as FoldLoop;
        loops.set(cacheKey, loop);
    }
    return loop;
}

type ColumnFoldLoop = (batch: ColumnBatch, state: Map<unknown, Accumulator>, dense: (Accumulator | undefined)[]) => void;

/**
 * The fold loop reading a column batch with fields `fields`: `column[i]` where the row loop reads
 * `r.field`; a group's first record is built from the columns when the group is created.
 */
function columnFoldLoopFor(node: LogicalNode, fields: readonly string[]): ColumnFoldLoop {
    if (node.config.kind !== 'aggregate') throw new Error(`${node.id} is not an aggregate`);
    const constants: unknown[] = [];
    const input = { row: '$row', field: columnFieldReader(fields, 'i') };
    const agg = aggregateSource(node.config.fields, false, constants, input, columnRowLiteral(fields, 'i'));
    const key = keySource(new ExpressionCodegen(input, constants), node.config.keys);
    return instantiate(`return function combineColumnLoop(batch, state, dense) {
        let v;
        ${columnBindings(fields, 'batch')}
        for (let i = 0, n = batch.length; i < n; i++) {
            const k = ${key};
            ${lookupSource(agg)}
            acc.$n++;
            ${agg.add}
        }
    };`, constants) as ColumnFoldLoop;
}

/**
 * Partial aggregation of one sending subtask's records for one keyBy edge. Each accumulator also
 * counts the records folded into it (`$n`, see recordsInPartials), for the receiver's metrics.
 */
export class AggregateCombiner implements Combiner {
    private state = new Map<unknown, Accumulator>();
    /** The accumulators of small whole-number keys by key (see DENSE_KEYS). */
    private dense = new Array<Accumulator | undefined>(DENSE_KEYS);
    private readonly fold: FoldLoop;
    private recordsIn = 0;
    private partialsOut = 0;
    active = true;

    constructor(private readonly node: LogicalNode) {
        this.fold = foldLoopFor(node);
    }

    add(rows: Row[]): void {
        this.recordsIn += rows.length;
        try {
            this.fold(rows, this.state, this.dense);
        } catch (err) {
            throw operatorError(this.node, err);
        }
    }

    /** Folds a column batch in (the same fold, reading the columns). */
    addColumns(batch: ColumnBatch): void {
        this.recordsIn += batch.length;
        try {
            this.columnFolds.loopFor(batch.fields)(batch, this.state, this.dense);
        } catch (err) {
            throw operatorError(this.node, err);
        }
    }

    private readonly columnFolds = new ColumnLoops<ColumnFoldLoop>((fields) => columnFoldLoopFor(this.node, fields));

    get full(): boolean {
        return this.state.size >= COMBINER_MAX_GROUPS;
    }

    get groups(): number {
        return this.state.size;
    }

    drain(): Row[] {
        const partials = [...this.state.values()] as Row[];
        this.state = new Map();
        this.dense = new Array<Accumulator | undefined>(DENSE_KEYS);
        this.partialsOut += partials.length;
        // Judge the reduction once a full combiner emptied (or at the end): too little, stop combining.
        if (this.partialsOut >= COMBINER_MAX_GROUPS && this.recordsIn < MIN_REDUCTION * this.partialsOut) this.active = false;
        return partials;
    }
}

/**
 * aggregate/reduce per key without a window. Batch: one result per key at the end of input.
 * Rolling (reduce, or streaming without a window): the key's updated result after every record.
 * The key extraction and the accumulator update are generated into one loop per batch.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { aggregateSource, compileAggregateProjection, type Accumulator, type CompiledAggregate } from '../expressions/aggregate-compiler.js';
import { instantiate } from '../expressions/compile-expression.js';
import { ExpressionCodegen } from '../expressions/expression-codegen.js';
import { compileStateKey, keyLocals, keySource } from '../expressions/key-codegen.js';
import { KeyedState } from '../state/keyed-state.js';
import { ColumnLoops, compileFusedColumnLoop, compileFusedLoop, type FusedColumnLoop, type FusedStage, type FusedTerminal } from './fused-loop.js';
import { materializeRows, type ColumnBatch } from './column-batch.js';
import { StageTaps } from './stage-taps.js';
import type { OperatorContext, OperatorInspection, Row, StreamOperator, RescaledPiece } from './operator.js';
import { mergeKeyedMaps, type KeyGroupRange } from '../state/state-key-groups.js';
import { operatorError } from './operator-error.js';

type AggregateLoop = (rows: Row[], state: Map<unknown, Accumulator>, out: Row[] | null) => void;

/** A fused loop ending in an aggregation collects nothing. */
const NO_OUTPUT: Row[] = [];

/**
 * Key types whose values are equal whenever their parts of the state key are (no -0 and 0, no
 * "1.0" and "1.00"): a key part of these types is output from the record at hand, equal to the
 * group's first record's.
 */
const EXACT_KEY_TYPES = new Set(['string', 'int', 'long', 'boolean', 'timestamp', 'date']);

/**
 * Generates the batch loop: find or create the key's accumulator, add, and (rolling) emit. Each key
 * part is computed once per record: a rolling result outputs it from the local the state key was
 * made of (Nexmark q17's `day` was formatted again from the group's first record for every bid).
 */
function compileLoop(node: LogicalNode): AggregateLoop {
    if (node.config.kind !== 'aggregate') throw new Error(`${node.id} is not an aggregate`);
    const constants: unknown[] = [];
    const keys = node.config.keys;
    const key = keyLocals(new ExpressionCodegen({ row: 'r' }, constants), keys);
    const known = keys.flatMap((expr, i) => (EXACT_KEY_TYPES.has(expr.type.kind) ? [{ expr, code: key.locals[i] }] : []));
    const agg = aggregateSource(node.config.fields, false, constants, { row: 'r' }, 'r', known);
    return instantiate(`return function aggregateLoop(rows, state, out) {
        let v;
        for (let i = 0, n = rows.length; i < n; i++) {
            const r = rows[i];
            ${key.declarations}
            const k = ${key.key};
            let acc = state.get(k);
            if (acc === undefined) {
                acc = ${agg.create};
                state.set(k, acc);
            }
            ${agg.add}
            if (out !== null) out.push(${agg.result});
        }
    };`, constants) as AggregateLoop;
}

/**
 * The aggregation as the end of a fused loop: records are folded into the state where the chain
 * produces them, so they are never materialised (only for aggregates emitting at the end of input).
 */
export function aggregateTerminal(node: LogicalNode): FusedTerminal {
    const config = node.config;
    if (config.kind !== 'aggregate' || config.window || config.rolling) throw new Error(`${node.name} cannot end a fused chain: only a non-rolling aggregate without a window can`);
    return {
        node,
        write: (writer, input) => {
            // The record is read where it is (an object, locals or columns); an object is built
            // only for a new group's first record.
            const codegen = writer.codegen(input);
            const agg = aggregateSource(config.fields, false, codegen.constants, writer.scope(input), writer.materialize(input));
            if (config.keys.length === 0) {
                // One accumulator: looked up once per batch, not once per record.
                return `{
                    if ($acc === undefined) { $acc = state.get(0); if ($acc === undefined) { $acc = ${agg.create}; state.set(0, $acc); } }
                    const acc = $acc;
                    ${agg.add} }`;
            }
            return `{
                const k = ${keySource(codegen, config.keys)};
                let acc = state.get(k);
                if (acc === undefined) { acc = ${agg.create}; state.set(k, acc); }
                ${agg.add} }`;
        }
    };
}

/** True when `node` can end a fused chain (see aggregateTerminal). */
export function canEndFusedChain(node: LogicalNode): boolean {
    return node.config.kind === 'aggregate' && !node.config.window && !node.config.rolling;
}

/** Keyed aggregation without a window (optionally fed by fused stateless `stages`). */
export class AggregateOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly state = new KeyedState<Accumulator>();
    private readonly aggregate: CompiledAggregate;
    private readonly loop: AggregateLoop;
    /** With fused stages: the loop variant with tap hooks, compiled when a tap first opens on a stage. */
    private tappedLoop: AggregateLoop | undefined;
    /** With fused stages: the aggregate's own loop, for foldBatch (compiled on first use). */
    private unstagedLoop: AggregateLoop | undefined;
    private readonly rolling: boolean;
    private stateKey: ((row: Row) => unknown) | undefined;
    /** Hooks for taps on the outputs of the fused stages before the aggregate (none without). */
    readonly stageTaps: StageTaps;

    constructor(private readonly node: LogicalNode, private readonly stages: FusedStage[] = []) {
        if (node.config.kind !== 'aggregate') throw new Error(`${node.id} is not an aggregate`);
        this.rolling = node.config.rolling;
        this.stageTaps = new StageTaps(stages.length);
        try {
            this.aggregate = compileAggregateProjection(node.config.fields);
            if (stages.length > 0) {
                const fused = compileFusedLoop(stages, aggregateTerminal(node));
                this.loop = (rows, state) => fused(rows, NO_OUTPUT, state);
            } else {
                this.loop = compileLoop(node);
            }
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    processBatch(rows: Row[]): void {
        const out = this.rolling ? [] : null;
        try {
            const loop = this.stageTaps.active ? (this.tappedLoop ??= this.compileTappedLoop()) : this.loop;
            loop(rows, this.state.map, out);
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (out !== null && out.length > 0) this.ctx.emit(out);
    }

    /**
     * A column batch from the source: the fused stages and the fold read the columns (an aggregate
     * emitting at the end of input); a rolling aggregate takes the batch as rows.
     */
    processColumns(batch: ColumnBatch): void {
        if (this.rolling || this.stageTaps.active) {
            this.processBatch(materializeRows(batch));
            return;
        }
        try {
            this.columnLoops.loopFor(batch.fields)(batch, NO_OUTPUT, this.state.map);
        } catch (err) {
            throw operatorError(this.node, err);
        }
    }

    private readonly columnLoops = new ColumnLoops<FusedColumnLoop>((fields) => compileFusedColumnLoop(fields, this.stages, aggregateTerminal(this.node)));

    mergePartials(partials: Row[]): void {
        const map = this.state.map;
        const merge = this.aggregate.merge;
        if (this.node.config.kind !== 'aggregate') return;
        const stateKey = (this.stateKey ??= compileStateKey(this.node.config.keys));
        try {
            for (let i = 0; i < partials.length; i++) {
                const partial = partials[i] as Accumulator;
                const key = stateKey(partial.$r);
                const acc = map.get(key);
                if (acc === undefined) map.set(key, partial);
                else merge(acc, partial);
            }
        } catch (err) {
            throw operatorError(this.node, err);
        }
    }

    /**
     * Folds records that already went through the fused stages one operator at a time: a debugged
     * job takes this path while a stage or the aggregate is armed, and the fused loop otherwise,
     * both into the same state.
     */
    foldBatch(rows: Row[]): void {
        if (this.stages.length === 0) {
            this.processBatch(rows);
            return;
        }
        try {
            (this.unstagedLoop ??= compileLoop(this.node))(rows, this.state.map, null);
        } catch (err) {
            throw operatorError(this.node, err);
        }
    }

    private compileTappedLoop(): AggregateLoop {
        const fused = compileFusedLoop(this.stages, aggregateTerminal(this.node), this.stageTaps);
        return (rows, state) => fused(rows, NO_OUTPUT, state);
    }

    endOfInput(): void {
        if (this.rolling) return;
        const out: Row[] = [];
        try {
            for (const acc of this.state.map.values()) out.push(this.aggregate.result(acc));
        } catch (err) {
            throw operatorError(this.node, err);
        }
        this.state.map.clear();
        if (out.length > 0) this.ctx.emit(out);
    }

    inspect(row: Row): OperatorInspection {
        if (this.node.config.kind !== 'aggregate') return { windows: [], state: [] };
        this.stateKey ??= compileStateKey(this.node.config.keys);
        const acc = this.state.map.get(this.stateKey(row));
        return { windows: [], state: [{ label: 'aggregate so far', value: acc === undefined ? null : this.aggregate.result(acc) }] };
    }

    snapshotState(): unknown {
        return { groups: this.state.snapshot() };
    }

    restoreState(snapshot: unknown): void {
        this.state.restore((snapshot as { groups: unknown }).groups);
    }

    restoreRescaled(pieces: RescaledPiece[], owned: KeyGroupRange): void {
        const keys = this.node.config.kind === 'aggregate' ? this.node.config.keys : [];
        const maps = pieces.map((p) => ({ map: (p.state as { groups: Map<unknown, unknown> }).groups, keyGroups: p.keyGroups }));
        this.state.restore(mergeKeyedMaps(keys, maps, owned));
    }
}

/**
 * aggregate/reduce without a window over an updating stream (an upsert changelog, e.g. the rolling
 * max bid per auction feeding an average per category, Nexmark q4). Each input row is the new
 * version of the row with the same update key; the operator keeps each group's current rows by
 * update key, takes the replaced row back out of the group's aggregate and adds the new one, then
 * emits the group's updated row (so its output is an updating stream too, keyed by the group).
 *
 * Taking a row back out is a retraction where every aggregate of the projection has one (count,
 * sum, avg); otherwise (min, max, first, distinct, ...: they need every value, as Flink's retracting
 * min/max keep a multiset) the group's aggregate is computed again from its current rows.
 * The checker lets in only groups made of whole update keys (the keyBy fields are among the update
 * key's fields), so an update never moves a row to another group and a group never becomes empty.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { compileAggregateProjection, type Accumulator, type CompiledAggregate } from '../expressions/aggregate-compiler.js';
import { compileStateKey } from '../expressions/key-codegen.js';
import { KeyedState } from '../state/keyed-state.js';
import type { OperatorContext, OperatorInspection, RescaledPiece, Row, StreamOperator } from './operator.js';
import { mergeKeyedMaps, type KeyGroupRange } from '../state/state-key-groups.js';
import { operatorError } from './operator-error.js';

/** One group: its aggregate and its current rows, by update key. */
interface UpdatingGroup {
    acc: Accumulator;
    rows: Map<unknown, Row>;
}

export class UpdatingAggregateOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly state = new KeyedState<UpdatingGroup>();
    private readonly aggregate: CompiledAggregate;
    private readonly groupKey: (row: Row) => unknown;
    private readonly updateKey: (row: Row) => unknown;
    /** True: the rows must be kept only to know what to retract; false: also to recompute the group. */
    private readonly retracts: boolean;

    constructor(private readonly node: LogicalNode) {
        const config = node.config;
        if (config.kind !== 'aggregate' || !config.updatingInput || config.window) throw new Error(`${node.id} is not an aggregate over updating rows`);
        const fields = config.updatingInput.keyFields;
        try {
            this.aggregate = compileAggregateProjection(config.fields);
            this.groupKey = compileStateKey(config.keys);
        } catch (err) {
            throw operatorError(node, err);
        }
        this.updateKey = fields.length === 1 ? (row) => row[fields[0]] : (row) => JSON.stringify(fields.map((f) => row[f]));
        this.retracts = this.aggregate.retract !== undefined;
    }

    open(ctx: OperatorContext): void {
        this.ctx = ctx;
    }

    processBatch(rows: Row[]): void {
        const out: Row[] = [];
        const { create, add, retract, result } = this.aggregate;
        const groups = this.state.map;
        try {
            for (const row of rows) {
                const groupKey = this.groupKey(row);
                let group = groups.get(groupKey);
                if (group === undefined) {
                    group = { acc: create(row), rows: new Map() };
                    groups.set(groupKey, group);
                }
                const key = this.updateKey(row);
                const replaced = group.rows.get(key);
                group.rows.set(key, row);
                if (replaced === undefined) {
                    add(group.acc, row);
                } else if (retract !== undefined) {
                    retract(group.acc, replaced);
                    add(group.acc, row);
                } else {
                    group.acc = this.recompute(group.rows);
                }
                out.push(result(group.acc));
            }
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (out.length > 0) this.ctx.emit(out);
    }

    /** The aggregate of a group's current rows, from scratch (for aggregates without a retraction). */
    private recompute(rows: Map<unknown, Row>): Accumulator {
        let acc: Accumulator | undefined;
        for (const row of rows.values()) {
            acc ??= this.aggregate.create(row);
            this.aggregate.add(acc, row);
        }
        return acc!;
    }

    endOfInput(): void {
        // Rolling: every update was emitted as it came.
    }

    inspect(row: Row): OperatorInspection {
        const group = this.state.map.get(this.groupKey(row));
        return {
            windows: [],
            state: [
                { label: 'aggregate so far', value: group === undefined ? null : this.aggregate.result(group.acc) },
                { label: this.retracts ? 'rows (updates retract their earlier row)' : 'rows (recomputed on each update)', value: group?.rows.size ?? 0 }
            ]
        };
    }

    snapshotState(): unknown {
        return { groups: this.state.snapshot() };
    }

    restoreState(snapshot: unknown): void {
        this.state.restore((snapshot as { groups: unknown }).groups);
    }

    /** The groups (accumulator and current rows) of the keys this subtask owns. */
    restoreRescaled(pieces: RescaledPiece[], owned: KeyGroupRange): void {
        const keys = this.node.config.kind === 'aggregate' ? this.node.config.keys : [];
        const maps = pieces.map((p) => ({ map: (p.state as { groups: Map<unknown, UpdatingGroup> }).groups, keyGroups: p.keyGroups }));
        this.state.restore(mergeKeyedMaps(keys, maps, owned));
    }
}

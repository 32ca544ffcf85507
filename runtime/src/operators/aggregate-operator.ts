/**
 * aggregate/reduce per key without a window. Batch: one result per key at the end of input.
 * Rolling (reduce, or streaming without a window): the key's updated result after every record.
 * The key extraction and the accumulator update are generated into one loop per batch.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { compileAggregateProjection, type Accumulator, type CompiledAggregate } from '../expressions/aggregate-compiler.js';
import { instantiate } from '../expressions/compile-expression.js';
import { ExpressionCodegen } from '../expressions/expression-codegen.js';
import { keySource } from '../expressions/key-codegen.js';
import { KeyedState } from '../state/keyed-state.js';
import type { OperatorContext, Row, StreamOperator } from './operator.js';
import { operatorError } from './operator-error.js';

type AggregateLoop = (rows: Row[], state: Map<unknown, Accumulator>, out: Row[] | null) => void;

/** Generates the batch loop: find or create the key's accumulator, add, and (rolling) emit. */
function compileLoop(node: LogicalNode, agg: CompiledAggregate): AggregateLoop {
    if (node.config.kind !== 'aggregate') throw new Error(`${node.id} is not an aggregate`);
    const constants = [...agg.source.constants];
    const key = keySource(new ExpressionCodegen({ row: 'r' }, constants), node.config.keys);
    return instantiate(`return function aggregateLoop(rows, state, out) {
        let v;
        for (let i = 0, n = rows.length; i < n; i++) {
            const r = rows[i];
            const k = ${key};
            let acc = state.get(k);
            if (acc === undefined) {
                acc = ${agg.source.create};
                state.set(k, acc);
            }
            ${agg.source.add}
            if (out !== null) out.push(${agg.source.result});
        }
    };`, constants) as AggregateLoop;
}

/** Keyed aggregation without a window. */
export class AggregateOperator implements StreamOperator {
    private ctx!: OperatorContext;
    private readonly state = new KeyedState<Accumulator>();
    private readonly aggregate: CompiledAggregate;
    private readonly loop: AggregateLoop;
    private readonly rolling: boolean;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'aggregate') throw new Error(`${node.id} is not an aggregate`);
        this.rolling = node.config.rolling;
        try {
            this.aggregate = compileAggregateProjection(node.config.fields);
            this.loop = compileLoop(node, this.aggregate);
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
            this.loop(rows, this.state.map, out);
        } catch (err) {
            throw operatorError(this.node, err);
        }
        if (out !== null && out.length > 0) this.ctx.emit(out);
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

    snapshotState(): unknown {
        return { groups: this.state.snapshot() };
    }
}

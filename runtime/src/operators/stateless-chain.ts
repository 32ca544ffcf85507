/**
 * Fuses a chain of stateless expression operators (filter, map, flatMap) into one operator that
 * runs a single compiled loop per batch. The engine's chaining calls this for runs of fusable
 * nodes connected by FORWARD edges.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { AggregateOperator, canEndFusedChain } from './aggregate-operator.js';
import { filterStage } from './filter-operator.js';
import { flatMapStage } from './flat-map-operator.js';
import { FusedStatelessOperator, type FoldingTail, type FusedStage } from './fused-loop.js';
import { mapStage } from './map-operator.js';
import type { StreamOperator } from './operator.js';
import type { StageTaps } from './stage-taps.js';

/** A fused operator, with the tap hooks of its stages (stage i runs nodes[i]). */
export type FusedOperator = StreamOperator & { readonly stageTaps: StageTaps };

export { canEndFusedChain };

/** True when `node` can be part of a fused stateless chain. */
export function isFusable(node: LogicalNode): boolean {
    return node.config.kind === 'filter' || node.config.kind === 'map' || node.config.kind === 'flatMap';
}

function stageOf(node: LogicalNode): FusedStage {
    switch (node.config.kind) {
        case 'filter': return filterStage(node);
        case 'map': return mapStage(node);
        case 'flatMap': return flatMapStage(node);
        default: throw new Error(`${node.name} (${node.config.kind}) cannot be fused: only filter, map and flatMap can`);
    }
}

/**
 * One operator running `nodes` (in order, each feeding the next) as one loop per batch. The last
 * node may be an aggregate that `canEndFusedChain` accepts: records are then folded into its
 * state inside the loop, and the operator emits the aggregate's results at the end of input.
 * With `tail` (the chain ends here, in a combining output gate), records are folded into the
 * gate's combiner inside the loop instead of being emitted.
 */
export function fuseStatelessChain(nodes: LogicalNode[], tail?: FoldingTail): FusedOperator {
    if (nodes.length === 0) throw new Error('fuseStatelessChain needs at least one node');
    const last = nodes[nodes.length - 1];
    if (nodes.length > 1 && canEndFusedChain(last)) return new AggregateOperator(last, nodes.slice(0, -1).map(stageOf));
    return new FusedStatelessOperator(nodes.map(stageOf), tail);
}

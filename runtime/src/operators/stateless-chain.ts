/**
 * Fuses a chain of stateless expression operators (filter, map, flatMap) into one operator that
 * runs a single compiled loop per batch. The engine's chaining calls this for runs of fusable
 * nodes connected by FORWARD edges.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { filterStage } from './filter-operator.js';
import { flatMapStage } from './flat-map-operator.js';
import { FusedStatelessOperator, type FusedStage } from './fused-loop.js';
import { mapStage } from './map-operator.js';
import type { StreamOperator } from './operator.js';

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

/** One operator running `nodes` (in order, each feeding the next) as one loop per batch. */
export function fuseStatelessChain(nodes: LogicalNode[]): StreamOperator {
    if (nodes.length === 0) throw new Error('fuseStatelessChain needs at least one node');
    return new FusedStatelessOperator(nodes.map(stageOf));
}

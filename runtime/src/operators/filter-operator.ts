/** filter: keeps the records whose condition is true (null and false drop the record, as in SQL). */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { FusedStatelessOperator, type FusedStage } from './fused-loop.js';
import type { StreamOperator } from './operator.js';

/** The filter's stage of a fused loop. */
export function filterStage(node: LogicalNode): FusedStage {
    if (node.config.kind !== 'filter') throw new Error(`${node.id} is not a filter`);
    const predicate = node.config.predicate;
    return {
        node,
        write: (w, input, rest) => `if (${w.codegen(input).gen(predicate)} !== true) continue;\n${rest(input)}`
    };
}

/** A filter operator. */
export function createFilterOperator(node: LogicalNode): StreamOperator {
    return new FusedStatelessOperator([filterStage(node)]);
}

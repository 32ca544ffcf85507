/** map/select: computes a new record from each record (`map { id, total: price * qty }`). */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { FusedStatelessOperator, type FusedStage } from './fused-loop.js';
import type { StreamOperator } from './operator.js';

/** The map's stage of a fused loop: one object literal per record, fields in schema order. */
export function mapStage(node: LogicalNode): FusedStage {
    if (node.config.kind !== 'map') throw new Error(`${node.id} is not a map`);
    const fields = node.config.fields;
    return {
        node,
        write: (w, input, rest) => {
            const codegen = w.codegen(input);
            const out = w.fresh('m');
            const literal = fields.map((f) => `${JSON.stringify(f.name)}: ${codegen.gen(f.expr)}`).join(', ');
            return `const ${out} = { ${literal} };\n${rest(out)}`;
        }
    };
}

/** A map operator. */
export function createMapOperator(node: LogicalNode): StreamOperator {
    return new FusedStatelessOperator([mapStage(node)]);
}

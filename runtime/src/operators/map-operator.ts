/** map/select: computes a new record from each record (`map { id, total: price * qty }`). */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { canKeepInLocals, FusedStatelessOperator, type FusedStage } from './fused-loop.js';
import type { StreamOperator } from './operator.js';

/**
 * The map's stage of a fused loop: each output field computed into a local variable, in schema
 * order; the stages after it read those, and an object (the same literal, fields in schema order)
 * is built only where one is needed (see StageWriter.materialize).
 */
export function mapStage(node: LogicalNode): FusedStage {
    if (node.config.kind !== 'map') throw new Error(`${node.id} is not a map`);
    const fields = node.config.fields;
    const names = fields.map((f) => f.name);
    const inLocals = canKeepInLocals(names);
    return {
        node,
        write: (w, input, rest) => {
            const codegen = w.codegen(input);
            const out = w.fresh('m');
            if (!inLocals) {
                const literal = fields.map((f) => `${JSON.stringify(f.name)}: ${codegen.gen(f.expr)}`).join(', ');
                return `const ${out} = { ${literal} };\n${rest(out)}`;
            }
            const variables = fields.map((_, j) => `${out}_${j}`);
            const declarations = fields.map((f, j) => `const ${variables[j]} = ${codegen.gen(f.expr)};`).join('\n');
            w.keepInLocals(out, names, variables);
            return `${declarations}\n${rest(out)}`;
        }
    };
}

/** A map operator. */
export function createMapOperator(node: LogicalNode): StreamOperator {
    return new FusedStatelessOperator([mapStage(node)]);
}

/**
 * flatMap: one record per element of an array (`flatMap split(line, " ") as word`). The output
 * record has the node's schema: the element under the `as` name, other fields from the input.
 */
import type { LogicalNode } from '../../../protocol/logical-graph.js';
import { canKeepInLocals, FusedStatelessOperator, type FusedStage } from './fused-loop.js';
import type { StreamOperator } from './operator.js';

/** The flatMap's stage of a fused loop: an inner loop over the array (a null array yields nothing). */
export function flatMapStage(node: LogicalNode): FusedStage {
    if (node.config.kind !== 'flatMap') throw new Error(`${node.id} is not a flatMap`);
    const { value, as } = node.config;
    const schema = node.schema.length > 0 ? node.schema : [{ name: as }];
    return {
        node,
        write: (w, input, rest) => {
            const arr = w.fresh('arr');
            const j = w.fresh('j');
            const out = w.fresh('fm');
            const names = schema.map((f) => f.name);
            if (canKeepInLocals(names)) {
                // The output record stays in locals (the element, the input's fields where they
                // are): an object is built only where a later stage or the consumer needs one.
                const element = w.fresh('el');
                w.keepInLocals(out, names, names.map((name) => name === as ? element : w.field(input, name)));
                return `const ${arr} = ${w.codegen(input).gen(value)};
if (${arr} != null) for (let ${j} = 0; ${j} < ${arr}.length; ${j}++) {
const ${element} = ${arr}[${j}];
${rest(out)}
}`;
            }
            const literal = schema
                .map((f) => `${JSON.stringify(f.name)}: ${f.name === as ? `${arr}[${j}]` : w.field(input, f.name)}`)
                .join(', ');
            return `const ${arr} = ${w.codegen(input).gen(value)};
if (${arr} != null) for (let ${j} = 0; ${j} < ${arr}.length; ${j}++) {
const ${out} = { ${literal} };
${rest(out)}
}`;
        }
    };
}

/** A flatMap operator. */
export function createFlatMapOperator(node: LogicalNode): StreamOperator {
    return new FusedStatelessOperator([flatMapStage(node)]);
}

/**
 * flatMap: one record per element of an array (`flatMap split(line, " ") as word`). The output
 * record has the node's schema: the element under the `as` name, other fields from the input.
 */
import type { Expr, LogicalNode } from '../../../protocol/logical-graph.js';
import { REGEX_META } from '../expressions/builtin-functions.js';
import { canKeepInLocals, FusedStatelessOperator, type FusedStage, type StageWriter } from './fused-loop.js';
import type { StreamOperator } from './operator.js';
import { WordInterner } from './word-interner.js';

/** `split(s, "c")` with a one-character literal separator: its string and the separator's code. */
function charSplit(value: Expr): { of: Expr; separator: number } | undefined {
    if (value.k !== 'call' || value.fn.toLowerCase() !== 'split' || value.args.length !== 2) return undefined;
    const sep = value.args[1];
    if (sep.k !== 'literal' || typeof sep.value !== 'string' || sep.value.length !== 1 || REGEX_META.test(sep.value)) return undefined;
    return { of: value.args[0], separator: sep.value.charCodeAt(0) };
}

/**
 * The loop over the parts of a `charSplit`, as `split` gives them (builtin-functions.ts): the
 * string scanned in place, no array built; trailing empty parts dropped unless the string has no
 * separator at all (then the one part is the string). Each part comes from a WordInterner; the
 * deferred empty parts before a part are handed on first, and the part's slot in the interner is
 * noted for the consumer keyed by the part (`noteSlot`, found by its `slotOf`). `body(element)`
 * consumes one part.
 *
 * Used only when the consumer declares that it keeps its state by the part's slot (a tumbling
 * window combiner keyed by the word, FusedTerminal.slotKey): reading characters of a string that
 * is a view of another (what the csv and text sources emit for values of 13 or more characters,
 * detached-string.ts) costs more than `split` does, which the interned words alone (cheaper Map
 * lookups downstream) did not make up for.
 */
function scanningSplit(w: StageWriter, input: string, split: { of: Expr; separator: number }, body: (element: string) => string): string {
    const codegen = w.codegen(input);
    const words = codegen.constant(new WordInterner());
    const [s, n, i, c, from, h, empties, sawSep, e, element, slot] = ['s', 'n', 'i', 'c', 'from', 'h', 'empties', 'sawSep', 'e', 'el', 'slot'].map((p) => w.fresh(p));
    w.noteSlot(element, slot);
    const consume = body(element);
    return `const ${s} = ${codegen.gen(split.of)};
if (${s} != null) {
const ${n} = ${s}.length;
let ${from} = 0, ${h} = 0, ${empties} = 0, ${sawSep} = false;
for (let ${i} = 0; ${i} <= ${n}; ${i}++) {
const ${c} = ${i} < ${n} ? ${s}.charCodeAt(${i}) : -1;
if (${c} === ${split.separator}) ${sawSep} = true;
else if (${c} >= 0) { ${h} = (Math.imul(${h}, 31) + ${c}) | 0; continue; }
if (${i} === ${from} && (${c} >= 0 || ${sawSep})) { ${empties}++; ${from} = ${i} + 1; continue; }
for (let ${e} = -${empties}; ${e} <= 0; ${e}++) {
const ${element} = ${e} < 0 ? '' : ${sawSep} ? ${words}.word(${s}, ${from}, ${i}, ${h}) : ${s};
const ${slot} = ${e} < 0 || !${sawSep} ? -1 : ${words}.slot;
${consume}
}
${empties} = 0; ${from} = ${i} + 1; ${h} = 0;
}
}`;
}

/** The flatMap's stage of a fused loop: an inner loop over the array (a null array yields nothing). */
export function flatMapStage(node: LogicalNode): FusedStage {
    if (node.config.kind !== 'flatMap') throw new Error(`${node.id} is not a flatMap`);
    const { value, as } = node.config;
    const schema = node.schema.length > 0 ? node.schema : [{ name: as }];
    return {
        node,
        write: (w, input, rest, slotKey) => {
            const split = slotKey === as ? charSplit(value) : undefined;
            const arr = w.fresh('arr');
            const j = w.fresh('j');
            const out = w.fresh('fm');
            const names = schema.map((f) => f.name);
            if (canKeepInLocals(names)) {
                // The output record stays in locals (the element, the input's fields where they
                // are): an object is built only where a later stage or the consumer needs one.
                if (split) {
                    return scanningSplit(w, input, split, (element) => {
                        w.keepInLocals(out, names, names.map((name) => name === as ? element : w.field(input, name)));
                        return rest(out);
                    });
                }
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

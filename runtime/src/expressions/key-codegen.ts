/**
 * Source text for grouping keys. One key is used as is (a Map key); several keys are joined into
 * one string with separators that cannot occur in JSON-free text, keeping null distinct from "null".
 */
import type { Expr } from '../../../protocol/logical-graph.js';
import type { Row } from '../operators/operator.js';
import { instantiate } from './compile-expression.js';
import { ExpressionCodegen } from './expression-codegen.js';

/** A JavaScript expression for the grouping key of record `r` (the codegen's row). */
export function keySource(codegen: ExpressionCodegen, keys: Expr[]): string {
    if (keys.length === 0) return '0';
    if (keys.length === 1) return codegen.gen(keys[0]);
    return keys.map((k) => `$F.keyPart(${codegen.gen(k)})`).join(' + "\\u0000" + ');
}

/**
 * The grouping key computed once into locals: `declarations` binds each key part's value to
 * `locals[i]` (in the codegen's scope), `key` is the key made of them, equal to keySource's.
 * An operator that also outputs a key part's value reads the local instead of computing it again.
 */
export function keyLocals(codegen: ExpressionCodegen, keys: Expr[], prefix = '$k'): { declarations: string; key: string; locals: string[] } {
    if (keys.length === 0) return { declarations: '', key: '0', locals: [] };
    const locals = keys.map((_, i) => `${prefix}${i}`);
    const declarations = keys.map((k, i) => `const ${locals[i]} = ${codegen.gen(k)};`).join('\n');
    const key = keys.length === 1 ? locals[0] : locals.map((l) => `$F.keyPart(${l})`).join(' + "\\u0000" + ');
    return { declarations, key, locals };
}

/** The grouping key of a record as a function (the value an operator's keyed state is stored under). */
export function compileStateKey(keys: Expr[]): (row: Row) => unknown {
    const codegen = new ExpressionCodegen({ row: 'r' });
    const body = keySource(codegen, keys);
    return instantiate(`return function stateKey(r) { let v; return ${body}; };`, codegen.constants) as (row: Row) => unknown;
}

/**
 * Compiles expressions to JavaScript functions (source text, then `new Function`), cached by the
 * expression's structure so every subtask and every operator with the same expression shares one
 * compiled, JIT-warmed function.
 */
import type { Expr } from '../../../protocol/logical-graph.js';
import type { Row } from '../operators/operator.js';
import { F } from './builtin-functions.js';
import { ExpressionCodegen } from './expression-codegen.js';
import type { GeneratorState } from './generator-state.js';

/** A compiled expression; `generator` is only read by datagen's generator functions. */
export type CompiledExpression = (row: Row, generator?: GeneratorState) => unknown;

const cache = new Map<string, CompiledExpression>();

/** Compiles one expression to a function of the record. */
export function compileExpression(expr: Expr): CompiledExpression {
    const key = JSON.stringify(expr);
    let fn = cache.get(key);
    if (fn === undefined) {
        const codegen = new ExpressionCodegen({ row: 'r' });
        const body = codegen.gen(expr);
        fn = instantiate(`return function compiledExpression(r, $g) { return ${body}; };`, codegen.constants) as CompiledExpression;
        cache.set(key, fn);
    }
    return fn;
}

/** Compiles several expressions into one function returning the array of their values (composite keys). */
export function compileExpressionList(exprs: Expr[]): (row: Row) => unknown[] {
    const codegen = new ExpressionCodegen({ row: 'r' });
    const items = exprs.map((e) => codegen.gen(e));
    return instantiate(`return function compiledList(r, $g) { return [${items.join(', ')}]; };`, codegen.constants) as (row: Row) => unknown[];
}

/**
 * Evaluates generated source `body` (which must `return` the function it defines) with the
 * library `$F` and `constants` as `$C` in scope.
 */
export function instantiate(body: string, constants: unknown[], extra: Record<string, unknown> = {}): unknown {
    const names = Object.keys(extra);
    const factory = new Function('$F', '$C', ...names, body) as (...args: unknown[]) => unknown;
    return factory(F, constants, ...names.map((n) => extra[n]));
}

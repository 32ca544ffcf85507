/**
 * Operator precedence and associativity (docs/language.md, "Operators and precedence"): random
 * typed expression trees are printed with the parentheses they need plus random extra ones,
 * checked and lowered by `flowline graph`, and each filter's or map's LogicalGraph expression must
 * be the generated tree. A small precedence-climbing parser written from the docs' table reads the
 * same text back to the same tree, so the printer cannot hide a precedence mistake.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { runCli } from '../support/run-cli.js';

/** An expression as the LogicalGraph writes it, without types. */
type Tree =
    | { k: 'field'; name: string }
    | { k: 'literal'; value: number | boolean | string }
    | { k: 'unary'; op: '-' | 'not'; operand: Tree }
    | { k: 'binary'; op: string; left: Tree; right: Tree }
    | { k: 'isNull'; operand: Tree; negated: boolean }
    | { k: 'in'; operand: Tree; values: Tree[] };

/** A generated tree and, per node, whether it is printed in parentheses it does not need (1 in 5). */
type Generated = { tree: Tree; extraParens: boolean[] };

const COMPARISONS = ['==', '!=', '<', '<=', '>', '>='];
/** docs/language.md's table: 1 or, 2 and, 3 not, 4 comparisons, 5 + -, 6 * / %, 7 unary -, 8 primaries. */
const LEVEL: Record<string, number> = { or: 1, and: 2, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6, like: 4, ...Object.fromEntries(COMPARISONS.map((c) => [c, 4])) };

function level(tree: Tree): number {
    switch (tree.k) {
        case 'binary': return LEVEL[tree.op];
        case 'unary': return tree.op === 'not' ? 3 : 7;
        case 'isNull': case 'in': return 4;
        default: return 8;
    }
}

const { num, bool } = fc.letrec<{ num: Tree; bool: Tree }>((tie) => ({
    num: fc.oneof({ depthSize: 'medium', withCrossShrink: true },
        { weight: 2, arbitrary: fc.constantFrom('a', 'b', 'c').map((name): Tree => ({ k: 'field', name })) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 9 }).map((value): Tree => ({ k: 'literal', value })) },
        { weight: 1, arbitrary: tie('num').map((operand): Tree => ({ k: 'unary', op: '-', operand })) },
        { weight: 4, arbitrary: fc.tuple(fc.constantFrom('+', '-', '*', '/', '%'), tie('num'), tie('num')).map(([op, left, right]): Tree => ({ k: 'binary', op, left, right })) }),
    bool: fc.oneof({ depthSize: 'medium', withCrossShrink: true },
        { weight: 1, arbitrary: fc.constantFrom('p', 'q').map((name): Tree => ({ k: 'field', name })) },
        { weight: 1, arbitrary: fc.constant<Tree>({ k: 'binary', op: 'like', left: { k: 'field', name: 's' }, right: { k: 'literal', value: 'x%' } }) },
        { weight: 1, arbitrary: fc.tuple(tie('num'), fc.boolean()).map(([operand, negated]): Tree => ({ k: 'isNull', operand, negated })) },
        { weight: 1, arbitrary: fc.tuple(tie('num'), fc.array(tie('num'), { minLength: 1, maxLength: 3 })).map(([operand, values]): Tree => ({ k: 'in', operand, values })) },
        { weight: 1, arbitrary: tie('bool').map((operand): Tree => ({ k: 'unary', op: 'not', operand })) },
        { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...COMPARISONS), tie('num'), tie('num')).map(([op, left, right]): Tree => ({ k: 'binary', op, left, right })) },
        { weight: 4, arbitrary: fc.tuple(fc.constantFrom('and', 'or'), tie('bool'), tie('bool')).map(([op, left, right]): Tree => ({ k: 'binary', op, left, right })) })
}));

const withParens = (tree: fc.Arbitrary<Tree>): fc.Arbitrary<Generated> =>
    tree.chain((t) => fc.array(fc.integer({ min: 0, max: 4 }).map((n) => n === 0), { minLength: countNodes(t), maxLength: countNodes(t) })
        .map((extraParens) => ({ tree: t, extraParens })));

function countNodes(tree: Tree): number {
    switch (tree.k) {
        case 'unary': return 1 + countNodes(tree.operand);
        case 'binary': return 1 + countNodes(tree.left) + countNodes(tree.right);
        case 'isNull': return 1 + countNodes(tree.operand);
        case 'in': return 1 + countNodes(tree.operand) + tree.values.reduce((n, v) => n + countNodes(v), 0);
        default: return 1;
    }
}

/** Prints with the parentheses the precedence table needs, and the extra ones asked for. */
function print({ tree, extraParens }: Generated): string {
    let next = 0;
    const text = (t: Tree): string => {
        const extra = extraParens[next++];
        const s = bare(t);
        return extra ? `(${s})` : s;
    };
    const operand = (t: Tree, needs: boolean): string => (needs ? `(${text(t)})` : text(t));
    const bare = (t: Tree): string => {
        switch (t.k) {
            case 'field': return t.name;
            case 'literal': return typeof t.value === 'string' ? JSON.stringify(t.value) : String(t.value);
            case 'unary': {
                const inner = operand(t.operand, level(t.operand) < level(t));
                return t.op === 'not' ? `not ${inner}` : `-${inner.startsWith('-') ? ' ' : ''}${inner}`;
            }
            case 'binary': {
                const l = level(t);
                // Left-associative: an equal level on the left needs none, on the right it does;
                // comparisons do not chain, so an equal level needs them on either side.
                const left = operand(t.left, level(t.left) < l || (l === 4 && level(t.left) === 4));
                const right = operand(t.right, level(t.right) <= l);
                return `${left} ${t.op} ${right}`;
            }
            case 'isNull': return `${operand(t.operand, level(t.operand) <= 4)} is ${t.negated ? 'not ' : ''}null`;
            case 'in': {
                const subject = operand(t.operand, level(t.operand) <= 4);
                return `${subject} in (${t.values.map((v) => text(v)).join(', ')})`;
            }
        }
    };
    return text(tree);
}

/** A precedence-climbing reading of printed expressions, from the docs' table. */
function referenceParse(source: string): Tree {
    const tokens = source.match(/"[^"]*"|[A-Za-z_]\w*|\d+|==|!=|<=|>=|[-+*/%<>(),]/g) ?? [];
    let at = 0;
    const peek = (): string | undefined => tokens[at];
    const take = (expected?: string): string => {
        const token = tokens[at++];
        if (expected !== undefined && token !== expected) throw new Error(`expected ${expected}, got ${token} in ${source}`);
        return token;
    };
    const climb = (minLevel: number): Tree => {
        let left = primary();
        let compared = false; // comparisons do not chain: a second one at this level is an error
        for (;;) {
            const token = peek();
            if (token === 'is' && minLevel <= 4) {
                if (compared) throw new Error(`chained comparison in ${source}`);
                compared = true;
                take();
                const negated = peek() === 'not' ? (take(), true) : false;
                take('null');
                left = { k: 'isNull', operand: left, negated };
                continue;
            }
            if (token === 'in' && minLevel <= 4) {
                if (compared) throw new Error(`chained comparison in ${source}`);
                compared = true;
                take();
                take('(');
                const values = [climb(1)];
                while (peek() === ',') { take(); values.push(climb(1)); }
                take(')');
                left = { k: 'in', operand: left, values };
                continue;
            }
            const l = token === undefined ? undefined : LEVEL[token];
            if (l === undefined || l < minLevel) return left;
            if (l === 4 && compared) throw new Error(`chained comparison in ${source}`);
            compared ||= l === 4;
            take();
            left = { k: 'binary', op: token!, left, right: climb(l + 1) };
        }
    };
    const primary = (): Tree => {
        const token = take();
        if (token === '(') { const inner = climb(1); take(')'); return inner; }
        if (token === 'not') return { k: 'unary', op: 'not', operand: climb(4) };
        if (token === '-') return { k: 'unary', op: '-', operand: climb(7) };
        if (/^\d+$/.test(token)) return { k: 'literal', value: Number(token) };
        if (token.startsWith('"')) return { k: 'literal', value: JSON.parse(token) as string };
        return { k: 'field', name: token };
    };
    const tree = climb(1);
    if (at !== tokens.length) throw new Error(`unread tokens in ${source}`);
    return tree;
}

/** The LogicalGraph's expression without its types. */
function untyped(expr: unknown): unknown {
    if (Array.isArray(expr)) return expr.map(untyped);
    if (expr === null || typeof expr !== 'object') return expr;
    return Object.fromEntries(Object.entries(expr).filter(([key]) => key !== 'type').map(([key, value]) => [key, untyped(value)]));
}

const SAMPLES = 120;

test('binary operators keep the documented precedence and associativity through parsing and lowering', async () => {
    const filters = fc.sample(withParens(bool), { numRuns: SAMPLES, seed: 20261128 });
    const maps = fc.sample(withParens(num), { numRuns: SAMPLES, seed: 11282026 });
    const dir = mkdtempSync(path.join(tmpdir(), 'flowline-precedence-'));
    try {
        writeFileSync(path.join(dir, 'rows.csv'), 'a,b,c,p,q,s\n');
        const streams = [
            ...filters.map((g, i) => `    stream f${i} = rows | filter ${print(g)}\n    sink f${i} -> print`),
            ...maps.map((g, i) => `    stream m${i} = rows | map { v: ${print(g)} }\n    sink m${i} -> print`)
        ];
        const file = path.join(dir, 'precedence.flow');
        writeFileSync(file, 'schema Row { a: long b: long c: long p: boolean q: boolean s: string? }\n\n'
            + `pipeline Precedence {\n    source rows: Row = csv("rows.csv", header: true)\n${streams.join('\n')}\n}\n`);
        const result = await runCli(['graph', file, '--format', 'json']);
        assert.equal(result.code, 0, result.stderr + result.stdout);
        const graph = JSON.parse(result.stdout) as { nodes: { id: string; config: { kind: string; predicate?: unknown; fields?: { expr: unknown }[] } }[] };
        const nodeOf = (stream: string) => graph.nodes.find((n) => n.id.startsWith(`Precedence/${stream}/`))!;
        filters.forEach((g, i) => {
            const text = print(g);
            assert.deepEqual(referenceParse(text), g.tree, `the reference parser reads ${text}`);
            assert.deepEqual(untyped(nodeOf(`f${i}`).config.predicate), g.tree, `filter ${text}`);
        });
        maps.forEach((g, i) => {
            const text = print(g);
            assert.deepEqual(referenceParse(text), g.tree, `the reference parser reads ${text}`);
            assert.deepEqual(untyped(nodeOf(`m${i}`).config.fields![0].expr), g.tree, `map ${text}`);
        });
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

interface Diagnostic { line: number; column: number; endColumn: number; severity: string; message: string }

/** `flowline check --json` of a pipeline whose one stream filters `rows` by `condition`. */
async function checkFilter(condition: string): Promise<Diagnostic[]> {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowline-precedence-'));
    try {
        writeFileSync(path.join(dir, 'rows.csv'), 'a,b,c,p,q\n');
        const file = path.join(dir, 'filter.flow');
        writeFileSync(file, 'schema Row { a: long b: long c: long p: boolean q: boolean }\npipeline P {\n    source rows: Row = csv("rows.csv", header: true)\n'
            + `    stream t = rows | filter ${condition}\n    sink t -> print\n}\n`);
        const result = await runCli(['check', '--json', file]);
        return JSON.parse(result.stdout) as Diagnostic[];
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

test('a chained comparison (a < b < c) is an error', async () => {
    const diagnostics = await checkFilter('a < b < c');
    assert.ok(diagnostics.some((d) => d.line === 4 && d.severity === 'error'), `a < b < c is an error: ${JSON.stringify(diagnostics)}`);
});

test('a type error on an operator inside a chain is reported at that operator, not the whole chain', async () => {
    const condition = 'a > 1 and b + p * 2 > 0 or q';
    const diagnostics = await checkFilter(condition);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const column = '    stream t = rows | filter '.length + condition.indexOf('*') + 1;
    assert.deepEqual(errors.map((d) => [d.line, d.column, d.endColumn]), [[4, column, column + 1]], JSON.stringify(errors));
    assert.match(errors[0].message, /'\*'/);
});

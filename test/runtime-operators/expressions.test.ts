/** Expressions compile to JavaScript functions with SQL's null semantics and every built-in function. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Expr } from '../../protocol/logical-graph.js';
import { compileExpression } from '../../runtime/src/expressions/compile-expression.js';
import { bin, call, field, lit, node, schema } from './graph-nodes.js';
import { runOperator } from './operator-harness.js';

const row = { s: '  Hello World  ', n: 7, x: -2.5, ts: Date.UTC(2024, 2, 15, 13, 47, 31, 250), nul: null, word: 'flow_line' };
const S = field('s', 'string');
const N = field('n', 'int');
const X = field('x', 'double');
const TS = field('ts', 'timestamp');
const NUL = field('nul', 'double?');
const eval1 = (e: Expr) => compileExpression(e)(row);

test('string functions: lower, upper, trim, length, substring (0-based), split, concat, starts_with', () => {
    assert.equal(eval1(call('lower', [S], 'string')), '  hello world  ');
    assert.equal(eval1(call('upper', [S], 'string')), '  HELLO WORLD  ');
    assert.equal(eval1(call('trim', [S], 'string')), 'Hello World');
    assert.equal(eval1(call('length', [call('trim', [S], 'string')], 'int')), 11);
    assert.equal(eval1(call('substring', [call('trim', [S], 'string'), lit(6)], 'string')), 'World');
    assert.equal(eval1(call('substring', [call('trim', [S], 'string'), lit(0), lit(5)], 'string')), 'Hello');
    assert.deepEqual(eval1(call('split', [call('lower', [S], 'string'), lit('\\W+')], { kind: 'array', element: { kind: 'string' } })), ['', 'hello', 'world']);
    assert.deepEqual(eval1(call('split', [lit('a,b,,c'), lit(',')], { kind: 'array', element: { kind: 'string' } })), ['a', 'b', '', 'c']);
    assert.equal(eval1(call('concat', [lit('n='), N, NUL, lit('!')], 'string')), 'n=7!');
    assert.equal(eval1(call('starts_with', [field('word', 'string'), lit('flow')], 'boolean')), true);
});

test('like, matches and replace use SQL patterns and regular expressions', () => {
    assert.equal(eval1(bin('like', field('word', 'string'), lit('flow%'), 'boolean')), true);
    assert.equal(eval1(bin('like', field('word', 'string'), lit('flow_lin_'), 'boolean')), true);
    assert.equal(eval1(bin('like', field('word', 'string'), lit('flow'), 'boolean')), false);
    assert.equal(eval1(bin('like', field('word', 'string'), lit('%\\_%'), 'boolean')), true);
    assert.equal(eval1(call('matches', [field('word', 'string'), lit('^f.*e$')], 'boolean')), true);
    assert.equal(eval1(call('matches', [field('word', 'string'), lit('\\d')], 'boolean')), false);
    assert.equal(eval1(call('replace', [field('word', 'string'), lit('[_o]'), lit('-')], 'string')), 'fl-w-line');
});

test('math functions: abs, round half away from zero, floor, ceil, sqrt, pow, least, greatest', () => {
    assert.equal(eval1(call('abs', [X], 'double')), 2.5);
    assert.equal(eval1(call('round', [X], 'double')), -3);
    assert.equal(eval1(call('round', [lit(1.005), lit(2)], 'double')), 1.01);
    assert.equal(eval1(call('round', [lit(2.5)], 'double')), 3);
    assert.equal(eval1(call('floor', [X], 'long')), -3);
    assert.equal(eval1(call('ceil', [X], 'long')), -2);
    assert.equal(eval1(call('sqrt', [lit(16)], 'double')), 4);
    assert.equal(eval1(call('pow', [lit(2), lit(10)], 'double')), 1024);
    assert.equal(eval1(call('least', [N, X], 'double')), -2.5);
    assert.equal(eval1(call('greatest', [N, X], 'double')), 7);
});

test('integer division truncates and dividing by zero is an error naming the division', () => {
    assert.equal(eval1(bin('/', N, lit(2), 'int')), 3);
    assert.equal(eval1(bin('/', X, lit(2), 'double')), -1.25);
    assert.equal(eval1(bin('%', N, lit(4), 'int')), 3);
    assert.throws(() => eval1(bin('/', N, lit(0), 'int')), /division by zero/);
});

test('integer / and % by a constant divisor give what the same divisor read from a field gives (negative, null and zero dividends; 300 cases, seed 12)', () => {
    // A constant divisor other than zero compiles to the plain operator; a field divisor keeps the checked call.
    fc.assert(fc.property(fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.constant(null), fc.constant(0)), fc.integer({ min: -50, max: 50 }).filter((d) => d !== 0), fc.boolean(), (a, d, nullable) => {
        const A = field('a', nullable ? 'int?' : 'int');
        const D = field('d', 'int');
        const r = { a: nullable ? a : a ?? 0, d };
        for (const op of ['/', '%'] as const) {
            assert.equal(compileExpression(bin(op, A, lit(d), 'int'))(r), compileExpression(bin(op, A, D, 'int'))(r), `${r.a} ${op} ${d}`);
        }
    }), { numRuns: 300, seed: 12 });
});

test('time functions read UTC parts and floor to intervals', () => {
    assert.equal(eval1(call('year', [TS], 'int')), 2024);
    assert.equal(eval1(call('month', [TS], 'int')), 3);
    assert.equal(eval1(call('day', [TS], 'int')), 15);
    assert.equal(eval1(call('hour', [TS], 'int')), 13);
    assert.equal(eval1(call('minute', [TS], 'int')), 47);
    assert.equal(eval1(call('floor_time', [TS, lit(60_000, 'duration')], 'timestamp')), Date.UTC(2024, 2, 15, 13, 47));
    assert.equal(eval1(call('date_trunc', [lit('hour'), TS], 'timestamp')), Date.UTC(2024, 2, 15, 13));
    assert.equal(eval1(call('date_trunc', [lit('month'), TS], 'timestamp')), Date.UTC(2024, 2, 1));
    assert.equal(eval1(call('parse_timestamp', [lit('2024-03-15T13:47:31.250Z')], 'timestamp')), row.ts);
    assert.equal(eval1(call('epoch_millis', [TS], 'long')), row.ts);
    const before = Date.now();
    const now = eval1(call('now', [], 'timestamp')) as number;
    assert.ok(now >= before && now <= Date.now());
});

test('casts convert between types and fail clearly on text that is not a number', () => {
    const cast = (value: Expr, to: Parameters<typeof lit>[1]): Expr => ({ k: 'cast', value, type: lit(0, to).type });
    assert.equal(eval1(cast(X, 'int')), -2);
    assert.equal(eval1(cast(lit('42'), 'long')), 42);
    assert.equal(eval1(cast(lit('4.5'), 'double')), 4.5);
    assert.equal(eval1(cast(N, 'string')), '7');
    assert.equal(eval1(cast(TS, 'string')), '2024-03-15T13:47:31.250Z');
    assert.equal(eval1(cast(lit('true'), 'boolean')), true);
    assert.equal(eval1(cast(lit('2024-03-15T13:47:31.250Z'), 'timestamp')), row.ts);
    assert.equal(eval1(cast(NUL, 'int')), null);
    assert.throws(() => eval1(cast(lit('abc'), 'int')), /cannot cast "abc" to int/);
});

test('coalesce, if and case pick values; in tests membership', () => {
    assert.equal(eval1(call('coalesce', [NUL, X], 'double')), -2.5);
    assert.equal(eval1({ k: 'if', condition: bin('>', N, lit(5), 'boolean'), then: lit('big'), else: lit('small'), type: { kind: 'string' } }), 'big');
    assert.equal(eval1({ k: 'if', condition: bin('>', NUL, lit(5), 'boolean?'), then: lit('big'), else: lit('small'), type: { kind: 'string' } }), 'small');
    const grade: Expr = {
        k: 'case', type: { kind: 'string', nullable: true },
        branches: [{ when: bin('<', N, lit(5), 'boolean'), then: lit('low') }, { when: bin('<', N, lit(10), 'boolean'), then: lit('mid') }]
    };
    assert.equal(eval1(grade), 'mid');
    assert.equal(eval1({ ...grade, branches: grade.k === 'case' ? grade.branches.slice(0, 1) : [] }), null);
    assert.equal(eval1({ k: 'in', operand: N, values: [lit(1), lit(7)], type: { kind: 'boolean' } }), true);
    assert.equal(eval1({ k: 'in', operand: N, values: [lit(1), lit(null)], type: { kind: 'boolean', nullable: true } }), null);
});

test('null propagates through arithmetic and comparisons; and/or are three-valued', () => {
    assert.equal(eval1(bin('+', NUL, lit(1), 'double?')), null);
    assert.equal(eval1(bin('*', lit(2), NUL, 'double?')), null);
    assert.equal(eval1(bin('>', NUL, lit(1), 'boolean?')), null);
    assert.equal(eval1(bin('==', NUL, NUL, 'boolean?')), null);
    assert.equal(eval1(call('lower', [field('nul', 'string?')], 'string?')), null);
    const unknown = bin('>', NUL, lit(1), 'boolean?');
    assert.equal(eval1(bin('and', unknown, lit(false), 'boolean?')), false);
    assert.equal(eval1(bin('and', unknown, lit(true), 'boolean?')), null);
    assert.equal(eval1(bin('or', unknown, lit(true), 'boolean?')), true);
    assert.equal(eval1(bin('or', unknown, lit(false), 'boolean?')), null);
    assert.equal(eval1({ k: 'unary', op: 'not', operand: unknown, type: { kind: 'boolean', nullable: true } }), null);
    assert.equal(eval1({ k: 'isNull', operand: NUL, negated: false, type: { kind: 'boolean' } }), true);
});

test('a filter keeps only the records whose condition is true, dropping false and null', async () => {
    const s = schema({ id: 'string', amount: 'double?' });
    const filter = node({ kind: 'filter', predicate: bin('>', field('amount', 'double?'), lit(10), 'boolean?') }, s);
    const out = await runOperator(filter, 'batch', [{ rows: [{ id: 'a', amount: 12 }, { id: 'b', amount: null }, { id: 'c', amount: 3 }, { id: 'd', amount: 10.5 }] }]);
    assert.deepEqual(out.rows.map((r) => r.id), ['a', 'd']);
});

test('a runtime error in an expression names the operator and its source location', async () => {
    const map = node({ kind: 'map', fields: [{ name: 'q', expr: bin('/', lit(100), field('n', 'int'), 'int') }] }, schema({ q: 'int' }), { line: 12 });
    await assert.rejects(runOperator(map, 'batch', [{ rows: [{ n: 5 }, { n: 0 }] }]), (err: Error) => {
        assert.match(err.message, /^test\.flow:12:5: error in map: division by zero$/);
        return true;
    });
});

test('an unknown function is reported when the operator is created', async () => {
    const map = node({ kind: 'map', fields: [{ name: 'q', expr: call('frobnicate', [], 'int') }] }, schema({ q: 'int' }), { line: 3 });
    await assert.rejects(runOperator(map, 'batch', []), /test\.flow:3:5: error in map: unknown function frobnicate\(\)/);
});

test('date_format with a literal pattern remembers only the last instant: over generated runs of repeated, changed and null timestamps it gives the text the per-record pattern path gives', () => {
    const TSN = field('ts', 'timestamp?');
    const patterns = ['yyyy-MM-dd', 'HH:mm', "yyyy-MM-dd'T'HH:mm:ss.SSS", 'dd/MM/yy HH'];
    // A run of records whose instants repeat (as event times do), change, go null and come back.
    const instants = fc.array(fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(0, 1, 60_000, 86_399_999, Date.UTC(2024, 1, 29, 23, 59, 59, 999)) },
        { weight: 3, arbitrary: fc.integer({ min: -1e12, max: 4e12 }) },
        { weight: 1, arbitrary: fc.constant(null) }
    ), { maxLength: 60 });
    fc.assert(fc.property(fc.constantFrom(...patterns), instants, (pattern, timestamps) => {
        const literal = compileExpression(call('date_format', [TSN, lit(pattern)], 'string?'));
        const perRecord = compileExpression(call('date_format', [TSN, field('p', 'string')], 'string?'));
        for (const ts of timestamps) assert.equal(literal({ ts }), perRecord({ ts, p: pattern }));
    }), { seed: 20261128, numRuns: 300 });
});

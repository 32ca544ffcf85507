/**
 * compileNodeExpression: expressions typed while a job runs (breakpoint conditions, logpoint
 * holes, the Debug Console, a tap's filter) are checked by the real checker in the context of one
 * LogicalGraph node. The fixture test/fixtures/valid/node-expressions.flow has every kind of node;
 * the differential test compiles every filter's own condition of the examples at that filter and
 * expects the tree the LogicalGraph holds for it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Expr, LogicalGraph } from '../../protocol/logical-graph.js';
import { loadLogicalGraphs } from '../../language/src/graph/load-logical-graphs.js';
import {
    compileNodeExpression, UnknownNodeError, type NodeExpressionRequest, type NodeExpressionResult
} from '../../language/src/graph/node-expression.js';
import { compileExpression } from '../../runtime/src/expressions/compile-expression.js';
import { REPO_ROOT } from '../support/run-cli.js';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'valid', 'node-expressions.flow');
const URI = pathToFileURL(FIXTURE).href;

function compile(nodeId: string, text: string, options: Partial<NodeExpressionRequest> = {}): Promise<NodeExpressionResult> {
    return compileNodeExpression({ uri: URI, pipeline: 'Shop', nodeId: `Shop/${nodeId}`, text, at: 'input', ...options });
}

function compiled(result: NodeExpressionResult): Expr {
    assert.ok('expr' in result, `expected the expression to compile, got ${JSON.stringify(result)}`);
    return result.expr;
}

function errorsOf(result: NodeExpressionResult): { message: string; column: number; endColumn: number }[] {
    assert.ok('errors' in result, `expected errors, got ${JSON.stringify(result)}`);
    return result.errors;
}

test('a condition over the record reaching a filter compiles to a typed tree the runtime evaluates', async () => {
    const expr = compiled(await compile('big/0-filter', 'amount > 100 and customer == "c1"', { expect: 'condition' }));
    assert.deepEqual(expr.type, { kind: 'boolean' });
    const predicate = compileExpression(expr);
    assert.equal(predicate({ id: 'o1', customer: 'c1', amount: 150, ts: 0 }), true);
    assert.equal(predicate({ id: 'o2', customer: 'c1', amount: 50, ts: 0 }), false);
    assert.equal(predicate({ id: 'o3', customer: 'c2', amount: 150, ts: 0 }), false);
});

test('input means the fields reaching the node and output the fields it emits', async () => {
    // The map turns amount into cents: before it there is no `cents`, after it no `amount`.
    assert.deepEqual(compiled(await compile('big/1-map', 'amount')).type, { kind: 'double' });
    assert.match(errorsOf(await compile('big/1-map', 'cents'))[0].message, /Unknown field 'cents'/);
    assert.deepEqual(compiled(await compile('big/1-map', 'cents', { at: 'output' })).type, { kind: 'long' });
    assert.match(errorsOf(await compile('big/1-map', 'amount', { at: 'output' }))[0].message, /Unknown field 'amount'/);
});

test('an aggregate after keyBy and window sees the stream fields at its input and its columns at its output', async () => {
    assert.deepEqual(compiled(await compile('perCountry/2-aggregate', 'name', { at: 'input' })).type, { kind: 'string' });
    const output = compiled(await compile('perCountry/2-aggregate', 'orders > 2 and hourStart > timestamp "2024-01-01T00:00:00Z"', { at: 'output', expect: 'condition' }));
    assert.equal(compileExpression(output)({ country: 'DE', hourStart: Date.UTC(2024, 0, 2), orders: 3, cents: 1 }), true);
});

test("a join's left input, right input and output each have their own fields", async () => {
    assert.deepEqual(compiled(await compile('withCountry/0-join', 'cents')).type, { kind: 'long' });
    assert.match(errorsOf(await compile('withCountry/0-join', 'country'))[0].message, /Unknown field 'country'/);
    // A right-side record has the right stream's own field names (`name`, not `customers_name`).
    assert.deepEqual(compiled(await compile('withCountry/0-join', 'name', { input: 1 })), { k: 'field', name: 'name', type: { kind: 'string' } });
    // After the join, a clashing right-hand field is renamed, and stays addressable qualified.
    assert.deepEqual(compiled(await compile('withCountry/0-join', 'customers.id', { at: 'output' })), { k: 'field', name: 'customers_id', type: { kind: 'string' } });
});

test('sources, sinks, side outputs and the inputs of a union have the fields of their records', async () => {
    assert.deepEqual(compiled(await compile('source/orders', 'ts')).type, { kind: 'timestamp' });
    assert.deepEqual(compiled(await compile('source/customers', 'country', { at: 'output' })).type, { kind: 'string' });
    assert.deepEqual(compiled(await compile('sink/0', 'cents')).type, { kind: 'long' });
    assert.deepEqual(compiled(await compile('sink/3', 'raw')).type, { kind: 'string' });
    assert.deepEqual(compiled(await compile('everything/0-union', 'amount < 0', { input: 1, expect: 'condition' })).type, { kind: 'boolean' });
});

test('a misspelt field is an error at its column with the checker\'s suggestion', async () => {
    const [error, ...others] = errorsOf(await compile('big/0-filter', 'amount > 1 and custmer == "x"', { expect: 'condition' }));
    assert.deepEqual(others, []);
    assert.match(error.message, /Unknown field 'custmer'.*customer/);
    assert.deepEqual([error.column, error.endColumn], [15, 22]);
});

test('a condition that is not boolean is an error with the checker\'s message', async () => {
    const errors = errorsOf(await compile('big/0-filter', 'amount * 2', { expect: 'condition' }));
    assert.deepEqual(errors.map((e) => e.message), ['The condition of filter must be boolean, but this is double.']);
    assert.deepEqual(compiled(await compile('big/0-filter', 'amount * 2', { expect: 'value' })).type, { kind: 'double' });
});

test('a syntax error is one error inside the text', async () => {
    const errors = errorsOf(await compile('big/0-filter', 'amount > > 3', { expect: 'condition' }));
    assert.equal(errors.length, 1);
    assert.ok(errors[0].column >= 7 && errors[0].column <= 12, JSON.stringify(errors));
});

test('text that closes the parenthesis and goes on is an error, not a changed pipeline', async () => {
    const errors = errorsOf(await compile('big/0-filter', 'amount > 1) | map { x: 1', { expect: 'condition' }));
    assert.ok(errors.length > 0);
    const comment = compiled(await compile('big/0-filter', 'amount > 1 // a comment to the end of the line', { expect: 'condition' }));
    assert.equal(comment.k, 'binary');
});

test('aggregate functions and window properties are refused outside an aggregate, as in the file', async () => {
    assert.match(errorsOf(await compile('big/0-filter', 'count() > 1', { expect: 'condition' }))[0].message, /aggregate function/);
    assert.ok(errorsOf(await compile('big/0-filter', 'window.start')).length > 0);
});

test('the text of an unsaved editor buffer is used instead of the file on disk', async () => {
    const documentText = readFileSync(FIXTURE, 'utf8').replace('cents: cast(amount * 100 as long),', 'cents: cast(amount * 100 as long), big: amount > 100,');
    const result = await compile('big/1-map', 'big', { at: 'output', documentText });
    assert.deepEqual(compiled(result).type, { kind: 'boolean' });
});

test('a node that is not in the file is the caller\'s mistake and throws', async () => {
    await assert.rejects(compile('big/7-filter', 'true'), UnknownNodeError);
    await assert.rejects(compile('big/1-filter', 'true'), UnknownNodeError);
    await assert.rejects(compileNodeExpression({ uri: URI, pipeline: 'Nope', nodeId: 'Nope/source/orders', text: 'true', at: 'input' }), UnknownNodeError);
});

/** Every example .flow file with a pipeline. */
function exampleFiles(): string[] {
    const root = path.join(REPO_ROOT, 'examples');
    return readdirSync(root).filter((d) => statSync(path.join(root, d)).isDirectory()).flatMap((dir) =>
        readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.flow') && f !== 'schemas.flow' && !f.endsWith('.test.flow')).map((f) => path.join(root, dir, f)));
}

test("every filter's own condition, compiled at the filter, is the predicate the LogicalGraph holds", async () => {
    let checked = 0;
    for (const file of [...exampleFiles(), FIXTURE]) {
        const { graphs } = await loadLogicalGraphs(file);
        for (const graph of graphs as LogicalGraph[]) {
            for (const node of graph.nodes) {
                if (node.config.kind !== 'filter') continue;
                const text = node.description.replace(/^filter\s+/, '');
                const result = await compileNodeExpression({ uri: node.location.uri, pipeline: graph.pipeline, nodeId: node.id, text, at: 'input', expect: 'condition' });
                assert.deepEqual(compiled(result), node.config.predicate, `${node.id}: ${text}`);
                checked += 1;
            }
        }
    }
    assert.ok(checked >= 5, `only ${checked} filters checked`);
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
    FlowRequests, type CompileExpressionParams, type CompileExpressionResult, type LogicalGraphParams, type LogicalGraphResult
} from '../../protocol/lsp-requests.js';
import { LspClient, copyFixtureWorkspace, removeWorkspace } from './lsp-client.js';

let client: LspClient;
let workspace: string;

before(async () => {
    workspace = copyFixtureWorkspace('workspace');
    client = await LspClient.start({ workspace });
});

after(async () => {
    await client.stop();
    removeWorkspace(workspace);
});

const logicalGraph = (params: LogicalGraphParams): Promise<LogicalGraphResult> =>
    client.connection.sendRequest(FlowRequests.logicalGraph, params);

test('flowline/logicalGraph returns the graph of a checked pipeline, with node ids and source ranges', async () => {
    const uri = client.uri('revenue.flow');
    const result = await logicalGraph({ uri, pipeline: 'RevenuePerCountry' });
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(result.graphs.length, 1);
    const [graph] = result.graphs;
    assert.equal(graph.pipeline, 'RevenuePerCountry');
    assert.equal(graph.mode, 'streaming');
    const kinds = graph.nodes.map((n) => n.config.kind);
    for (const kind of ['source', 'filter', 'map', 'join', 'aggregate', 'sink']) assert.ok(kinds.includes(kind as never), `${kind} in ${kinds}`);
    assert.ok(graph.edges.some((e) => e.ship === 'HASH'), 'keyBy makes a HASH edge');
    const text = readFileSync(join(workspace, 'revenue.flow'), 'utf8');
    const filter = graph.nodes.find((n) => n.config.kind === 'filter');
    assert.equal(filter?.location?.uri, uri);
    assert.equal(filter?.location?.range.start.line, text.split('\n').findIndex((l) => l.includes('| filter')));
});

test('flowline/logicalGraph of a file with errors returns its diagnostics and no graph', async () => {
    const result = await logicalGraph({ uri: client.uri('quick-fixes.flow') });
    assert.deepEqual(result.graphs, []);
    assert.ok(result.diagnostics.some((d) => d.severity === 'error' && d.code === 'unknown-field'), JSON.stringify(result.diagnostics));
});

test('flowline/logicalGraph for a pipeline the file does not have is refused with the names it has', async () => {
    await assert.rejects(logicalGraph({ uri: client.uri('revenue.flow'), pipeline: 'Nope' }), /no pipeline 'Nope'; it has RevenuePerCountry/);
});

const compileExpression = (params: CompileExpressionParams): Promise<CompileExpressionResult> =>
    client.connection.sendRequest(FlowRequests.compileExpression, params);

test('flowline/compileExpression checks a filter over a stream\'s output fields and returns the tree the runtime evaluates', async () => {
    const uri = client.uri('revenue.flow');
    const result = await compileExpression({ uri, pipeline: 'RevenuePerCountry', stream: 'enriched', text: 'amount > 100 and country == "DE"', at: 'output', expect: 'condition' });
    assert.ok('expr' in result, JSON.stringify(result));
    assert.equal(result.type.kind, 'boolean');
    assert.match(JSON.stringify(result.expr), /"country"/);
});

test('flowline/compileExpression names a node by id as well as by stream, and a source by its name', async () => {
    const uri = client.uri('revenue.flow');
    const byId = await compileExpression({ uri, pipeline: 'RevenuePerCountry', nodeId: 'RevenuePerCountry/valid/0-filter', text: 'amount', at: 'output' });
    assert.ok('expr' in byId && byId.type.kind === 'double', JSON.stringify(byId));
    const source = await compileExpression({ uri, pipeline: 'RevenuePerCountry', stream: 'customers', text: 'country == "FR"', at: 'output', expect: 'condition' });
    assert.ok('expr' in source, JSON.stringify(source));
});

test('flowline/compileExpression answers a wrong filter with the type checker\'s message at its column', async () => {
    const uri = client.uri('revenue.flow');
    const unknown = await compileExpression({ uri, pipeline: 'RevenuePerCountry', stream: 'revenue', text: 'amount > 100', at: 'output', expect: 'condition' });
    assert.ok('errors' in unknown, JSON.stringify(unknown));
    assert.match(unknown.errors[0].message, /amount/);
    assert.equal(unknown.errors[0].column, 0);
    const notBoolean = await compileExpression({ uri, pipeline: 'RevenuePerCountry', stream: 'revenue', text: 'total + 1', at: 'output', expect: 'condition' });
    assert.ok('errors' in notBoolean && /boolean/i.test(notBoolean.errors[0].message), JSON.stringify(notBoolean));
});

test('flowline/compileExpression for a stream the pipeline does not have is refused with a message naming it', async () => {
    await assert.rejects(compileExpression({ uri: client.uri('revenue.flow'), pipeline: 'RevenuePerCountry', stream: 'nope', text: 'x', at: 'output' }), /no source or stream 'nope'/);
});

test('the server wrote nothing to stderr and logged no error', () => {
    assert.deepEqual(client.stderr, []);
    assert.deepEqual(client.errorLogs, []);
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowRequests, type LogicalGraphParams, type LogicalGraphResult } from '../../protocol/lsp-requests.js';
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

test('the server wrote nothing to stderr and logged no error', () => {
    assert.deepEqual(client.stderr, []);
    assert.deepEqual(client.errorLogs, []);
});

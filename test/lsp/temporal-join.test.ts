/**
 * Temporal joins (`join R as of t`) in the editor, through the language server over stdio:
 * diagnostics with their codes while editing, completion of the `as of` field from the left
 * side only, the grammar's doc on hover, formatting of the clause, the job graph's node and the
 * Flink SQL the editor shows.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionItemKind, type Diagnostic, type Hover } from 'vscode-languageserver-protocol';
import { FlowRequests, type FlinkSqlResult, type LogicalGraphResult } from '../../protocol/lsp-requests.js';
import { LspClient, applyEdits, copyFixtureWorkspace, messageOf, positionOf, removeWorkspace } from './lsp-client.js';

const TEXT = `pipeline CountryAtOrderTime {
    mode streaming
    source orders: { id: string, customer: string, amount: double, ts: timestamp } = jsonl("data/orders-as-of.jsonl") {
        watermark ts - 1m
    }
    source customers: { id: string, country: string, since: timestamp } = jsonl("data/customer-versions.jsonl") {
        watermark since
    }
    stream withCountry = orders
        | join customers as of ts on orders.customer == customers.id
        | keyBy country
        | window tumbling 1h on ts
        | aggregate { country, revenue: sum(amount) }
    sink withCountry -> print
}
`;

const codeOf = (d: Diagnostic): unknown => d.code ?? (d.data as { code?: string } | undefined)?.code;
const errors = (ds: Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === 1);
const hoverText = (h: Hover | null): string => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');

let client: LspClient;
let workspace: string;
let uri: string;

before(async () => {
    workspace = copyFixtureWorkspace('workspace');
    writeFileSync(join(workspace, 'data', 'orders-as-of.jsonl'), '{"id":"o1","customer":"c1","amount":10.0,"ts":"2024-01-01T00:10:00Z"}\n');
    writeFileSync(join(workspace, 'data', 'customer-versions.jsonl'), '{"id":"c1","country":"DE","since":"2024-01-01T00:00:00Z"}\n');
    client = await LspClient.start({ workspace });
    uri = await client.open('temporal.flow', TEXT);
});

after(async () => {
    await client.stop();
    removeWorkspace(workspace);
});

test('a temporal join with a window after it checks clean', async () => {
    const diagnostics = await client.waitForDiagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => d.message), []);
});

test('the job graph has a temporal join node fed by both sides on their keys, in a LogicalGraph of version 2', async () => {
    const result: LogicalGraphResult = await client.connection.sendRequest(FlowRequests.logicalGraph, { uri, pipeline: 'CountryAtOrderTime' });
    const [graph] = result.graphs;
    assert.equal(graph.version, 2);
    const join = graph.nodes.find((n) => n.name === 'temporal join');
    assert.ok(join, JSON.stringify(graph.nodes.map((n) => n.name)));
    assert.equal(join.description, 'join customers as of ts on orders.customer == customers.id');
    const inputs = graph.edges.filter((e) => e.target === join.id).map((e) => `${e.input} ${e.ship} ${e.keys?.map((k) => (k as { name: string }).name).join()}`).sort();
    assert.deepEqual(inputs, ['left HASH customer', 'right HASH id']);
});

test('the editor\'s Flink SQL joins the versions FOR SYSTEM_TIME AS OF the order\'s time, with nothing Flink cannot run', async () => {
    const result: FlinkSqlResult = await client.connection.sendRequest(FlowRequests.flinkSql, { uri, pipeline: 'CountryAtOrderTime' });
    assert.deepEqual(result.diagnostics, []);
    assert.match(result.script, /JOIN `withCountry_0_join_versions` FOR SYSTEM_TIME AS OF l\.`ts` AS r/);
});

test('completion after `as of` offers the left side\'s fields, not the right side\'s', async () => {
    const items = await client.completion(uri, positionOf(TEXT, 'as of ts', 'as of '.length));
    const fields = items.filter((i) => i.kind === CompletionItemKind.Field).map((i) => i.label).sort();
    assert.deepEqual(fields, ['amount', 'customer', 'id', 'ts']);
});

test('hovering `of` shows the join\'s documentation, which explains the temporal join', async () => {
    const hover = await client.hover(uri, positionOf(TEXT, 'as of ts', 'as '.length));
    assert.match(hoverText(hover), /temporal join/);
});

test('in a batch pipeline the editor\'s Flink SQL names the temporal join as what Flink cannot run', async () => {
    await client.change(uri, TEXT.replace('mode streaming', 'mode batch'));
    await client.waitForDiagnostics(uri);
    const result: FlinkSqlResult = await client.connection.sendRequest(FlowRequests.flinkSql, { uri, pipeline: 'CountryAtOrderTime' });
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.range.start.line]), [['flink-temporal-join-batch', TEXT.split('\n').findIndex((l) => l.includes('as of ts'))]]);
    await client.change(uri, TEXT);
    await client.waitForDiagnostics(uri, (ds) => errors(ds).length === 0);
});

test('a right side without a watermark is a temporal-join-versions error on its name, and restoring it clears the error', async () => {
    await client.change(uri, TEXT.replace('        watermark since\n', ''));
    const broken = await client.waitForDiagnostics(uri, (ds) => errors(ds).length > 0);
    const versions = broken.find((d) => codeOf(d) === 'temporal-join-versions');
    assert.ok(versions, `expected temporal-join-versions, got ${JSON.stringify(broken)}`);
    assert.match(messageOf(versions), /'customers' declares no watermark/);
    const line = TEXT.replace('        watermark since\n', '').split('\n').findIndex((l) => l.includes('as of ts'));
    assert.equal(versions.range.start.line, line);
    assert.equal(versions.range.end.character - versions.range.start.character, 'customers'.length);
    await client.change(uri, TEXT);
    await client.waitForDiagnostics(uri, (ds) => errors(ds).length === 0);
});

test('`as of` a field that is not the left side\'s event time is a temporal-join-time error naming the field to use', async () => {
    const text = TEXT.replace('amount: double, ts: timestamp }', 'amount: double, ts: timestamp, paidAt: timestamp }')
        .replace('ts: timestamp "2024-01-01T00:10:00Z" }', 'ts: timestamp "2024-01-01T00:10:00Z", paidAt: timestamp "2024-01-01T00:11:00Z" }')
        .replace('as of ts', 'as of paidAt');
    await client.change(uri, text);
    const broken = await client.waitForDiagnostics(uri, (ds) => errors(ds).length > 0);
    const time = broken.find((d) => codeOf(d) === 'temporal-join-time');
    assert.ok(time, `expected temporal-join-time, got ${JSON.stringify(broken)}`);
    assert.match(messageOf(time), /use 'ts'/);
    await client.change(uri, TEXT);
    await client.waitForDiagnostics(uri, (ds) => errors(ds).length === 0);
});

test('formatting puts single spaces around `as of`', async () => {
    const messy = TEXT.replace('join customers as of ts on', 'join customers   as    of ts   on');
    await client.change(uri, messy);
    await client.waitForDiagnostics(uri);
    const edits = await client.format(uri);
    assert.ok(applyEdits(messy, edits ?? []).includes('| join customers as of ts on orders.customer == customers.id'));
    await client.change(uri, TEXT);
});

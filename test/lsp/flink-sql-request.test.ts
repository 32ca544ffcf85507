/**
 * `flowline/flinkSql` through a real language server: the script of a pipeline (of the editor's
 * unsaved text), the diagnostics of what Flink cannot run with their file and range, the
 * document's own errors instead of a script, and a refused request for an unknown pipeline.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowRequests, type FlinkSqlParams, type FlinkSqlResult } from '../../protocol/lsp-requests.js';
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

const flinkSql = (params: FlinkSqlParams): Promise<FlinkSqlResult> => client.connection.sendRequest(FlowRequests.flinkSql, params);

const BIG_ORDERS = `pipeline BigOrders {
    mode batch
    source orders: { id: string, amount: double } = values({ id: "a", amount: 5.0 }, { id: "b", amount: 50.0 })
    stream big = orders
        | filter amount > 10
    sink big -> print
    sink big -> blackhole
}
`;

test('flowline/flinkSql returns the statements of a pipeline as the editor has it, ending in one statement set for two sinks', async () => {
    const uri = await client.open('big-orders.flow', BIG_ORDERS);
    const result = await flinkSql({ uri });
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.pipeline, 'BigOrders');
    assert.equal(result.statements[0], "SET 'execution.runtime-mode' = 'batch'");
    assert.ok(result.statements.some((s) => s.startsWith('CREATE TEMPORARY VIEW `big_0_filter`') && s.includes('WHERE')), result.script);
    assert.match(result.statements.at(-1) ?? '', /^EXECUTE STATEMENT SET\nBEGIN\nINSERT INTO `sink_0_print`[\s\S]*INSERT INTO `sink_1_blackhole`[\s\S]*END$/);
    assert.equal(result.script, result.statements.map((s) => `${s};`).join('\n\n') + '\n');
});

test('flowline/flinkSql names each construct Flink cannot run, with its code and range in the file', async () => {
    const uri = client.uri('revenue.flow');
    const result = await flinkSql({ uri, pipeline: 'RevenuePerCountry' });
    const codes = result.diagnostics.map((d) => d.code).sort();
    assert.deepEqual(codes, ['flink-dead-letter-sink', 'flink-interval-join-needs-time-attribute', 'flink-on-error-dead-letter']);
    const deadLetter = result.diagnostics.find((d) => d.code === 'flink-on-error-dead-letter')!;
    assert.equal(deadLetter.uri, uri);
    assert.equal(deadLetter.range.start.line, 7, 'the source orders is declared on line 8');
    assert.equal(deadLetter.construct, 'onError deadLetter');
    assert.match(deadLetter.message, /onError deadLetter/);
});

const WATERMARKED_PARALLEL = `pipeline Watermarked {
    mode streaming
    parallelism 2
    source clicks: { user: int, score: double?, ts: timestamp } = values(
        { user: 1, score: 0.5, ts: timestamp "2024-01-01T00:00:01Z" }, { user: 2, score: null, ts: timestamp "2024-01-01T00:00:02Z" }
    ) {
        watermark ts - 1s
    }
    stream perWindow = clicks
        | filter user > 0
        | parallelism 3
        | window tumbling 10s on ts
        | aggregate { n: count() }
    sink perWindow -> print
}
`;

test('flowline/flinkSql returns the data file of watermarked values and a warning note for an operator parallelism Flink SQL cannot set', async () => {
    const uri = await client.open('watermarked.flow', WATERMARKED_PARALLEL);
    const result = await flinkSql({ uri });
    assert.deepEqual(result.diagnostics, [], 'watermarked values and an operator parallelism do not block a deployment');
    assert.equal(result.dataFiles.length, 1);
    const [file] = result.dataFiles;
    assert.equal(file.path, `${workspace}/.flowline/flink/Watermarked/clicks.jsonl`);
    assert.equal(file.sourceName, 'clicks');
    assert.equal(file.contents, '{"user":1,"score":0.5,"ts":1704067201000}\n{"user":2,"score":null,"ts":1704067202000}\n');
    assert.ok(result.statements.some((s) => s.includes(`'path' = 'file://${workspace}/.flowline/flink/Watermarked/clicks.jsonl'`) && s.includes('WATERMARK FOR')), result.script);
    assert.equal(result.notes.length, 1);
    assert.equal(result.notes[0].severity, 'warning');
    assert.equal(result.notes[0].code, 'flink-operator-parallelism');
    assert.equal(result.notes[0].range.start.line, 9, 'the filter on line 10');
    assert.match(result.script, /^-- Reads \S+clicks\.jsonl: the 2 rows of the values source clicks/);
});

test('flowline/flinkSql of a document with errors returns its errors and no script', async () => {
    const result = await flinkSql({ uri: client.uri('quick-fixes.flow') });
    assert.equal(result.script, '');
    assert.deepEqual(result.statements, []);
    assert.ok(result.diagnostics.some((d) => d.code === 'unknown-field'), JSON.stringify(result.diagnostics));
});

test('flowline/flinkSql for a pipeline the file does not have is refused with the names it has', async () => {
    await assert.rejects(flinkSql({ uri: client.uri('revenue.flow'), pipeline: 'Nope' }), /no pipeline 'Nope'; it has RevenuePerCountry/);
});

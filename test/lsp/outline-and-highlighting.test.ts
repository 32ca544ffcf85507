import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SymbolKind, type DocumentSymbol, type InlayHint } from 'vscode-languageserver-protocol';
import { LspClient, copyFixtureWorkspace, positionOf, removeWorkspace } from './lsp-client.js';

let client: LspClient;
let workspace: string;
let uri: string;
let text: string;

before(async () => {
    workspace = copyFixtureWorkspace('workspace');
    // The client turns schema hints off at start; a test turns them on through the settings.
    client = await LspClient.start({ workspace, initializationOptions: { inlayHints: { schemas: false } } });
    text = readFileSync(join(workspace, 'revenue.flow'), 'utf8');
    uri = await client.open('revenue.flow');
    await client.waitForDiagnostics(uri);
});

after(async () => {
    await client.stop();
    removeWorkspace(workspace);
});

const wholeFile = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };
const labelOf = (h: InlayHint): string => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));

test('the outline shows the pipeline with its sources, streams and sinks', async () => {
    const symbols = await client.documentSymbols(uri) as DocumentSymbol[];
    assert.equal(symbols.length, 1);
    const [pipeline] = symbols;
    assert.equal(pipeline.name, 'RevenuePerCountry');
    assert.equal(pipeline.kind, SymbolKind.Module);
    assert.deepEqual(pipeline.children?.map((c) => c.name), [
        'orders', 'customers', 'valid', 'enriched', 'revenue', 'sink revenue -> print', 'sink orders.deadLetter -> jsonl'
    ]);
    const revenue = pipeline.children?.find((c) => c.name === 'revenue');
    assert.equal(revenue?.detail, 'stream | keyBy | window | aggregate | parallelism');
    assert.equal(revenue?.selectionRange.start.line, positionOf(text, 'revenue = enriched').line);
});

test('the outline of a schema file lists the schemas and their fields with types', async () => {
    const symbols = await client.documentSymbols(client.uri('schemas.flow')) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => s.name), ['Order', 'Customer']);
    assert.deepEqual(symbols[0].children?.map((f) => `${f.name}: ${f.detail}`), ['id: string', 'customer: string', 'amount: double', 'ts: timestamp']);
});

test('folding ranges cover the pipeline, the source block and every multi-line stream', async () => {
    const ranges = await client.foldingRanges(uri) ?? [];
    const starts = ranges.map((r) => r.startLine);
    for (const needle of ['pipeline RevenuePerCountry', 'source orders', 'stream valid', 'stream enriched', 'stream revenue']) {
        assert.ok(starts.includes(positionOf(text, needle).line), needle);
    }
});

test('semantic tokens tell a stream from a field in a qualified name, and mark schema names as types', async () => {
    const tokens = await client.semanticTokens(uri);
    assert.ok(tokens && tokens.data.length > 0);
    // Decode the relative encoding: [deltaLine, deltaStart, length, type, modifiers] per token.
    const decoded: { line: number; start: number; length: number; type: number }[] = [];
    let line = 0;
    let start = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
        const [dl, ds, length, type] = tokens.data.slice(i, i + 4);
        line += dl;
        start = dl === 0 ? start + ds : ds;
        decoded.push({ line, start, length, type });
    }
    const at = (needle: string, offset = 0): number | undefined => {
        const p = positionOf(text, needle, offset);
        return decoded.find((t) => t.line === p.line && t.start === p.character)?.type;
    };
    const streamType = at('customers.country', 0);
    const fieldType = at('customers.country', 'customers.'.length);
    assert.notEqual(streamType, undefined);
    assert.notEqual(fieldType, undefined);
    assert.notEqual(streamType, fieldType, 'the stream and the field are highlighted differently');
    assert.equal(at('amount > 0'), fieldType, 'a plain field reference is a field');
    assert.equal(at('valid.customer'), streamType, 'a stream in a join condition is a stream');
    assert.notEqual(at('Customer ='), undefined, 'schema names are highlighted');
});

test('inlay hints show the schema after each operator once the setting turns them on, and none while it is off', async () => {
    assert.deepEqual(await client.inlayHints(uri, wholeFile), []);
    await client.changeSettings({ flowline: { inlayHints: { schemas: true } } });
    const hints = await client.inlayHints(uri, wholeFile) ?? [];
    const afterKeyBy = hints.find((h) => h.position.line === positionOf(text, '| keyBy country').line);
    assert.equal(afterKeyBy && labelOf(afterKeyBy), ': { country: string, amount: double, ts: timestamp }');
    const afterAggregate = hints.find((h) => h.position.line === positionOf(text, '| aggregate').line);
    assert.equal(afterAggregate && labelOf(afterAggregate), ': { country: string, total: double, orders: long, windowEnd: timestamp }');
    const operators = (text.match(/\| /g) ?? []).length;
    assert.equal(hints.length, operators, 'one hint per operator');
});

test('the server wrote nothing to stderr and logged no error', () => {
    assert.deepEqual(client.stderr, []);
    assert.deepEqual(client.errorLogs, []);
});

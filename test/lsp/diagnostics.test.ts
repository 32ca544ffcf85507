import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, copyFixtureWorkspace, messageOf, removeWorkspace } from './lsp-client.js';

/** The stable issue code a diagnostic carries (the quick fixes key on it). */
const codeOf = (d: Diagnostic): unknown => d.code ?? (d.data as { code?: string } | undefined)?.code;
const errors = (ds: Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === 1);

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

test('a valid file that imports its schemas from another file gets no diagnostics after didOpen', async () => {
    const uri = await client.open('revenue.flow');
    const diagnostics = await client.waitForDiagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => d.message), []);
});

test('an edit that misspells a field is reported on that field with its code and a suggestion, and fixing it clears the error', async () => {
    const uri = client.uri('revenue.flow');
    const text = readFileSync(join(workspace, 'revenue.flow'), 'utf8');
    await client.change(uri, text.replace('filter amount > 0', 'filter amout > 0'));
    const broken = await client.waitForDiagnostics(uri, (ds) => errors(ds).length > 0);
    const unknown = broken.find((d) => codeOf(d) === 'unknown-field');
    assert.ok(unknown, `expected an unknown-field error, got ${JSON.stringify(broken)}`);
    assert.equal(unknown.code, 'unknown-field', 'the issue code is the LSP code editors show');
    assert.match(messageOf(unknown), /amout/);
    assert.match(messageOf(unknown), /amount/);
    const line = text.split('\n').findIndex((l) => l.includes('filter amount > 0'));
    assert.equal(unknown.range.start.line, line);
    assert.equal(unknown.range.end.character - unknown.range.start.character, 'amout'.length);

    await client.change(uri, text);
    await client.waitForDiagnostics(uri, (ds) => errors(ds).length === 0);
});

test('a syntax error is reported at the place it happens, and the server keeps answering', async () => {
    const uri = client.uri('revenue.flow');
    const text = readFileSync(join(workspace, 'revenue.flow'), 'utf8');
    await client.change(uri, text.replace('| keyBy country', '| keyBy ,'));
    const diagnostics = await client.waitForDiagnostics(uri, (ds) => errors(ds).length > 0);
    const line = text.split('\n').findIndex((l) => l.includes('| keyBy country'));
    assert.ok(diagnostics.some((d) => d.range.start.line === line), JSON.stringify(diagnostics));
    assert.ok(await client.hover(uri, { line: 0, character: 2 }) !== undefined);
    await client.change(uri, text);
    await client.waitForDiagnostics(uri, (ds) => errors(ds).length === 0);
});

test('an edit in an imported file re-checks the file that imports it', async () => {
    const revenue = client.uri('revenue.flow');
    // Opened and edited at once: the edit cancels the build the opening started.
    const schemasUri = await client.open('schemas.flow');
    const schemas = readFileSync(join(workspace, 'schemas.flow'), 'utf8');
    await client.change(schemasUri, schemas.replace('country: string', 'land: string'));
    const diagnostics = await client.waitForDiagnostics(revenue, (ds) => errors(ds).some((d) => /country/.test(messageOf(d))));
    assert.ok(diagnostics.every((d) => d.code !== undefined), 'every diagnostic carries a code');
    await client.change(schemasUri, schemas);
    await client.waitForDiagnostics(revenue, (ds) => errors(ds).length === 0);
});

test('a source whose input file does not exist gets a missing-input-file warning on its path string; an output path does not', async () => {
    const uri = client.uri('revenue.flow');
    const text = readFileSync(join(workspace, 'revenue.flow'), 'utf8');
    await client.change(uri, text.replace('csv("data/orders.csv")', 'csv("data/no-orders.csv")'));
    const diagnostics = await client.waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'missing-input-file'));
    const missing = diagnostics.filter((d) => codeOf(d) === 'missing-input-file');
    assert.equal(missing.length, 1, JSON.stringify(diagnostics));
    assert.equal(missing[0].severity, 2, 'a warning');
    assert.equal(missing[0].code, 'missing-input-file');
    assert.match(messageOf(missing[0]), /'data\/no-orders\.csv' does not exist/);
    // Resolved like the runtime does: relative to the folder of the .flow file.
    assert.ok(messageOf(missing[0]).includes(join(workspace, 'data', 'no-orders.csv')), messageOf(missing[0]));
    const line = text.split('\n').findIndex((l) => l.includes('csv("data/orders.csv")'));
    const column = text.split('\n')[line].indexOf('"data/orders.csv"');
    assert.deepEqual(missing[0].range, { start: { line, character: column }, end: { line, character: column + '"data/no-orders.csv"'.length } });
    assert.deepEqual(errors(diagnostics), []);

    // Back to an existing file: no diagnostic at all (the sink's out/bad-orders.jsonl, not written yet, never warned).
    await client.change(uri, text);
    await client.waitForDiagnostics(uri, (ds) => ds.length === 0);
});

test('the server wrote nothing to stderr and logged no error', () => {
    assert.deepEqual(client.stderr, []);
    assert.deepEqual(client.errorLogs, []);
    assert.ok(client.alive);
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Location, LocationLink } from 'vscode-languageserver-protocol';
import { LspClient, applyEdits, copyFixtureWorkspace, positionOf, removeWorkspace } from './lsp-client.js';

let client: LspClient;
let workspace: string;
let revenueUri: string;
let schemasUri: string;
let revenue: string;
let schemas: string;

before(async () => {
    workspace = copyFixtureWorkspace('workspace');
    client = await LspClient.start({ workspace });
    revenue = readFileSync(join(workspace, 'revenue.flow'), 'utf8');
    schemas = readFileSync(join(workspace, 'schemas.flow'), 'utf8');
    revenueUri = await client.open('revenue.flow');
    await client.waitForDiagnostics(revenueUri);
    schemasUri = client.uri('schemas.flow');
});

after(async () => {
    await client.stop();
    removeWorkspace(workspace);
});

const targetOf = (result: Location | Location[] | LocationLink[] | null): { uri: string; line: number } => {
    const first = Array.isArray(result) ? result[0] : result;
    assert.ok(first, 'a definition was found');
    return 'targetUri' in first
        ? { uri: first.targetUri, line: first.targetSelectionRange.start.line }
        : { uri: first.uri, line: first.range.start.line };
};

const lineOf = (text: string, needle: string): number => positionOf(text, needle).line;

test('go to definition on a schema name jumps into the imported file', async () => {
    const target = targetOf(await client.definition(revenueUri, positionOf(revenue, 'Customer =')));
    assert.deepEqual(target, { uri: schemasUri, line: lineOf(schemas, 'schema Customer') });
});

test('go to definition on a field jumps to the schema field it comes from, across files', async () => {
    const target = targetOf(await client.definition(revenueUri, positionOf(revenue, 'amount > 0')));
    assert.deepEqual(target, { uri: schemasUri, line: lineOf(schemas, 'amount: double') });
});

test('go to definition on a stream reference jumps to the stream', async () => {
    const target = targetOf(await client.definition(revenueUri, positionOf(revenue, 'enriched\n')));
    assert.deepEqual(target, { uri: revenueUri, line: lineOf(revenue, 'stream enriched') });
});

test('find references of a schema lists its uses in every file', async () => {
    const refs = await client.references(schemasUri, positionOf(schemas, 'Order {', 1)) ?? [];
    const files = refs.map((r) => r.uri.split('/').pop()).sort();
    assert.deepEqual(files, ['quick-fixes.flow', 'revenue.flow', 'schemas.flow']);
});

test('renaming a schema edits its declaration and its uses in the importing files', async () => {
    const edit = await client.rename(schemasUri, positionOf(schemas, 'Order {'), 'Purchase');
    const changes = edit?.changes ?? {};
    assert.ok(applyEdits(schemas, changes[schemasUri]).includes('schema Purchase {'));
    assert.ok(applyEdits(revenue, changes[revenueUri]).includes('source orders: Purchase = csv('));
    assert.equal(Object.keys(changes).length, 3, 'schemas.flow, revenue.flow and quick-fixes.flow');
});

test('renaming a stream edits every stream reference, including qualified ones in a join', async () => {
    const edit = await client.rename(revenueUri, positionOf(revenue, 'valid ='), 'paid');
    const renamed = applyEdits(revenue, edit?.changes?.[revenueUri] ?? []);
    assert.ok(renamed.includes('stream paid = orders'));
    assert.ok(renamed.includes('stream enriched = paid'));
    assert.ok(renamed.includes('on paid.customer == customers.id'));
    assert.ok(!/\bvalid\b/.test(renamed));
});

test('renaming a field follows it through bare projection items to its downstream uses', async () => {
    const edit = await client.rename(schemasUri, positionOf(schemas, 'customer: string'), 'buyer');
    const changes = edit?.changes ?? {};
    assert.ok(applyEdits(schemas, changes[schemasUri]).includes('buyer: string'));
    const renamed = applyEdits(revenue, changes[revenueUri] ?? []);
    assert.ok(renamed.includes('filter amount > 0 and buyer != ""'), renamed);
    assert.ok(renamed.includes('map { id, buyer, amount'), renamed);
    assert.ok(renamed.includes('on valid.buyer == customers.id'), 'the field passed on by `map { buyer }` is renamed downstream');
});

test('renaming a source field does not rename a field of another schema with the same name', async () => {
    const edit = await client.rename(schemasUri, positionOf(schemas, 'id: string'), 'orderId');
    const renamed = applyEdits(revenue, edit?.changes?.[revenueUri] ?? []);
    assert.ok(renamed.includes('map { orderId, customer'));
    assert.ok(renamed.includes('customers.id'), 'Customer.id keeps its name');
});

test('a rename to something that is not a name is refused with a message', async () => {
    await assert.rejects(client.rename(revenueUri, positionOf(revenue, 'valid ='), '1st stream'), /not a valid name/);
});

test('the server wrote nothing to stderr and logged no error', () => {
    assert.deepEqual(client.stderr, []);
    assert.deepEqual(client.errorLogs, []);
});

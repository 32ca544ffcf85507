/**
 * Temporal joins (`join R as of t`) in the editor, through the language server over stdio:
 * diagnostics with their codes while editing, completion of the `as of` field from the left
 * side only, the grammar's doc on hover, and formatting of the clause.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionItemKind, type Diagnostic, type Hover } from 'vscode-languageserver-protocol';
import { LspClient, applyEdits, copyFixtureWorkspace, messageOf, positionOf, removeWorkspace } from './lsp-client.js';

const TEXT = `pipeline CountryAtOrderTime {
    mode streaming
    source orders: { id: string, customer: string, amount: double, ts: timestamp } = values(
        { id: "o1", customer: "c1", amount: 10.0, ts: timestamp "2024-01-01T00:10:00Z" }
    ) {
        watermark ts - 1m
    }
    source customers: { id: string, country: string, since: timestamp } = values(
        { id: "c1", country: "DE", since: timestamp "2024-01-01T00:00:00Z" }
    ) {
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

test('completion after `as of` offers the left side\'s fields, not the right side\'s', async () => {
    const items = await client.completion(uri, positionOf(TEXT, 'as of ts', 'as of '.length));
    const fields = items.filter((i) => i.kind === CompletionItemKind.Field).map((i) => i.label).sort();
    assert.deepEqual(fields, ['amount', 'customer', 'id', 'ts']);
});

test('hovering `of` shows the join\'s documentation, which explains the temporal join', async () => {
    const hover = await client.hover(uri, positionOf(TEXT, 'as of ts', 'as '.length));
    assert.match(hoverText(hover), /temporal join/);
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

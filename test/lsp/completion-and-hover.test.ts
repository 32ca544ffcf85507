import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompletionItemKind, type Hover } from 'vscode-languageserver-protocol';
import { LspClient, copyFixtureWorkspace, positionOf, removeWorkspace } from './lsp-client.js';

let client: LspClient;
let workspace: string;
let uri: string;
let text: string;

before(async () => {
    workspace = copyFixtureWorkspace('workspace');
    client = await LspClient.start({ workspace });
    text = readFileSync(join(workspace, 'revenue.flow'), 'utf8');
    uri = await client.open('revenue.flow');
    await client.waitForDiagnostics(uri);
});

after(async () => {
    await client.stop();
    removeWorkspace(workspace);
});

const hoverText = (h: Hover | null): string => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');

test('completion in a filter offers the fields of the upstream schema with their types', async () => {
    const items = await client.completion(uri, positionOf(text, 'amount > 0'));
    const fields = items.filter((i) => i.kind === CompletionItemKind.Field).map((i) => `${i.label}: ${i.detail}`);
    assert.deepEqual(fields, ['id: string', 'customer: string', 'amount: double', 'ts: timestamp']);
});

test('completion after a projection offers the fields the projection produced, not the source fields', async () => {
    const items = await client.completion(uri, positionOf(text, 'country, total:'));
    const fields = items.filter((i) => i.kind === CompletionItemKind.Field).map((i) => i.label).sort();
    assert.deepEqual(fields, ['amount', 'country', 'ts']);
});

test('completion after a stream name and a dot offers that stream\'s fields', async () => {
    const items = await client.completion(uri, positionOf(text, 'customers.country', 'customers.'.length));
    assert.deepEqual(items.map((i) => i.label).sort(), ['country', 'id']);
});

test('completion after | offers the operators, documented from the grammar', async () => {
    const items = await client.completion(uri, positionOf(text, '| filter', 2));
    const labels = items.map((i) => i.label);
    for (const op of ['filter', 'map', 'keyBy', 'window', 'aggregate', 'join', 'union', 'orderBy', 'limit']) assert.ok(labels.includes(op), op);
    const filter = items.find((i) => i.label === 'filter');
    assert.match(JSON.stringify(filter?.documentation), /Keeps the records for which the condition is true/);
});

test('completion offers functions with their signatures, and aggregates only inside an aggregation', async () => {
    const inFilter = await client.completion(uri, positionOf(text, 'amount > 0'));
    const round = inFilter.find((i) => i.label === 'round');
    assert.equal(round?.detail, 'round(x: numeric, digits?: int): double');
    assert.equal(round?.insertTextFormat, 2, 'inserted as a snippet with parameter placeholders');
    assert.ok(!inFilter.some((i) => i.label === 'sum'), 'sum is not offered in a filter');
    const inAggregate = await client.completion(uri, positionOf(text, 'sum(amount)'));
    assert.ok(inAggregate.some((i) => i.label === 'sum'));
});

test('completion inside a source path string lists the data files next to the .flow file', async () => {
    const edited = text.replace('csv("data/orders.csv")', 'csv("data/")');
    await client.change(uri, edited);
    const items = await client.completion(uri, positionOf(edited, 'csv("data/', 'csv("data/'.length));
    assert.deepEqual(items.map((i) => i.label).sort(), ['orders.csv', 'readings.csv'], 'only the csv files of data/, not its jsonl files');
    const folders = await client.completion(uri, positionOf(edited, 'csv("data/', 'csv("'.length));
    assert.ok(folders.some((i) => i.label === 'data/' && i.kind === CompletionItemKind.Folder));
    await client.change(uri, text);
});

test('hovering a stream name shows its inferred schema', async () => {
    const hover = hoverText(await client.hover(uri, positionOf(text, 'revenue = enriched')));
    assert.match(hover, /stream revenue/);
    for (const field of ['country: string', 'total: double', 'orders: long', 'windowEnd: timestamp']) assert.ok(hover.includes(field), field);
});

test('hovering an operator shows its documentation and the schema it emits', async () => {
    const hover = hoverText(await client.hover(uri, positionOf(text, '| keyBy', 2)));
    assert.match(hover, /Partitions the stream by key/);
    assert.match(hover, /keyed/);
    assert.ok(hover.includes('country: string'));
});

test('hovering a field reference shows its type; a function its signature; a pipeline its doc comment', async () => {
    assert.match(hoverText(await client.hover(uri, positionOf(text, 'amount > 0'))), /amount: double/);
    assert.match(hoverText(await client.hover(uri, positionOf(text, 'round('))), /round\(x: numeric, digits\?: int\): double[\s\S]*Rounds half away from zero/);
    assert.match(hoverText(await client.hover(uri, positionOf(text, 'RevenuePerCountry'))), /Revenue per country per minute/);
    assert.match(hoverText(await client.hover(uri, positionOf(text, 'Order ='))), /schema Order[\s\S]*amount: double[\s\S]*An order placed in the shop/);
});

test('signature help follows the argument under the cursor for functions and connectors', async () => {
    const round = await client.signatureHelp(uri, positionOf(text, '1.1, 2', 'l.1, '.length));
    assert.equal(round?.signatures[0].label, 'round(x: numeric, digits?: int): double');
    assert.equal(round?.activeParameter, 1);
    const csv = await client.signatureHelp(uri, positionOf(text, '"data/orders.csv"', 2));
    assert.match(csv?.signatures[0].label ?? '', /^csv\(path: string/);
    assert.equal(csv?.activeParameter, 0);
});

test('after a windowed aggregate, completion offers across windows after orderBy keys and hover explains per-window ranking', async () => {
    const ranked = text.replace('        | parallelism 1\n', '        | parallelism 1\n        | orderBy total desc across windows\n        | limit 3\n');
    await client.change(uri, ranked);
    const hover = hoverText(await client.hover(uri, positionOf(ranked, 'across windows')));
    assert.match(hover, /ranks each window on its own/);
    assert.match(hover, /across windows/);
    const typing = ranked.replace('orderBy total desc across windows', 'orderBy total desc a');
    await client.change(uri, typing);
    const items = await client.completion(uri, positionOf(typing, 'desc a', 'desc a'.length));
    const across = items.find((i) => i.label === 'across');
    assert.equal(across?.kind, CompletionItemKind.Keyword);
    assert.match(JSON.stringify(across?.documentation), /across windows/);
    await client.change(uri, text);
});

test('the encoding option of a file source completes its values and shows them in signature help', async () => {
    const edited = text.replace('csv("data/orders.csv")', 'csv("data/orders.csv", encoding: "")');
    await client.change(uri, edited);
    const items = await client.completion(uri, positionOf(edited, 'encoding: "', 'encoding: "'.length));
    assert.deepEqual(items.map((i) => i.label), ['utf-8', 'latin1']);
    const help = await client.signatureHelp(uri, positionOf(edited, 'encoding: "', 2));
    assert.match(help?.signatures[0].label ?? '', /encoding\?: "utf-8" \| "latin1"/);
    await client.change(uri, text);
});

test('completion still answers right after a typo inside a long list of values', { timeout: 60_000 }, async () => {
    const words = Array.from({ length: 20 }, (_, i) => `"w${i}"`).join(', ');
    const edited = text.replace('filter amount > 0 and customer != ""', `filter not customer in (${words}, oops 5 "every", "their")`);
    await client.change(uri, edited);
    const items = await client.completion(uri, positionOf(edited, '"every"', 3));
    assert.ok(Array.isArray(items));
    await client.change(uri, text);
});

test('the server wrote nothing to stderr and logged no error', () => {
    assert.deepEqual(client.stderr, []);
    assert.deepEqual(client.errorLogs, []);
});

test('completion after | offers top, keep and upsert; keep completes first and last; hover on top explains Top-N per key', async () => {
    const items = await client.completion(uri, positionOf(text, '| filter', 2));
    const labels = items.map((i) => i.label);
    for (const op of ['top', 'keep', 'upsert']) assert.ok(labels.includes(op), op);
    assert.match(JSON.stringify(items.find((i) => i.label === 'top')?.documentation), /ROW_NUMBER/);
    const ranked = text.replace('        | parallelism 1\n', '        | parallelism 1\n        | keyBy country\n        | top 3 by total desc as rank\n');
    await client.change(uri, ranked);
    const hover = hoverText(await client.hover(uri, positionOf(ranked, 'top 3')));
    assert.match(hover, /first N rows of each key/);
    assert.match(hover, /updating table/);
    const typing = ranked.replace('top 3 by total desc as rank', 'keep ');
    await client.change(uri, typing);
    const keep = await client.completion(uri, positionOf(typing, 'keep ', 'keep '.length));
    assert.deepEqual(keep.filter((i) => i.kind === CompletionItemKind.Keyword).map((i) => i.label).sort(), ['first', 'last']);
    await client.change(uri, text);
});

test('inside an aggregation completion offers max_by and min_by with their two parameters', async () => {
    const items = await client.completion(uri, positionOf(text, 'sum(amount)'));
    assert.equal(items.find((i) => i.label === 'max_by')?.detail, 'max_by(value: any, ordering: any): T');
    assert.ok(items.some((i) => i.label === 'min_by'));
});

test('completion after | offers over; inside over the aggregate functions and the input fields complete; hover on over explains it; the new columns are typed', async () => {
    const items = await client.completion(uri, positionOf(text, '| filter', 2));
    assert.ok(items.some((i) => i.label === 'over'));
    const withOver = text.replace('        | select { country: customers.country, amount, ts }\n',
        '        | select { country: customers.country, amount, ts }\n        | keyBy country\n        | over last 10 rows { avgAmount: avg(amount) }\n        | filter avgAmount > 0\n');
    await client.change(uri, withOver);
    const diagnostics = (await client.waitForDiagnostics(uri)).filter((d) => d.severity === 1);
    assert.deepEqual(diagnostics.map((d) => d.message), []);
    const hover = hoverText(await client.hover(uri, positionOf(withOver, 'over last')));
    assert.match(hover, /OVER aggregation/);
    const inside = await client.completion(uri, positionOf(withOver, 'avg(amount)', 'avg('.length));
    assert.ok(inside.some((i) => i.label === 'amount' && i.detail === 'double'));
    assert.ok(inside.some((i) => i.label === 'avg'));
    const after = await client.completion(uri, positionOf(withOver, 'avgAmount > 0'));
    assert.ok(after.some((i) => i.label === 'avgAmount' && i.detail === 'double'), 'the over column is a field after it');
    await client.change(uri, text);
    await client.waitForDiagnostics(uri);
});

test('after "partitioned by" on a file sink, completion offers the fields of the stream the sink writes', async () => {
    const typing = text.replace('    sink revenue -> print\n', '    sink revenue -> csv("out/revenue") partitioned by \n');
    await client.change(uri, typing);
    const items = await client.completion(uri, positionOf(typing, 'partitioned by ', 'partitioned by '.length));
    const labels = items.map((i) => i.label);
    for (const field of ['country', 'total', 'orders', 'windowEnd']) assert.ok(labels.includes(field), `${field} in ${labels.join(', ')}`);
    assert.ok(!labels.includes('customer'), 'fields of other streams are not offered');
    await client.change(uri, text);
});

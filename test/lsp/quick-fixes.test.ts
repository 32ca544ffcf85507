import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, applyEdits, copyFixtureWorkspace, removeWorkspace } from './lsp-client.js';

let client: LspClient;
let workspace: string;
let uri: string;
let text: string;
let diagnostics: Diagnostic[];

const codeOf = (d: Diagnostic): unknown => d.code ?? (d.data as { code?: string } | undefined)?.code;

before(async () => {
    workspace = copyFixtureWorkspace('workspace');
    client = await LspClient.start({ workspace });
    text = readFileSync(join(workspace, 'quick-fixes.flow'), 'utf8');
    uri = await client.open('quick-fixes.flow');
    diagnostics = await client.waitForDiagnostics(uri, (ds) => ds.length >= 5);
});

after(async () => {
    await client.stop();
    removeWorkspace(workspace);
});

/** The fixes offered for the one diagnostic with `code` whose line contains `lineText`. */
async function fixesFor(code: string, lineText: string): Promise<{ diagnostic: Diagnostic; actions: CodeAction[] }> {
    const lines = text.split('\n');
    const diagnostic = diagnostics.find((d) => codeOf(d) === code && lines[d.range.start.line].includes(lineText));
    assert.ok(diagnostic, `a ${code} diagnostic on '${lineText}' in ${JSON.stringify(diagnostics)}`);
    const actions = (await client.codeActions(uri, diagnostic.range, [diagnostic]) ?? []) as CodeAction[];
    return { diagnostic, actions };
}

/** Applies a fix, waits for the new diagnostics, checks the fixed one is gone, and restores the file. */
async function applyAndCheck(action: CodeAction, code: string): Promise<string> {
    const fixed = applyEdits(text, action.edit?.changes?.[uri] ?? []);
    await client.change(uri, fixed);
    const after = await client.waitForDiagnostics(uri, (ds) => ds.filter((d) => codeOf(d) === code).length < diagnostics.filter((d) => codeOf(d) === code).length);
    assert.ok(after.length < diagnostics.length, 'the fix removed a diagnostic and added none');
    await client.change(uri, text);
    await client.waitForDiagnostics(uri, (ds) => ds.length === diagnostics.length);
    return fixed;
}

test('an unknown field offers did-you-mean fixes, and the first one repairs the name', async () => {
    const { actions } = await fixesFor('unknown-field', 'amout');
    assert.deepEqual(actions.map((a) => a.title), ["Change to 'amount'"]);
    assert.equal(actions[0].isPreferred, true);
    const fixed = await applyAndCheck(actions[0], 'unknown-field');
    assert.ok(fixed.includes('filter amount > 10'));
});

test('a field used outside an aggregate on an unkeyed stream offers to add the missing keyBy', async () => {
    const { actions } = await fixesFor('missing-key-by', 'aggregate');
    assert.equal(actions[0].title, "Add 'keyBy customer'");
    const fixed = await applyAndCheck(actions[0], 'missing-key-by');
    assert.ok(fixed.includes('    stream perCustomer = orders\n        | keyBy customer\n        | aggregate { customer, total: sum(amount) }'), fixed);
});

test('a stream that reaches no sink offers to print it', async () => {
    const { actions } = await fixesFor('dangling-stream', 'unused');
    assert.deepEqual(actions.map((a) => a.title), ["Add 'sink unused -> print'"]);
    const fixed = await applyAndCheck(actions[0], 'dangling-stream');
    assert.ok(fixed.endsWith('    sink people -> print\n    sink unused -> print\n}\n'), fixed);
});

test('a csv source without a schema offers the schema inferred from the file header and rows, inline or named', async () => {
    const { actions } = await fixesFor('missing-schema', 'source raw');
    assert.deepEqual(actions.map((a) => a.title), [
        'Write out the schema inferred from orders.csv', "Write out the schema inferred from orders.csv as 'schema Raw'"
    ]);
    const inline = await applyAndCheck(actions[0], 'missing-schema');
    assert.ok(inline.includes(
        '    source raw: {\n        id: string\n        customer: string\n        amount: double\n        ts: timestamp\n        paid: boolean\n    } = csv("data/orders.csv")'), inline);
    const named = await applyAndCheck(actions[1], 'missing-schema');
    assert.ok(named.startsWith('import "schemas.flow"\n\nschema Raw {\n    id: string\n    customer: string\n    amount: double\n    ts: timestamp\n    paid: boolean\n}\n\npipeline Fixes {'), named);
    assert.ok(named.includes('source raw: Raw = csv("data/orders.csv")'));
});

test('a jsonl source without a schema offers the schema inferred from its first records', async () => {
    const { actions } = await fixesFor('missing-schema', 'source people');
    const inline = await applyAndCheck(actions[0], 'missing-schema');
    assert.ok(inline.includes('source people: { id: string, country: string, vip: boolean, visits: int } = jsonl("data/customers.jsonl")'), inline);
});


test('the inferred schema widens types over the sampled rows: long beyond int, double over mixed numbers, nullable when a value is missing', async () => {
    const inferenceUri = await client.open('inference.flow');
    const source = readFileSync(join(workspace, 'inference.flow'), 'utf8');
    const found = await client.waitForDiagnostics(inferenceUri, (ds) => ds.filter((d) => codeOf(d) === 'missing-schema').length === 3);
    const fixOn = async (name: string): Promise<string> => {
        const diagnostic = found.find((d) => codeOf(d) === 'missing-schema' && source.split('\n')[d.range.start.line].includes(`source ${name}`))!;
        const actions = (await client.codeActions(inferenceUri, diagnostic.range, [diagnostic]) ?? []) as CodeAction[];
        return actions.length === 0 ? '' : applyEdits(source, actions[0].edit?.changes?.[inferenceUri] ?? []);
    };
    const readings = await fixOn('readings');
    assert.ok(readings.includes([
        '    source readings: {', '        id: int', '        big: long', '        temp: double', '        note: string?',
        '        ok: boolean', '        at: timestamp', '        order_id: string', '    } = csv("data/readings.csv", delimiter: ";")'
    ].join('\n')), readings);
    const events = await fixOn('events');
    assert.ok(events.includes([
        '    source events: {', '        user: int', '        tags: string[]', '        score: double', '        at: timestamp?',
        '        extra: string?', '    } = jsonl("data/events.jsonl")'
    ].join('\n')), events);
    assert.equal(await fixOn('missing'), '', 'no fix is offered when the file cannot be read');
    const readingsFix = found.find((d) => codeOf(d) === 'missing-schema' && source.split('\n')[d.range.start.line].includes('source readings'))!;
    const [title] = ((await client.codeActions(inferenceUri, readingsFix.range, [readingsFix]) ?? []) as CodeAction[]).map((a) => a.title);
    assert.match(title, /header 'order id' as order_id: rename the column in the file to match/, 'a header that is not a name is pointed out');
});

test('a per-window ranking whose aggregate keeps no window column offers to add window.end, or to rank across windows', async () => {
    const source = [
        'import "schemas.flow"',
        'pipeline TopCustomers {',
        '    source orders: Order = csv("data/orders.csv") { watermark ts - 5s }',
        '    stream totals = orders | keyBy customer | window tumbling 1m on ts | aggregate { customer, total: sum(amount) }',
        '    stream top = totals | filter total > 0 | orderBy total desc | limit 3',
        '    sink top -> print',
        '}',
        ''
    ].join('\n');
    const topUri = await client.open('top-fixes.flow', source);
    const [diagnostic] = await client.waitForDiagnostics(topUri, (ds) => ds.some((d) => codeOf(d) === 'order-without-window'));
    assert.equal(codeOf(diagnostic), 'order-without-window');
    const actions = (await client.codeActions(topUri, diagnostic.range, [diagnostic]) ?? []) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.title), ["Add 'windowEnd: window.end' to the aggregate", "Rank all windows together: 'orderBy ... across windows'"]);
    const withColumn = applyEdits(source, actions[0].edit?.changes?.[topUri] ?? []);
    assert.ok(withColumn.includes('aggregate { customer, total: sum(amount), windowEnd: window.end }'), withColumn);
    await client.change(topUri, withColumn);
    assert.deepEqual(await client.waitForDiagnostics(topUri, (ds) => ds.length === 0), []);
    const across = applyEdits(source, actions[1].edit?.changes?.[topUri] ?? []);
    assert.ok(across.includes('| orderBy total desc across windows | limit 3'), across);
    await client.change(topUri, across);
    assert.deepEqual(await client.waitForDiagnostics(topUri, (ds) => ds.length === 0), []);
});

test('the server wrote nothing to stderr and logged no error', () => {
    assert.deepEqual(client.stderr, []);
    assert.deepEqual(client.errorLogs, []);
});

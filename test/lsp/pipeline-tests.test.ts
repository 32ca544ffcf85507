/**
 * Test blocks in the editor, through the language server over stdio: discovery
 * (`flowline/discoverTests`), diagnostics in test blocks as you type, completion of names and
 * records, hover, the outline and formatting. Workspace: test/lsp/fixtures/pipeline-tests.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, type CodeAction, type Diagnostic, type DocumentSymbol, type Hover } from 'vscode-languageserver-protocol';
import { FlowRequests, type DiscoveredTest, type DiscoverTestsParams } from '../../protocol/lsp-requests.js';
import { LspClient, REPO_ROOT, applyEdits, copyFixtureWorkspace, exampleFlowFiles, messageOf, positionOf, removeWorkspace } from './lsp-client.js';

let client: LspClient;
let workspace: string;
let scratch: string;

before(async () => {
    workspace = copyFixtureWorkspace('pipeline-tests');
    client = await LspClient.start({ workspace });
    scratch = await client.open('scratch.test.flow', 'import "shop.flow"\n');
    await client.waitForDiagnostics(scratch);
});

after(async () => {
    await client.stop();
    removeWorkspace(workspace);
});

const discover = (params: DiscoverTestsParams): Promise<DiscoveredTest[]> => client.connection.sendRequest(FlowRequests.discoverTests, params);
const hoverText = (h: Hover | null): string => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');
const HEADER = 'import "shop.flow"\n\n';
const GIVEN_ORDER = 'given orders = values({ id: 1, country: "DE", amount: 50.0, ts: timestamp "2026-01-01T10:00:00Z" })';

/** The text a diagnostic's range covers. */
function covered(text: string, d: Diagnostic): string {
    const lines = text.split('\n');
    if (d.range.start.line === d.range.end.line) return lines[d.range.start.line].slice(d.range.start.character, d.range.end.character);
    return [lines[d.range.start.line].slice(d.range.start.character), ...lines.slice(d.range.start.line + 1, d.range.end.line),
        lines[d.range.end.line].slice(0, d.range.end.character)].join('\n');
}

let cases = 0;

/** Opens `body` (after the import) as a new test file and waits for a diagnostic with `code`. */
async function diagnosticsOf(body: string, code: string): Promise<{ text: string; found: Diagnostic[] }> {
    const text = HEADER + body;
    const uri = await client.open(`case-${++cases}.test.flow`, text);
    const all = await client.waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === code));
    return { text, found: all.filter((d) => d.code === code) };
}

test('flowline/discoverTests lists the test blocks with their pipeline and the ranges of the block and of each expect line', async () => {
    const uri = client.uri('shop.test.flow');
    const text = readFileSync(join(workspace, 'shop.test.flow'), 'utf8');
    const lines = text.split('\n');
    const tests = await discover({ uri });
    assert.deepEqual(tests.map((t) => [t.id, t.name, t.pipeline, t.uri]), [
        [`${uri}::only orders above 10 count`, 'only orders above 10 count', 'Spend', uri],
        [`${uri}::a window fires at its end`, 'a window fires at its end', 'SpendPerMinute', uri]
    ]);
    const [first, second] = tests;
    assert.deepEqual(first.range, { start: positionOf(text, 'test "only'), end: { line: 6, character: 1 } });
    assert.equal(lines[second.range.start.line], 'test "a window fires at its end" for SpendPerMinute {');
    assert.equal(lines[second.range.end.line], '}');
    assert.deepEqual(first.expectations.map((e) => e.label), ['perCountry = 1 row', 'orders.deadLetter is empty']);
    for (const e of [...first.expectations, ...second.expectations]) {
        assert.equal(e.range.start.character, 4);
        assert.match(lines[e.range.start.line], /^ {4}expect /);
        assert.equal(e.range.end.character, lines[e.range.end.line].length, 'the range ends at the end of the expect line');
    }
});

test('tests are discovered as you type, also while the file has errors', async () => {
    const text = `${HEADER}test "first" for Spend {\n    ${GIVEN_ORDER}\n    expect perCountri is empty\n}\n\ntest "second" for Nope {\n}\n`;
    await client.change(scratch, text);
    const tests = await discover({ uri: scratch });
    assert.deepEqual(tests.map((t) => [t.name, t.pipeline, t.expectations.length]), [['first', 'Spend', 1], ['second', 'Nope', 0]]);
    assert.deepEqual(tests[1].range.start, positionOf(text, 'test "second"'));
});

const ERRORS: { what: string; body: string; code: string; covers: string; message?: RegExp; severity?: DiagnosticSeverity }[] = [
    { what: 'an unknown pipeline, with did-you-mean', body: 'test "t" for Spnd {\n}\n', code: 'unknown-pipeline', covers: 'Spnd', message: /Did you mean 'Spend'\?/ },
    {
        what: 'a given that names no source of the pipeline', body: 'test "t" for Spend {\n    given order = values()\n    expect big is empty\n}\n',
        code: 'unknown-given-source', covers: 'order', message: /Did you mean 'orders'\?/
    },
    {
        what: 'a given field of the wrong type', code: 'given-record', covers: '"1"', message: /'id' is int .* but this value is string/,
        body: 'test "t" for Spend {\n    given orders = values({ id: "1", country: "DE", amount: 1.0, ts: timestamp "2026-01-01T10:00:00Z" })\n    expect big is empty\n}\n'
    },
    {
        what: 'a given record without a required field', code: 'given-record', covers: '{ id: 1, country: "DE", amount: 1.0 }', message: /lacks 'ts'/,
        body: 'test "t" for Spend {\n    given orders = values({ id: 1, country: "DE", amount: 1.0 })\n    expect big is empty\n}\n'
    },
    {
        what: 'a given field the schema does not have', code: 'given-record', covers: 'amout', message: /did you mean 'amount'\?/,
        body: 'test "t" for Spend {\n    given orders = values({ id: 1, country: "DE", amount: 1.0, amout: 2.0, ts: timestamp "2026-01-01T10:00:00Z" })\n    expect big is empty\n}\n'
    },
    { what: 'a source neither given nor a seeded generator', body: 'test "t" for Spend {\n    expect big is empty\n}\n', code: 'source-not-given', covers: 'Spend', message: /does not give 'orders'/ },
    {
        what: 'an expectation on an unknown stream, with did-you-mean', code: 'unknown-stream', covers: 'perCountri', message: /Did you mean 'perCountry'\?/,
        body: `test "t" for Spend {\n    ${GIVEN_ORDER}\n    expect perCountri is empty\n}\n`
    },
    {
        what: 'an expected record that does not fit the stream', code: 'expected-record', covers: '"x"', message: /'total' is double in the schema of 'perCountry'/,
        body: `test "t" for Spend {\n    ${GIVEN_ORDER}\n    expect perCountry = values({ country: "DE", total: "x", n: 1 })\n}\n`
    },
    {
        what: 'two tests of the same name', code: 'duplicate-test', covers: '"t"',
        body: `test "t" for Spend {\n    ${GIVEN_ORDER}\n    expect big is empty\n}\n\ntest "t" for Spend {\n    ${GIVEN_ORDER}\n    expect big is empty\n}\n`
    },
    {
        what: 'a watermark step in a batch pipeline', code: 'watermark-in-batch-test', covers: 'then watermark 2026-01-01T10:00:00Z',
        body: `test "t" for Spend {\n    ${GIVEN_ORDER}\n    then watermark 2026-01-01T10:00:00Z\n    expect big is empty\n}\n`
    },
    {
        what: 'an ordered comparison of records in no defined order', code: 'unordered-comparison', covers: 'in order', severity: DiagnosticSeverity.Warning,
        body: `test "t" for Spend {\n    ${GIVEN_ORDER}\n    expect perCountry in order = values({ country: "DE", total: 50.0, n: 1 })\n}\n`
    },
    {
        what: 'a record given after the end of input', code: 'test-timeline', covers: GIVEN_ORDER, message: /after 'then end'/,
        body: `test "t" for SpendPerMinute {\n    then end\n    ${GIVEN_ORDER}\n    expect perMinute is empty\n}\n`
    }
];

for (const c of ERRORS) {
    test(`a test block with ${c.what} gets a ${c.code} diagnostic on exactly that text`, async () => {
        const { text, found } = await diagnosticsOf(c.body, c.code);
        assert.equal(found.length, 1, JSON.stringify(found));
        assert.equal(covered(text, found[0]), c.covers);
        assert.equal(found[0].severity, c.severity ?? DiagnosticSeverity.Error);
        if (c.message) assert.match(messageOf(found[0]), c.message);
    });
}

test('a valid test file has no diagnostics', async () => {
    const uri = await client.open('shop.test.flow');
    assert.deepEqual(await client.waitForDiagnostics(uri), []);
});

async function completionLabels(text: string, needle: string, offset = needle.length): Promise<string[]> {
    await client.change(scratch, text);
    return (await client.completion(scratch, positionOf(text, needle, offset))).map((i) => i.label);
}

test('completion after test ... for offers the pipelines of the imported file', async () => {
    const labels = await completionLabels(`${HEADER}test "t" for  {\n}\n`, 'for ');
    assert.ok(labels.includes('Spend') && labels.includes('SpendPerMinute'), labels.join(', '));
});

test('completion after given offers the sources of the pipeline under test, and after expect its streams and sources', async () => {
    const given = await completionLabels(`${HEADER}test "t" for Spend {\n    given \n}\n`, 'given ');
    assert.ok(given.includes('orders'), given.join(', '));
    assert.ok(!given.includes('perCountry'), 'streams are not given');
    const expected = await completionLabels(`${HEADER}test "t" for Spend {\n    ${GIVEN_ORDER}\n    expect \n}\n`, 'expect ');
    for (const name of ['orders', 'big', 'perCountry', 'failure']) assert.ok(expected.includes(name), `${name} in ${expected.join(', ')}`);
});

test('completion offers the keywords of a test block and of an expectation', async () => {
    const steps = await completionLabels(`${HEADER}test "t" for Spend {\n    \n}\n`, 'Spend {\n    ');
    for (const word of ['given', 'expect', 'then']) assert.ok(steps.includes(word), `${word} in ${steps.join(', ')}`);
    const options = await completionLabels(`${HEADER}test "t" for Spend {\n    ${GIVEN_ORDER}\n    expect perCountry \n}\n`, 'expect perCountry ');
    for (const word of ['is', 'matches', 'in', 'within', 'count']) assert.ok(options.includes(word), `${word} in ${options.join(', ')}`);
});

test('completion of a given or expected value writes values({...}) with every field of the schema as placeholders', async () => {
    let text = `${HEADER}test "t" for Spend {\n    given orders = \n}\n`;
    await client.change(scratch, text);
    let items = await client.completion(scratch, positionOf(text, 'orders = ', 'orders = '.length));
    const values = items.find((i) => i.label === 'values');
    assert.equal(values?.insertText, 'values({ id: ${1:0}, country: ${2:""}, amount: ${3:0.0}, ts: ${4:timestamp "2026-01-01T00:00:00Z"} })');
    assert.ok(items.some((i) => i.label === 'csv'), 'a fixture file');
    assert.ok(!items.some((i) => i.label === 'datagen'), 'a given is rows or a file');
    text = `${HEADER}test "t" for Spend {\n    ${GIVEN_ORDER}\n    expect perCountry = \n}\n`;
    await client.change(scratch, text);
    items = await client.completion(scratch, positionOf(text, 'perCountry = ', 'perCountry = '.length));
    assert.deepEqual(items.map((i) => [i.label, i.insertText]), [['values', 'values({ country: ${1:""}, total: ${2:0.0}, n: ${3:0} })']]);
});

test('hover on a watermark step shows the instant, on the pipeline name its declaration', async () => {
    const uri = client.uri('shop.test.flow');
    const text = readFileSync(join(workspace, 'shop.test.flow'), 'utf8');
    const time = hoverText(await client.hover(uri, positionOf(text, '2026-01-01T10:01:00Z', 3)));
    assert.match(time, /2026-01-01T10:01:00\.000Z/);
    assert.match(time, /1767261660000/);
    const pipeline = hoverText(await client.hover(uri, positionOf(text, 'for Spend', 5)));
    assert.match(pipeline, /pipeline Spend/);
    assert.match(pipeline, /Spend per country of the orders above 10/);
});

test('the outline lists the tests with their expect lines', async () => {
    const symbols = await client.documentSymbols(client.uri('shop.test.flow')) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => [s.name, s.detail, s.children?.map((c) => c.name)]), [
        ['only orders above 10 count', 'test for Spend', ['expect perCountry = 1 row', 'expect orders.deadLetter is empty']],
        ['a window fires at its end', 'test for SpendPerMinute', ['expect perMinute = 1 row']]
    ]);
});

test('formatting lays a test block out one step per line, indented, with single spaces', async () => {
    const messy = `${HEADER}test   "t"   for Spend{\ngiven orders=values({ id: 1, country: "DE", amount: 50.0, ts: timestamp "2026-01-01T10:00:00Z" })\n`
        + `        expect perCountry   in order   within 0.5=values({ country: "DE", total: 50.0, n: 1 })\n  expect orders . deadLetter count 0\n}\n`;
    await client.change(scratch, messy);
    const formatted = applyEdits(messy, await client.format(scratch) ?? []);
    assert.equal(formatted, `${HEADER}test "t" for Spend {\n    ${GIVEN_ORDER}\n`
        + '    expect perCountry in order within 0.5 = values({ country: "DE", total: 50.0, n: 1 })\n    expect orders.deadLetter count 0\n}\n');
    await client.change(scratch, formatted);
    assert.deepEqual(await client.format(scratch) ?? [], [], 'a formatted test block formats to itself');
});

test('quick fixes give a test the sources it lacks, with every field to fill in, and correct a misspelled pipeline', async () => {
    const { text, found } = await diagnosticsOf('test "t" for Spend {\n    expect big is empty\n}\n', 'source-not-given');
    const uri = client.uri(`case-${cases}.test.flow`);
    const [give] = (await client.codeActions(uri, found[0].range, found) ?? []) as CodeAction[];
    assert.equal(give.title, "Give 'orders' inline records");
    const fixed = applyEdits(text, give.edit!.changes![uri]);
    assert.equal(fixed, `${HEADER}test "t" for Spend {\n    given orders = values({ id: 0, country: "", amount: 0.0, ts: timestamp "2026-01-01T00:00:00Z" })\n    expect big is empty\n}\n`);
    await client.change(uri, fixed);
    assert.deepEqual(await client.waitForDiagnostics(uri, (ds) => !ds.some((d) => d.code === 'source-not-given')), []);
    const typo = await diagnosticsOf('test "t" for Spnd {\n}\n', 'unknown-pipeline');
    const actions = (await client.codeActions(client.uri(`case-${cases}.test.flow`), typo.found[0].range, typo.found) ?? []) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.title), ["Change to 'Spend'"]);
});

test('the examples\' test files are laid out as the formatter lays them out', async () => {
    const files = exampleFlowFiles().filter((f) => f.endsWith('.test.flow'));
    assert.ok(files.length >= 8, files.join(', '));
    for (const file of files) {
        const text = readFileSync(join(REPO_ROOT, file), 'utf8');
        const uri = await client.open(file.replaceAll('/', '-'), text);
        await client.waitForDiagnostics(uri); // built: the server formats a document it has parsed
        assert.equal(applyEdits(text, await client.format(uri) ?? []), text, `${file} is formatted`);
    }
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FIXTURES, LspClient, REPO_ROOT, applyEdits, copyFixtureWorkspace, exampleFlowFiles, removeWorkspace } from './lsp-client.js';

let client: LspClient;
let workspace: string;

before(async () => {
    workspace = copyFixtureWorkspace('formatting');
    client = await LspClient.start({ workspace });
});

after(async () => {
    await client.stop();
    removeWorkspace(workspace);
});

/** Opens `text` under `name` and returns it formatted by the server. */
async function format(name: string, text: string): Promise<string> {
    const uri = client.uri(name);
    if (client.diagnosticsOf(uri) === undefined) await client.open(name, text);
    else await client.change(uri, text);
    return applyEdits(text, await client.format(uri) ?? []);
}

test('formatting a messy file gives the golden layout: spacing, indentation, one blank line between top-level elements, comments kept', async () => {
    const messy = readFileSync(join(FIXTURES, 'formatting/messy.flow'), 'utf8');
    const golden = readFileSync(join(FIXTURES, 'formatting/messy.formatted.flow'), 'utf8');
    assert.equal(await format('messy.flow', messy), golden);
});

test('a formatted file formats to itself', async () => {
    const golden = readFileSync(join(FIXTURES, 'formatting/messy.formatted.flow'), 'utf8');
    assert.equal(await format('golden.flow', golden), golden);
});

test('formatting every example is idempotent and keeps its meaning-bearing text', async () => {
    const examples = exampleFlowFiles();
    assert.ok(examples.length > 0, 'there are examples to format');
    for (const file of examples) {
        const original = readFileSync(join(REPO_ROOT, file), 'utf8');
        const name = relative(REPO_ROOT, join(REPO_ROOT, file)).replaceAll('/', '-');
        const once = await format(name, original);
        const twice = await format(name, once);
        assert.equal(twice, once, `${file} formats to itself once formatted`);
        assert.equal(once.replace(/\s+/g, ''), original.replace(/\s+/g, ''), `${file}: formatting only changes white space`);
    }
});

test('a file with a syntax error is left alone rather than formatted from a broken tree', async () => {
    const broken = 'pipeline P {\n  stream s =   | filter\n}\n';
    assert.equal(await format('broken.flow', broken), broken);
});

test('the server wrote nothing to stderr and logged no error', () => {
    assert.deepEqual(client.stderr, []);
    assert.deepEqual(client.errorLogs, []);
});

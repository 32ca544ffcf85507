/**
 * The editor side of this session's language types, through a real LSP connection: completion
 * after a dot on a nested record (`origin.device.`), hover on nested members and on the name of a
 * `keyBy <expression> as name` key, and diagnostics for calendar intervals used as values.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompletionItemKind, type Hover } from 'vscode-languageserver-protocol';
import { LspClient, copyFixtureWorkspace, messageOf, positionOf, removeWorkspace } from './lsp-client.js';

let client: LspClient;
let workspace: string;
let uri: string;
let text: string;

before(async () => {
    workspace = copyFixtureWorkspace('language-types');
    client = await LspClient.start({ workspace });
    text = readFileSync(join(workspace, 'bids.flow'), 'utf8');
    uri = await client.open('bids.flow');
    const diagnostics = await client.waitForDiagnostics(uri);
    assert.deepEqual(diagnostics.map(messageOf), [], 'the fixture checks clean');
});

after(async () => {
    await client.stop();
    removeWorkspace(workspace);
});

const hoverText = (h: Hover | null): string => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');

test('completion after a nested record and a dot offers that record\'s fields with their types', async () => {
    const first = await client.completion(uri, positionOf(text, 'origin.device.os ==', 'origin.'.length));
    assert.deepEqual(first.filter((i) => i.kind === CompletionItemKind.Field).map((i) => i.label).sort(), ['channel', 'device', 'url']);
    const second = await client.completion(uri, positionOf(text, 'origin.device.os ==', 'origin.device.'.length));
    const fields = second.filter((i) => i.kind === CompletionItemKind.Field).map((i) => `${i.label}: ${i.detail ?? ''}`).sort();
    assert.deepEqual(fields.map((f) => f.split(':')[0]), ['os', 'version']);
});

test('completion while typing a new member after x.b. lists the inner record\'s fields', async () => {
    const edited = text.replace('| map { auction, os: origin.device.os }', '| map { auction, os: origin.device. }');
    await client.change(uri, edited);
    const items = await client.completion(uri, positionOf(edited, 'os: origin.device. }', 'os: origin.device.'.length));
    assert.deepEqual(items.filter((i) => i.kind === CompletionItemKind.Field).map((i) => i.label).sort(), ['os', 'version']);
    await client.change(uri, text);
});

test('hovering a nested member shows its type, and the name of a computed key shows the key and its type', async () => {
    assert.match(hoverText(await client.hover(uri, positionOf(text, 'origin.device.os ==', 'origin.device.'.length))), /os: string/);
    assert.match(hoverText(await client.hover(uri, positionOf(text, 'as day', 'as '.length))), /day: timestamp[\s\S]*date_trunc\("day", dateTime\)/);
    assert.match(hoverText(await client.hover(uri, positionOf(text, '{ day, n', 2))), /day: timestamp/);
});

test('a calendar interval alone is an error, and added to an int an operand-type error naming the interval', async () => {
    const edited = text.replace('renewal: day + 1 month', 'renewal: 1 month, bad: max(price) + 2 days');
    await client.change(uri, edited);
    const messages = (await client.waitForDiagnostics(uri, (d) => d.length >= 2)).map(messageOf);
    assert.ok(messages.some((m) => /A calendar interval \('1 month'\) is not a value/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /A calendar interval \('2 days'\) moves a timestamp or a date .* cannot be applied to long with '\+'/.test(m)), messages.join('\n'));
    await client.change(uri, text);
});

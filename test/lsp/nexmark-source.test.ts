/**
 * The Nexmark sources in the editor: completion offers them as source connectors, hovers document
 * them and their fields' types, and the checker types their fields and refuses a declared schema.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionItemKind, type Hover } from 'vscode-languageserver-protocol';
import { LspClient, copyFixtureWorkspace, messageOf, positionOf, removeWorkspace } from './lsp-client.js';

let client: LspClient;
let workspace: string;

const text = `pipeline auctions {
    mode streaming
    source bid = nexmark.bid(events: 1000, seed: 3) { watermark dateTime - 4s }
    stream expensive = bid | filter price > 1000000 | map { auction, euros: 0.908 * price, dateTime }
    sink expensive -> print
}
`;

before(async () => {
    workspace = copyFixtureWorkspace('workspace');
    client = await LspClient.start({ workspace });
});

after(async () => {
    await client.stop();
    removeWorkspace(workspace);
});

const hoverText = (h: Hover | null): string => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');

test('a pipeline reading nexmark.bid checks clean, and completion in its filter offers the bid fields with their types', async () => {
    const uri = await client.open('nexmark-ok.flow', text);
    assert.deepEqual((await client.waitForDiagnostics(uri)).map(messageOf), []);
    const items = await client.completion(uri, positionOf(text, 'price > 1000000'));
    const fields = items.filter((i) => i.kind === CompletionItemKind.Field).map((i) => `${i.label}: ${i.detail}`);
    assert.deepEqual(fields, ['auction: long', 'bidder: long', 'price: long', 'channel: string', 'url: string', 'dateTime: timestamp', 'extra: string']);
});

test('completion after a source\'s = offers the three Nexmark sources beside datagen', async () => {
    const draft = 'pipeline p {\n    source s = \n}\n';
    const uri = await client.open('nexmark-complete.flow', draft);
    await client.waitForDiagnostics(uri);
    const labels = (await client.completion(uri, positionOf(draft, 's = ', 4))).map((i) => i.label);
    for (const name of ['nexmark.person', 'nexmark.auction', 'nexmark.bid', 'datagen']) assert.ok(labels.includes(name), `${name} in ${labels.join(', ')}`);
    const partial = 'pipeline p {\n    source s = nexmark.b\n}\n';
    const partialUri = await client.open('nexmark-partial.flow', partial);
    await client.waitForDiagnostics(partialUri);
    assert.deepEqual((await client.completion(partialUri, positionOf(partial, '.b', 2))).map((i) => i.label), ['nexmark.bid']);
});

test('hovering nexmark.bid shows its options and the event time advice', async () => {
    const uri = await client.open('nexmark-hover.flow', text);
    await client.waitForDiagnostics(uri);
    const hover = hoverText(await client.hover(uri, positionOf(text, 'nexmark.bid', 'nexmark.'.length + 1)));
    assert.match(hover, /events/);
    assert.match(hover, /watermark dateTime - 4s/);
});

test('a declared schema on a Nexmark source and an unbounded one in batch mode are errors that say what to do', async () => {
    const bad = `pipeline p {
    mode batch
    source person: { id: long } = nexmark.person(seed: 1)
    sink person -> print
}
`;
    const uri = await client.open('nexmark-bad.flow', bad);
    const messages = (await client.waitForDiagnostics(uri, (d) => d.length >= 2)).map(messageOf);
    assert.ok(messages.some((m) => /A Nexmark source has the fields of its event kind/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /unbounded \(nexmark without events\)/.test(m)), messages.join('\n'));
});

/**
 * The pipeline header's fault-tolerance settings (`checkpoint every ...`, `restart ...`) through
 * the language server: completion offers them with the grammar's docs, hovers say what they mean
 * for this pipeline with Flink's defaults filled in, the formatter lays them out, and their words
 * stay usable as names elsewhere.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspClient, applyEdits, copyFixtureWorkspace, positionOf, removeWorkspace } from './lsp-client.js';

let client: LspClient;
let workspace: string;
let uri: string;
let text: string;

before(async () => {
    workspace = copyFixtureWorkspace('fault-tolerance');
    client = await LspClient.start({ workspace });
    text = readFileSync(join(workspace, 'sensors.flow'), 'utf8');
    uri = await client.open('sensors.flow');
    await client.waitForDiagnostics(uri);
});

after(async () => {
    await client.stop();
    removeWorkspace(workspace);
});

const hoverText = (h: Hover | null): string => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');

test('a file whose fields, functions and connector options are named like the settings\' words checks clean', () => {
    assert.deepEqual(client.diagnosticsOf(uri), []);
});

test('completion at the start of a pipeline member offers checkpoint and restart, documented from the grammar', async () => {
    const items = await client.completion(uri, positionOf(text, '    parallelism 2', 4));
    const checkpoint = items.find((i) => i.label === 'checkpoint');
    const restart = items.find((i) => i.label === 'restart');
    assert.match(JSON.stringify(checkpoint?.documentation), /execution\.checkpointing\.interval/);
    assert.match(JSON.stringify(restart?.documentation), /Flink's restart strategies/);
});

test('completion after restart offers the four strategies; after an interval the two guarantees', async () => {
    const edited = text.replace('restart fixed 3 delay 2s', 'restart ').replace('checkpoint every 1m at least once', 'checkpoint every 1m ');
    await client.change(uri, edited);
    try {
        const strategies = (await client.completion(uri, positionOf(edited, 'restart ', 'restart '.length))).map((i) => i.label);
        for (const word of ['fixed', 'exponential', 'failure', 'none']) assert.ok(strategies.includes(word), `${word} in ${strategies.join(' ')}`);
        const guarantees = (await client.completion(uri, positionOf(edited, 'every 1m ', 'every 1m '.length))).map((i) => i.label);
        for (const word of ['exactly', 'at']) assert.ok(guarantees.includes(word), `${word} in ${guarantees.join(' ')}`);
    } finally {
        await client.change(uri, text);
    }
});

test('hovering checkpoint says how often and with which guarantee this pipeline checkpoints', async () => {
    assert.match(hoverText(await client.hover(uri, positionOf(text, 'checkpoint every 10s'))), /\*\*This pipeline\*\*: a checkpoint every 10s, exactly once\./);
    assert.match(hoverText(await client.hover(uri, positionOf(text, 'least once'))), /every 1m, at least once/);
});

test('hovering a restart strategy explains it with Flink\'s defaults for what the text leaves out', async () => {
    assert.match(hoverText(await client.hover(uri, positionOf(text, 'restart fixed'))), /fixed delay: up to 3 restarts, 2s apart/);
    const exponential = hoverText(await client.hover(uri, positionOf(text, 'exponential max')));
    assert.match(exponential, /Flink's\s+exponential-delay/);
    assert.match(exponential, /exponential delay: 1s, then ×1\.5 per failure up to 5m, back to 1s after 1h without failure; no limit of restarts/);
});

test('the formatter puts one space between the settings\' words and keeps them on their lines', async () => {
    const messy = 'pipeline P {\nmode   streaming\n  checkpoint   every 10s   exactly  once\n restart  failure   rate 3   per 5m delay   1s\n'
        + '    source n = datagen(rate: 1) {\n        x: long = sequence(1)\n    }\n    sink n -> print\n}\n';
    const name = 'messy-settings.flow';
    const messyUri = await client.open(name, messy);
    const formatted = applyEdits(messy, await client.format(messyUri) ?? []);
    assert.equal(formatted, 'pipeline P {\n    mode streaming\n    checkpoint every 10s exactly once\n    restart failure rate 3 per 5m delay 1s\n'
        + '    source n = datagen(rate: 1) {\n        x: long = sequence(1)\n    }\n    sink n -> print\n}\n');
    const exponential = 'pipeline Q {\n    mode streaming\n    restart exponential   delay 1s max 1m  multiplier 2.5 reset  after 10m attempts  4\n'
        + '    source n = datagen(rate: 1) {\n        x: long = sequence(1)\n    }\n    sink n -> print\n}\n';
    const exponentialUri = await client.open('exponential.flow', exponential);
    assert.equal(applyEdits(exponential, await client.format(exponentialUri) ?? []),
        exponential.replace('exponential   delay 1s max 1m  multiplier 2.5 reset  after 10m attempts  4', 'exponential delay 1s max 1m multiplier 2.5 reset after 10m attempts 4'));
});

test('the server wrote nothing to stderr and logged no error', () => {
    assert.deepEqual(client.stderr, []);
    assert.deepEqual(client.errorLogs, []);
});

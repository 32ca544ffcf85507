/**
 * The lowering of test blocks (language/src/testing/) over real files: the fixture
 * test/fixtures/valid/tests/shop.test.flow, loaded with what it imports, as `flowline test` loads
 * it. Checks what the runner relies on: given sources replaced in the graph, expectations
 * resolved to the nodes protocol/stream-nodes.ts names, the timeline of steps, locations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildTestPlans } from '../../language/src/testing/build-test-plans.js';
import type { SourceConfig } from '../../protocol/logical-graph.js';
import type { PipelineTestPlan, TestExpectStep } from '../../protocol/pipeline-tests.js';
import { streamOutputNode } from '../../protocol/stream-nodes.js';
import { REPO_ROOT } from '../support/run-cli.js';

const DIR = path.join(REPO_ROOT, 'test/fixtures/valid/tests');
const FILE = path.join(DIR, 'shop.test.flow');
const LINES = readFileSync(FILE, 'utf8').split('\n');
const at = (iso: string) => Date.parse(iso);

async function plans(): Promise<PipelineTestPlan[]> {
    const result = await buildTestPlans(FILE);
    assert.deepEqual(result.diagnostics, []);
    return result.plans;
}

function plan(all: PipelineTestPlan[], name: string): PipelineTestPlan {
    const found = all.find((p) => p.name === name);
    assert.ok(found, `no plan "${name}" among ${all.map((p) => p.name).join(', ')}`);
    return found;
}

const expects = (p: PipelineTestPlan) => p.steps.filter((s): s is TestExpectStep => s.kind === 'expect');
const sourceConfig = (p: PipelineTestPlan, id: string) => p.graph.nodes.find((n) => n.id === id)!.config as SourceConfig;

test('every test block of a file becomes one plan, in order, with its id, file, pipeline and the range of its block', async () => {
    const all = await plans();
    const uri = pathToFileURL(FILE).href;
    assert.deepEqual(all.map((p) => [p.name, p.pipeline]), [
        ['only orders above 10 count', 'Spend'],
        ['a malformed row of a fixture file goes to the dead letters', 'Spend'],
        ['a window emits once the watermark passes its end; later records are late', 'SpendPerMinute'],
        ['an order without items fails the run', 'Split']
    ]);
    for (const p of all) {
        assert.equal(p.file, uri);
        assert.equal(p.id, `${uri}::${p.name}`);
        assert.equal(p.location.uri, uri);
        assert.ok(LINES[p.location.range.start.line].startsWith(`test "${p.name}"`));
    }
});

test('given values replace the source as a values source with typed rows, keeping its schema, onError and sinks', async () => {
    const p = plan(await plans(), 'only orders above 10 count');
    const config = sourceConfig(p, 'Spend/source/orders');
    assert.equal(config.connector, 'values');
    assert.equal(config.bounded, true);
    assert.equal(config.onError, 'deadLetter');
    assert.deepEqual(config.values, [
        { id: 1, country: 'DE', amount: 50, ts: at('2026-01-01T10:00:00Z') },
        { id: 2, country: 'DE', amount: 5, ts: at('2026-01-01T10:00:01Z') }
    ]);
    assert.equal(config.path, undefined);
    const source = p.graph.nodes.find((n) => n.id === 'Spend/source/orders')!;
    assert.deepEqual(source.schema.map((f) => f.name), ['id', 'country', 'amount', 'ts']);
    assert.deepEqual(source.sideOutputs, ['deadLetter']);
    assert.equal(p.graph.nodes.filter((n) => n.config.kind === 'sink').length, 3, 'every sink is kept for the runner to swap');
});

test('expectations name the node whose output is the stream, as taps do, and keep their options', async () => {
    const p = plan(await plans(), 'only orders above 10 count');
    const steps = expects(p);
    assert.deepEqual(steps.map((s) => s.target), [
        { stream: 'perCountry', nodeIds: [streamOutputNode(p.graph, 'perCountry')!.id] },
        { stream: 'ranked', nodeIds: ['Spend/ranked/0-orderBy'] },
        // `stream everything = big` has no operator of its own: its records are big's.
        { stream: 'everything', nodeIds: ['Spend/big/0-filter'] },
        { deadLetterOf: 'orders', nodeId: 'Spend/source/orders' },
        { stream: 'perCountry', nodeIds: ['Spend/perCountry/1-aggregate'] }
    ]);
    assert.deepEqual(steps.map((s) => s.expectation), [
        { kind: 'rows', rows: [{ country: 'DE', total: 50, n: 1 }], inOrder: false },
        { kind: 'rows', rows: [{ country: 'DE', total: 50, n: 1 }], inOrder: true, tolerance: 0.001 },
        { kind: 'rows', rows: [{ id: 1, country: 'DE', amount: 50, ts: at('2026-01-01T10:00:00Z') }], inOrder: false },
        { kind: 'empty' },
        { kind: 'snapshot', snapshotPath: path.join(DIR, '__snapshots__', 'shop.test.flow.only-orders-above-10-count.perCountry.jsonl') }
    ]);
    assert.deepEqual(steps.map((s) => s.label), [
        'perCountry = 1 row', 'ranked in order within 0.001 = 1 row', 'everything = 1 row', 'orders.deadLetter is empty', 'perCountry matches snapshot'
    ]);
    for (const id of steps.flatMap((s) => 'nodeIds' in s.target ? s.target.nodeIds : 'nodeId' in s.target ? [s.target.nodeId] : [])) {
        assert.ok(p.graph.nodes.some((n) => n.id === id), `${id} is a node of the graph`);
    }
});

test('each expect step points at its own line, so a failure can be shown there', async () => {
    for (const p of await plans()) {
        for (const step of expects(p)) {
            assert.equal(step.location.uri, p.file);
            assert.match(LINES[step.location.range.start.line].trim(), /^expect /);
            assert.ok(LINES[step.location.range.start.line].includes(step.label.split(' ')[0]), `${step.label} on line ${step.location.range.start.line + 1}`);
        }
    }
});

test('a batch test without then steps ends its input after the last given, so the expectations see the finished run', async () => {
    const all = await plans();
    assert.deepEqual(plan(all, 'only orders above 10 count').steps.map((s) => s.kind), ['given', 'end', 'expect', 'expect', 'expect', 'expect', 'expect']);
    const failing = plan(all, 'an order without items fails the run');
    assert.deepEqual(failing.steps.map((s) => s.kind), ['given', 'end', 'expect']);
    assert.deepEqual(expects(failing)[0].target, { failure: true });
    assert.deepEqual(expects(failing)[0].expectation, { kind: 'failure', messageContains: 'division by zero' });
});

test('a fixture file replaces the source as that connector, with its path resolved beside the test file', async () => {
    const p = plan(await plans(), 'a malformed row of a fixture file goes to the dead letters');
    const config = sourceConfig(p, 'Spend/source/orders');
    assert.equal(config.connector, 'csv');
    assert.equal(config.path, path.join(DIR, 'fixtures', 'orders.csv'));
    assert.equal(config.values, undefined);
    assert.equal(config.onError, 'deadLetter');
    assert.deepEqual(p.steps[0], { kind: 'given', source: 'orders', nodeId: 'Spend/source/orders', rows: 'all', location: p.steps[0].location });
    assert.deepEqual(expects(p)[0].expectation, { kind: 'count', count: 1 });
});

test('a streaming test is a timeline: givens, watermarks in epoch ms, expectations and the end where they are written', async () => {
    const p = plan(await plans(), 'a window emits once the watermark passes its end; later records are late');
    assert.equal(p.graph.mode, 'streaming');
    assert.deepEqual(p.steps.map((s) => s.kind === 'watermark' ? `watermark ${s.time}` : s.kind === 'given' ? `given ${s.rows}` : s.kind), [
        'given 1', `watermark ${at('2026-01-01T10:00:59Z')}`, 'expect', `watermark ${at('2026-01-01T10:01:00Z')}`, 'expect', 'given 1', 'end', 'expect'
    ]);
    const config = sourceConfig(p, 'SpendPerMinute/source/orders');
    assert.deepEqual(config.values?.map((r) => r.id), [1, 2], 'the rows of every given of a source, in order');
    assert.deepEqual(config.watermark, { field: 'ts', delayMs: 5000 });
    const source = p.graph.nodes.find((n) => n.id === 'SpendPerMinute/source/orders')!;
    assert.equal(source.parallelism, 1, 'a values source is read by one subtask');
    assert.deepEqual(expects(p).map((s) => s.target), [
        { stream: 'perMinute', nodeIds: ['SpendPerMinute/perMinute/2-aggregate'] },
        { stream: 'perMinute', nodeIds: ['SpendPerMinute/perMinute/2-aggregate'] },
        { lateOf: 'perMinute', nodeId: 'SpendPerMinute/perMinute/2-aggregate' }
    ]);
    assert.deepEqual(expects(p)[1].expectation, { kind: 'rows', rows: [{ country: 'DE', n: 1, minute: at('2026-01-01T10:00:00Z') }], inOrder: false });
});

test('without then end, a test with watermark steps ends its input after its last step', async () => {
    const result = await buildTestPlans(path.join(REPO_ROOT, 'test/fixtures/invalid/tests/warnings.test.flow'));
    assert.ok(result.diagnostics.every((d) => d.severity === 'warning'), JSON.stringify(result.diagnostics));
    const ticks = plan(result.plans, 'a watermark where nothing has event time');
    assert.deepEqual(ticks.steps.map((s) => s.kind), ['given', 'watermark', 'expect', 'end']);
});

test('a file with errors gets no plans, only its diagnostics with file, line and code', async () => {
    const result = await buildTestPlans(path.join(REPO_ROOT, 'test/fixtures/invalid/tests/given-records.test.flow'));
    assert.deepEqual(result.plans, []);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    assert.ok(errors.length > 0);
    assert.ok(errors.every((d) => d.file.endsWith('given-records.test.flow') && d.line > 0
        && ['given-record', 'given-connector', 'missing-input-file'].includes(d.code)), JSON.stringify(errors));
});

/**
 * The three levels of the job graph view, computed from the golden LogicalGraph of the word
 * count example (what the language server sends the webview).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import { graphAt } from '../../client/src/webviews/job-graph/browser/graph-levels.js';
import { backpressureLevel } from '../../client/src/webviews/job-graph/browser/job-state-overlay.js';

const graphs = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'golden', 'graphs', 'word-count--word-count.json'), 'utf8')) as LogicalGraph[];
const wordCount = graphs.find((g) => g.pipeline === 'WordCount')!;

test('the logical level draws one box per operator, shaped by kind, with ship strategies on the edges', () => {
    const drawn = graphAt('logical', wordCount);
    assert.equal(drawn.nodes.length, wordCount.nodes.length);
    assert.deepEqual(drawn.nodes.map((n) => n.shape), ['source', 'operator', 'operator', 'operator', 'operator', 'operator', 'sink', 'sink']);
    assert.deepEqual(drawn.edges.map((e) => e.label), wordCount.edges.map((e) => e.ship));
});

test('the job level chains forward edges of equal parallelism into one task, as the runtime does', () => {
    const drawn = graphAt('job', wordCount);
    assert.deepEqual(drawn.nodes.map((n) => n.label), [
        'source: lines', 'flatMap -> filter', 'aggregate', 'orderBy -> limit', 'sink: print', 'sink: csv'
    ]);
    assert.deepEqual(drawn.nodes.map((n) => n.parallelism), [2, 2, 2, 1, 1, 1]);
    assert.deepEqual(drawn.nodes[1].nodeIds, ['WordCount/words/1-flatMap', 'WordCount/words/2-filter']);
});

test('the execution level draws a box per subtask, all-to-all across a hash exchange and one-to-one on forward edges', () => {
    const drawn = graphAt('execution', wordCount);
    assert.equal(drawn.nodes.length, 2 + 2 + 2 + 1 + 1 + 1);
    const between = (from: string, to: string) => drawn.edges.filter((e) => e.source.startsWith(from) && e.target.startsWith(to));
    assert.equal(between('WordCount/words/1-flatMap#', 'WordCount/counts/1-aggregate#').length, 4, 'HASH: 2 x 2');
    // The text source reads its file as splits at the pipeline's parallelism; the example rebalances after it.
    assert.equal(between('WordCount/source/lines#', 'WordCount/words/1-flatMap#').length, 4, 'REBALANCE: 2 x 2');
    assert.equal(between('WordCount/counts/2-orderBy#', 'WordCount/sink/0#').length, 1, 'FORWARD: 1 to 1');
});

test('back-pressure levels follow Flink: OK up to 10 %, LOW up to 50 %, HIGH above', () => {
    assert.deepEqual([0, 0.1, 0.11, 0.5, 0.51, 1].map(backpressureLevel), ['ok', 'ok', 'low', 'low', 'high', 'high']);
});

test('every drawn edge names the node whose output it carries, which Peek Records taps', () => {
    const logical = graphAt('logical', wordCount);
    assert.deepEqual(logical.edges.map((e) => e.sourceNode), wordCount.edges.map((e) => e.source));
    // Chained into one task, flatMap -> filter leaves the task from the filter.
    const job = graphAt('job', wordCount);
    const fromChain = job.edges.filter((e) => e.source === job.nodes[1].id);
    assert.ok(fromChain.length > 0 && fromChain.every((e) => e.sourceNode === 'WordCount/words/2-filter'), JSON.stringify(fromChain));
    const execution = graphAt('execution', wordCount);
    assert.ok(execution.edges.every((e) => wordCount.nodes.some((n) => n.id === e.sourceNode)));
});

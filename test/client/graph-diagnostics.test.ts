/**
 * Diagnostics land on the graph node whose source range holds them (the job graph view marks
 * those nodes), using the golden word-count graph's source locations.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import type { FlowDiagnostic } from '../../protocol/lsp-requests.js';
import { diagnosticsByNode } from '../../client/src/webviews/job-graph/browser/svg-renderer.js';

const graphs = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'golden', 'graphs', 'word-count--word-count.json'), 'utf8')) as LogicalGraph[];
const wordCount = graphs.find((g) => g.pipeline === 'WordCount')!;

function at(line: number, from: number, to: number, message: string): FlowDiagnostic {
    return { severity: 'warning', message, range: { start: { line, character: from }, end: { line, character: to } } };
}

test('a diagnostic inside an operator marks that operator\'s node', () => {
    const byNode = diagnosticsByNode(wordCount.nodes, [at(13, 17, 21, 'in the filter'), at(22, 19, 24, 'on the print sink')]);
    assert.deepEqual([...byNode.keys()].sort(), ['WordCount/sink/0', 'WordCount/words/2-filter']);
    assert.equal(byNode.get('WordCount/words/2-filter')![0].message, 'in the filter');
});

test('a diagnostic outside every node marks none', () => {
    assert.equal(diagnosticsByNode(wordCount.nodes, [at(0, 0, 3, 'in the doc comment')]).size, 0);
});

/**
 * Golden runs of the examples: every pipeline of every example whose sources are bounded runs
 * through `flowline run`, and what its print sinks write must equal the committed output (as a
 * multiset of lines: subtasks interleave their prints). Regenerate after an intended change with
 * `UPDATE_GOLDEN=1 node --import tsx --test test/runtime/example-runs.test.ts`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

const GOLDEN_DIR = path.join(REPO_ROOT, 'test', 'golden', 'runs');
const update = process.env.UPDATE_GOLDEN === '1';

/**
 * Example folders left out: the Nexmark queries run a million generated events each into collect
 * sinks (nothing printed); their results are checked against the official queries on a real Flink
 * by test/nexmark/nexmark-parity.test.ts instead.
 */
const NOT_GOLDEN_RUN = new Set(['nexmark']);

function exampleFiles(): string[] {
    const root = path.join(REPO_ROOT, 'examples');
    return readdirSync(root).filter((d) => statSync(path.join(root, d)).isDirectory() && !NOT_GOLDEN_RUN.has(d)).flatMap((dir) =>
        readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.flow') && f !== 'schemas.flow' && !f.endsWith('.test.flow')).map((f) => path.join('examples', dir, f)));
}

async function boundedPipelines(file: string): Promise<string[]> {
    const result = await runCli(['graph', file]);
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as LogicalGraph | LogicalGraph[];
    const graphs = Array.isArray(json) ? json : [json];
    return graphs.filter((g) => g.nodes.every((n) => n.config.kind !== 'source' || n.config.bounded)).map((g) => g.pipeline);
}

function sortedLines(text: string): string[] {
    return text.split('\n').filter((l) => l.length > 0).sort();
}

for (const file of exampleFiles()) {
    test(`every bounded pipeline of ${file} prints its golden output through flowline run`, async () => {
        const pipelines = await boundedPipelines(file);
        for (const pipeline of pipelines) {
            const result = await runCli(['run', file, '--pipeline', pipeline]);
            assert.equal(result.code, 0, `${pipeline}: ${result.stderr}`);
            const golden = path.join(GOLDEN_DIR, `${path.basename(path.dirname(file))}--${pipeline}.out`);
            const actual = sortedLines(result.stdout);
            if (update || !existsSync(golden)) {
                assert.ok(update, `${golden} is missing; run with UPDATE_GOLDEN=1 to create it.`);
                writeFileSync(golden, actual.join('\n') + '\n');
                continue;
            }
            assert.deepEqual(actual, sortedLines(readFileSync(golden, 'utf8')), `${pipeline} printed other records than ${golden}`);
        }
    });
}

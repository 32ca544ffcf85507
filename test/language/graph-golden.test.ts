/**
 * Golden LogicalGraphs: `flowline graph` on every example must print exactly the committed graph
 * (paths relative to the repository). Regenerate after an intended change with
 * `UPDATE_GOLDEN=1 node --import tsx --test test/language/graph-golden.test.ts`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

const GOLDEN_DIR = path.join(REPO_ROOT, 'test', 'golden', 'graphs');
const update = process.env.UPDATE_GOLDEN === '1';

/** The example pipelines (not their schemas.flow nor their *.test.flow test files). */
function exampleFiles(): string[] {
    return exampleFlowFiles().filter((f) => !f.endsWith('.test.flow'));
}

/** The examples' test files (`test` blocks, docs/testing.md). */
function exampleTestFiles(): string[] {
    return exampleFlowFiles().filter((f) => f.endsWith('.test.flow'));
}

function exampleFlowFiles(): string[] {
    const root = path.join(REPO_ROOT, 'examples');
    return readdirSync(root).filter((d) => statSync(path.join(root, d)).isDirectory()).flatMap((dir) =>
        readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.flow') && f !== 'schemas.flow').map((f) => path.join('examples', dir, f)));
}

/** Makes the graph independent of where the repository is checked out. */
function normalise(json: string): string {
    const rootUri = pathToFileURL(REPO_ROOT).href;
    return json.split(rootUri).join('file://<repo>').split(REPO_ROOT).join('<repo>');
}

for (const file of exampleFiles()) {
    test(`the LogicalGraph of ${file} matches its golden file`, async () => {
        const result = await runCli(['graph', file, '--format', 'json']);
        assert.equal(result.code, 0, result.stderr);
        const actual = normalise(result.stdout);
        JSON.parse(actual);
        const golden = path.join(GOLDEN_DIR, `${path.basename(path.dirname(file))}--${path.basename(file, '.flow')}.json`);
        if (update || !existsSync(golden)) {
            assert.ok(update, `${golden} is missing; run with UPDATE_GOLDEN=1 to create it.`);
            writeFileSync(golden, actual);
            return;
        }
        assert.equal(actual, readFileSync(golden, 'utf8'));
    });
}

test('every example and its test file check clean, without errors or warnings', async () => {
    const files = exampleFiles().concat(exampleTestFiles(), exampleFiles().map((f) => path.join(path.dirname(f), 'schemas.flow')).filter((f) => existsSync(path.join(REPO_ROOT, f))));
    const result = await runCli(['check', '--json', ...files]);
    assert.equal(result.code, 0, result.stdout);
    assert.deepEqual(JSON.parse(result.stdout), []);
});

test('flowline graph prints DOT and Mermaid with every node and ship strategy', async () => {
    const file = path.join('examples', 'revenue', 'revenue.flow');
    const json = JSON.parse((await runCli(['graph', file])).stdout);
    const graphs = Array.isArray(json) ? json : [json];
    const dot = (await runCli(['graph', file, '--format', 'dot'])).stdout;
    const mermaid = (await runCli(['graph', file, '--format', 'mermaid'])).stdout;
    assert.match(dot, /^digraph /);
    assert.match(mermaid, /^flowchart LR/);
    for (const graph of graphs) {
        for (const node of graph.nodes) {
            assert.ok(dot.includes(`"${node.id}"`), `DOT lacks node ${node.id}`);
        }
        for (const edge of graph.edges) {
            assert.ok(dot.includes(edge.ship) && mermaid.includes(edge.ship));
        }
    }
});

test('flowline graph names the pipelines a file has when asked for a missing one (a usage error, exit 2)', async () => {
    const result = await runCli(['graph', 'examples/revenue/revenue.flow', '--pipeline', 'NoSuchPipeline']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /has no pipeline 'NoSuchPipeline'; it has /);
});

test('flowline graph rejects an unknown format with a usage error (exit 2)', async () => {
    const result = await runCli(['graph', 'examples/revenue/revenue.flow', '--format', 'svg']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Allowed choices are json, dot, mermaid/);
});

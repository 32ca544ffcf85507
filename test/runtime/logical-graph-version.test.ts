/**
 * The LogicalGraph's version is part of the contract: a graph is written in the lowest version
 * that describes it (2 only with a temporal join), and the runtime refuses, through the same
 * `flowline run <graph.json>` users run, a version it does not read or a temporal join in a
 * graph that claims version 1 (a version-1 reader would run it as a regular join).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import { runCli } from '../support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'flowline-graph-version-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function graphOf(file: string): Promise<LogicalGraph> {
    const result = await runCli(['graph', file, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as LogicalGraph;
}

test('a pipeline without a temporal join is written as LogicalGraph version 1, one with a temporal join as version 2', async () => {
    assert.equal((await graphOf('test/runtime-operators/golden/left-join.flow')).version, 1);
    const temporal = await graphOf('test/runtime-operators/golden/temporal-join.flow');
    assert.equal(temporal.version, 2);
    const join = temporal.nodes.find((n) => n.config.kind === 'join');
    assert.equal(join?.name, 'temporal join');
    assert.deepEqual(join?.config.kind === 'join' && [join.config.temporal, join.config.leftTimeField, join.config.rightTimeField], [true, 'ts', 'since']);
});

test('flowline run refuses a graph with a temporal join that claims version 1, and a version it does not read', async () => {
    const graph = await graphOf('test/runtime-operators/golden/temporal-join.flow');
    const claimsOne = join(work, 'claims-one.json');
    writeFileSync(claimsOne, JSON.stringify({ ...graph, version: 1 }));
    const one = await runCli(['run', claimsOne]);
    assert.notEqual(one.code, 0);
    assert.match(one.stderr, /is a temporal join, which needs LogicalGraph version 2; the graph says version 1/);

    const future = join(work, 'future.json');
    writeFileSync(future, JSON.stringify({ ...graph, version: 5 }));
    const five = await runCli(['run', future]);
    assert.notEqual(five.code, 0);
    assert.match(five.stderr, /Unsupported LogicalGraph version 5; this runtime reads versions 1 to 4/);

    const current = join(work, 'current.json');
    writeFileSync(current, JSON.stringify(graph));
    const two = await runCli(['run', current]);
    assert.equal(two.code, 0, two.stderr);
});

test('an aggregate over updating rows makes the graph version 4, and flowline run refuses it in a graph that claims version 3', async () => {
    const graph = await graphOf('test/flink-sql/golden/updating-aggregates.flow');
    assert.equal(graph.version, 4);
    const over = graph.nodes.find((n) => n.config.kind === 'aggregate' && n.config.updatingInput);
    assert.deepEqual(over?.config.kind === 'aggregate' && over.config.updatingInput, { keyFields: ['auction', 'category'] });
    const claimsThree = join(work, 'claims-three.json');
    writeFileSync(claimsThree, JSON.stringify({ ...graph, version: 3 }));
    const three = await runCli(['run', claimsThree]);
    assert.notEqual(three.code, 0);
    assert.match(three.stderr, /is an aggregate over updating rows \(updatingInput\), which needs LogicalGraph version 4; the graph says version 3/);
});

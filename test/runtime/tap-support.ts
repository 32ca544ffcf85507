/**
 * What the tap tests share: the tapped-orders fixture as a LogicalGraph (paced, so the job runs
 * while it is tapped, or unpaced as the normal run to compare with), and the records a normal
 * run's print sink wrote, by subtask.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PushMessage } from '../../protocol/cluster-api.js';
import type { Expr, LogicalGraph } from '../../protocol/logical-graph.js';
import { compileNodeExpression } from '../../language/src/graph/node-expression.js';
import { runCli } from '../support/run-cli.js';
import { FIXTURES } from './cluster-harness.js';

export const TAPPED_ORDERS = path.join(FIXTURES, 'tapped-orders.flow');

let graph: LogicalGraph | undefined;

/** The fixture's graph; `rate: undefined` runs the source as fast as it goes (the normal run). */
export async function tappedOrdersGraph(rate: number | undefined = 2000): Promise<LogicalGraph> {
    if (!graph) {
        const result = await runCli(['graph', TAPPED_ORDERS, '--format', 'json']);
        assert.equal(result.code, 0, result.stderr);
        const json = JSON.parse(result.stdout) as LogicalGraph | LogicalGraph[];
        graph = Array.isArray(json) ? json[0] : json;
    }
    const copy = structuredClone(graph);
    const source = copy.nodes.find((n) => n.config.kind === 'source')!;
    if (source.config.kind === 'source') {
        if (rate === undefined) delete source.config.options.rate;
        else source.config.options.rate = rate;
    }
    return copy;
}

/** `subtask|record JSON` of every line the print sink (of `priced`, at p=2) wrote in job `jid`. */
export function printedBySubtask(messages: PushMessage[], jid: string): Set<string> {
    const printed = new Set<string>();
    for (const m of messages) {
        if (m.type !== 'sink-records' || m.jid !== jid) continue;
        for (const line of m.lines ?? []) {
            const match = /^(\d+)> (.*)$/.exec(line);
            assert.ok(match, `a parallel print sink prefixes its subtask: ${line}`);
            printed.add(`${Number(match[1]) - 1}|${match[2]}`);
        }
    }
    return printed;
}

/** A tap filter as the language compiles it, over the output of `nodeId` of the fixture. */
export async function tapFilter(nodeId: string, text: string): Promise<Expr> {
    const result = await compileNodeExpression({ uri: pathToFileURL(TAPPED_ORDERS).href, pipeline: 'TappedOrders', nodeId, text, at: 'output', expect: 'condition' });
    assert.ok('expr' in result, JSON.stringify(result));
    return result.expr;
}

/**
 * Which nodes of a pipeline some record reached in a test run: a source that read at least one
 * record (emitted or dead-lettered), any other node that received at least one on an input edge.
 * Counted by the runtime at each node's output in the test job (job-test-run.ts).
 */
import type { LogicalGraph } from '../../protocol/logical-graph.js';

export function testCoverage(graph: LogicalGraph, counts: ReadonlyMap<string, number>): string[] {
    const emitted = (nodeId: string, side?: string): number => counts.get(side ? `${nodeId}#${side}` : nodeId) ?? 0;
    return graph.nodes.filter((node) => {
        if (node.config.kind === 'source') return emitted(node.id) > 0 || emitted(node.id, 'deadLetter') > 0;
        return graph.edges.some((e) => e.target === node.id && emitted(e.source, e.sideOutput) > 0);
    }).map((n) => n.id);
}

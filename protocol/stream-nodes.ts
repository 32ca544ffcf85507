/**
 * Which LogicalGraph nodes make up a stream, read back from the node ids (`<pipeline>/<stream>/
 * <index>-<kind>`, `<pipeline>/source/<name>`; see the graph builder). A rule both sides apply
 * alike: the runtime (taps by stream name) and the language server (Peek Records' filter, checked
 * at the stream's last node) must name the same node for a stream.
 */
import type { LogicalGraph, LogicalNode } from './logical-graph.js';

/** The stream (or source) a node belongs to, or undefined for sinks and ids of another shape. */
export function streamOfNode(graph: LogicalGraph, node: LogicalNode): string | undefined {
    if (node.config.kind === 'source') return node.config.sourceName;
    if (node.config.kind === 'sink') return undefined;
    const prefix = `${graph.pipeline}/`;
    if (!node.id.startsWith(prefix)) return undefined;
    const rest = node.id.slice(prefix.length);
    const slash = rest.lastIndexOf('/');
    return slash > 0 ? rest.slice(0, slash) : undefined;
}

/** The operator index of a stream node's id (`.../2-map` → 2); -1 for a source. */
function operatorIndex(node: LogicalNode): number {
    const m = /\/(\d+)-[^/]*$/.exec(node.id);
    return m ? Number(m[1]) : -1;
}

/** Every stream and source name of the graph, in the graph's order. */
export function streamNames(graph: LogicalGraph): string[] {
    const names: string[] = [];
    for (const node of graph.nodes) {
        const name = streamOfNode(graph, node);
        if (name !== undefined && !names.includes(name)) names.push(name);
    }
    return names;
}

/**
 * The node whose output is the stream's records: the stream's last operator (keyBy, window and
 * rebalance are no nodes), or the source of that name; undefined when the graph has neither.
 */
export function streamOutputNode(graph: LogicalGraph, stream: string): LogicalNode | undefined {
    const candidates = graph.nodes.filter((n) => streamOfNode(graph, n) === stream);
    if (candidates.length === 0) return undefined;
    return candidates.reduce((last, n) => (operatorIndex(n) > operatorIndex(last) ? n : last));
}

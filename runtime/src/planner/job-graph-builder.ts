/**
 * LogicalGraph -> JobGraph: operator chaining. A FORWARD edge between two nodes of equal
 * parallelism is fused (the downstream operator runs in the upstream's task, records pass by
 * function call) when it is the upstream's only main output and the downstream's only input.
 * A FORWARD edge between different parallelisms becomes REBALANCE, as in Flink.
 */
import type { LogicalEdge, LogicalGraph, LogicalNode } from '../../../protocol/logical-graph.js';
import type { JobEdge, JobGraph, JobVertex } from './job-graph.js';

/** Thrown for a LogicalGraph the planner cannot run (dangling edges, cycles, bad parallelism). */
export class InvalidGraphError extends Error {}

/** Plans the chains of a LogicalGraph. */
export function buildJobGraph(graph: LogicalGraph): JobGraph {
    const byId = new Map<string, LogicalNode>();
    for (const node of graph.nodes) {
        if (byId.has(node.id)) throw new InvalidGraphError(`The graph has two nodes with id '${node.id}'.`);
        if (!Number.isInteger(node.parallelism) || node.parallelism < 1) {
            throw new InvalidGraphError(`Node '${node.id}' has parallelism ${String(node.parallelism)}; expected a positive integer.`);
        }
        byId.set(node.id, node);
    }
    const edges = graph.edges.map((edge) => normaliseEdge(edge, byId));
    const order = topologicalOrder(graph.nodes, edges);

    const outgoing = groupBy(edges, (e) => e.source);
    const incoming = groupBy(edges, (e) => e.target);
    const chainable = (edge: LogicalEdge): boolean => {
        const up = byId.get(edge.source)!;
        const down = byId.get(edge.target)!;
        return edge.ship === 'FORWARD' && edge.sideOutput === undefined && up.parallelism === down.parallelism
            && (outgoing.get(up.id) ?? []).length === 1 && (incoming.get(down.id) ?? []).length === 1
            && down.config.kind !== 'source';
    };

    const vertexOf = new Map<string, JobVertex>();
    const vertices: JobVertex[] = [];
    for (const node of order) {
        const inputs = incoming.get(node.id) ?? [];
        if (inputs.length === 1 && chainable(inputs[0])) {
            const vertex = vertexOf.get(inputs[0].source)!;
            vertex.nodes.push(node);
            vertexOf.set(node.id, vertex);
            continue;
        }
        const vertex: JobVertex = { id: node.id, name: '', description: '', parallelism: node.parallelism, nodes: [node] };
        vertices.push(vertex);
        vertexOf.set(node.id, vertex);
    }
    for (const vertex of vertices) {
        vertex.name = vertex.nodes.map(displayName).join(' -> ');
        vertex.description = vertex.nodes.map((n) => n.description).join(' -> ');
    }

    const jobEdges: JobEdge[] = [];
    for (const edge of edges) {
        const from = vertexOf.get(edge.source)!;
        const to = vertexOf.get(edge.target)!;
        if (from === to) continue;
        jobEdges.push({
            index: jobEdges.length,
            sourceVertex: from.id,
            targetVertex: to.id,
            sourceNode: edge.source,
            ship: edge.ship,
            keys: edge.keys,
            targetInput: inputIndex(edge),
            sideOutput: edge.sideOutput
        });
    }
    return {
        name: graph.pipeline,
        mode: graph.mode,
        vertices,
        edges: jobEdges,
        maxParallelism: Math.max(1, ...vertices.map((v) => v.parallelism))
    };
}

/** The operator input an edge feeds: a join's right side is 1, a union's inputs keep their number. */
function inputIndex(edge: LogicalEdge): number {
    if (typeof edge.input === 'number') return edge.input;
    return edge.input === 'right' ? 1 : 0;
}

function normaliseEdge(edge: LogicalEdge, byId: Map<string, LogicalNode>): LogicalEdge {
    const up = byId.get(edge.source);
    const down = byId.get(edge.target);
    if (!up || !down) {
        throw new InvalidGraphError(`Edge ${edge.source} -> ${edge.target} names a node that is not in the graph.`);
    }
    if (edge.ship === 'HASH' && (!edge.keys || edge.keys.length === 0)) {
        throw new InvalidGraphError(`HASH edge ${edge.source} -> ${edge.target} has no key expressions.`);
    }
    if (edge.ship === 'FORWARD' && up.parallelism !== down.parallelism) return { ...edge, ship: 'REBALANCE' };
    return edge;
}

function topologicalOrder(nodes: LogicalNode[], edges: LogicalEdge[]): LogicalNode[] {
    const indegree = new Map(nodes.map((n) => [n.id, 0]));
    for (const e of edges) indegree.set(e.target, indegree.get(e.target)! + 1);
    const outgoing = groupBy(edges, (e) => e.source);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const ready = nodes.filter((n) => indegree.get(n.id) === 0);
    const order: LogicalNode[] = [];
    while (ready.length > 0) {
        const node = ready.shift()!;
        order.push(node);
        for (const e of outgoing.get(node.id) ?? []) {
            const left = indegree.get(e.target)! - 1;
            indegree.set(e.target, left);
            if (left === 0) ready.push(byId.get(e.target)!);
        }
    }
    if (order.length !== nodes.length) throw new InvalidGraphError('The graph has a cycle.');
    return order;
}

function displayName(node: LogicalNode): string {
    return node.config.kind === 'source' && !/^source/i.test(node.name) ? `Source: ${node.name}` : node.name;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
    const map = new Map<string, T[]>();
    for (const item of items) {
        const k = key(item);
        const list = map.get(k);
        if (list) list.push(item);
        else map.set(k, [item]);
    }
    return map;
}

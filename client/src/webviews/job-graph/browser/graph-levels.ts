/**
 * The three graphs the view can draw, all from one LogicalGraph: the logical graph (one box per
 * operator), the job graph (chained operators grouped into tasks, planned by the runtime's own
 * chaining rules) and the execution graph (one box per parallel subtask).
 */
import type { LogicalGraph, LogicalNode, ShipStrategy } from '../../../../../protocol/logical-graph.js';
import type { GraphLevel } from '../../../../../protocol/webview-messages.js';
import { buildJobGraph } from '../../../../../runtime/src/planner/job-graph-builder.js';

/** How a box is drawn. */
export type BoxShape = 'source' | 'operator' | 'sink';

/** A box of the drawn graph. */
export interface DrawNode {
    id: string;
    label: string;
    detail: string;
    shape: BoxShape;
    parallelism: number;
    /** The LogicalGraph nodes this box stands for (head first). */
    nodeIds: string[];
    /** Execution graph: the subtask index this box is. */
    subtask?: number;
    /** Job and execution graph: the job vertex (its head node's id). */
    vertexId: string;
}

/** An arrow of the drawn graph. */
export interface DrawEdge {
    id: string;
    source: string;
    target: string;
    label: string;
    /** The LogicalGraph node whose output the arrow carries (what Peek Records taps). */
    sourceNode: string;
}

export interface DrawGraph { nodes: DrawNode[]; edges: DrawEdge[] }

/** Execution graphs wider than this draw one box per vertex with a "× p" note instead. */
const MAX_DRAWN_SUBTASKS = 16;

/** The graph of one level. */
export function graphAt(level: GraphLevel, graph: LogicalGraph): DrawGraph {
    if (level === 'logical') return logicalLevel(graph);
    return level === 'job' ? jobLevel(graph) : executionLevel(graph);
}

function shapeOf(node: LogicalNode): BoxShape {
    return node.config.kind === 'source' ? 'source' : node.config.kind === 'sink' ? 'sink' : 'operator';
}

function edgeLabel(ship: ShipStrategy, side?: string): string {
    return side ? `${ship} (${side})` : ship;
}

function logicalLevel(graph: LogicalGraph): DrawGraph {
    return {
        nodes: graph.nodes.map((node) => ({
            id: node.id, label: node.name, detail: node.description, shape: shapeOf(node), parallelism: node.parallelism,
            nodeIds: [node.id], vertexId: node.id
        })),
        edges: graph.edges.map((edge, i) => ({
            id: `e${i}`, source: edge.source, target: edge.target, label: edgeLabel(edge.ship, edge.sideOutput), sourceNode: edge.source
        }))
    };
}

function jobLevel(graph: LogicalGraph): DrawGraph {
    const job = buildJobGraph(graph);
    return {
        nodes: job.vertices.map((vertex) => {
            const head = vertex.nodes[0];
            const tail = vertex.nodes[vertex.nodes.length - 1];
            const shape: BoxShape = head.config.kind === 'source' ? 'source' : tail.config.kind === 'sink' && vertex.nodes.length === 1 ? 'sink' : 'operator';
            return {
                id: vertex.id, label: vertex.name, detail: vertex.description, shape, parallelism: vertex.parallelism,
                nodeIds: vertex.nodes.map((n) => n.id), vertexId: vertex.id
            };
        }),
        edges: job.edges.map((edge) => ({
            id: `e${edge.index}`, source: edge.sourceVertex, target: edge.targetVertex, label: edgeLabel(edge.ship, edge.sideOutput), sourceNode: edge.sourceNode
        }))
    };
}

function executionLevel(graph: LogicalGraph): DrawGraph {
    const job = jobLevel(graph);
    const nodes: DrawNode[] = [];
    const copies = new Map<string, string[]>();
    for (const vertex of job.nodes) {
        const count = Math.min(vertex.parallelism, MAX_DRAWN_SUBTASKS);
        const ids: string[] = [];
        for (let i = 0; i < count; i++) {
            const id = `${vertex.id}#${i}`;
            ids.push(id);
            nodes.push({ ...vertex, id, label: `${vertex.label} (${i + 1}/${vertex.parallelism})`, subtask: i });
        }
        copies.set(vertex.id, ids);
    }
    const edges: DrawEdge[] = [];
    for (const edge of job.edges) {
        const from = copies.get(edge.source) ?? [];
        const to = copies.get(edge.target) ?? [];
        const forward = edge.label.startsWith('FORWARD') && from.length === to.length;
        from.forEach((source, i) => {
            const targets = forward ? [to[i]] : to;
            for (const target of targets) {
                edges.push({ id: `${edge.id}:${source}:${target}`, source, target, label: forward || to.length === 1 ? edge.label : '', sourceNode: edge.sourceNode });
            }
        });
    }
    return { nodes, edges };
}

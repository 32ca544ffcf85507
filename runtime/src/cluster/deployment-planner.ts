/**
 * Turns a scheduled job into task deployments: which subtask runs on which TaskManager, and one
 * channel (with a cluster-unique id) per connected pair of upstream and downstream subtasks.
 */
import { DEAD_LETTER_SCHEMA, type LogicalNode } from '../../../protocol/logical-graph.js';
import { fieldsReadBy } from '../exchange/shipped-fields.js';
import { combinerApplies } from '../operators/aggregate-combiner.js';
import type { JobEdge, JobGraph, JobVertex } from '../planner/job-graph.js';
import type { Slot } from './slot-pool.js';
import type { TaskDeployment } from './taskmanager-protocol.js';

let nextChannelId = 1;

/** Deployments for every subtask; subtask k of each vertex goes to `slots[k]`. */
export function planDeployments(jobId: string, graph: JobGraph, slots: Slot[]): TaskDeployment[] {
    const byVertex = new Map<string, TaskDeployment[]>();
    const vertexById = new Map(graph.vertices.map((v) => [v.id, v]));
    for (const vertex of graph.vertices) {
        const list: TaskDeployment[] = [];
        for (let i = 0; i < vertex.parallelism; i++) {
            list.push({
                jobId, vertexId: vertex.id, vertexName: vertex.name, subtaskIndex: i, parallelism: vertex.parallelism,
                mode: graph.mode, nodes: vertex.nodes, inputs: [], outputs: []
            });
        }
        byVertex.set(vertex.id, list);
    }
    for (const edge of graph.edges) {
        const up = byVertex.get(edge.sourceVertex)!;
        const down = byVertex.get(edge.targetVertex)!;
        const fields = edgeFields(vertexById.get(edge.sourceVertex)!, edge);
        const combine = combinedAggregate(graph, vertexById.get(edge.targetVertex)!, edge);
        const head = vertexById.get(edge.targetVertex)!.nodes[0];
        const lateRead = graph.edges.some((e) => e.sourceNode === head?.id && e.sideOutput === 'late');
        const shipped = edge.sideOutput === undefined ? fieldsReadBy(head, fields, lateRead) : null;
        for (const sender of up) {
            const targets = edge.ship === 'FORWARD' ? [down[sender.subtaskIndex]] : down;
            const channels = targets.map((receiver) => {
                const channelId = nextChannelId++;
                receiver.inputs.push({ channelId, input: edge.targetInput, fromTm: slots[sender.subtaskIndex].taskManager });
                return { channelId, toTm: slots[receiver.subtaskIndex].taskManager };
            });
            sender.outputs.push({ sourceNode: edge.sourceNode, sideOutput: edge.sideOutput, ship: edge.ship, keys: edge.keys, fields, channels, ...(combine ? { combine } : {}), ...(shipped ? { shipped } : {}) });
        }
    }
    return [...byVertex.values()].flat();
}

/**
 * The aggregate a keyBy edge feeds when its records may be combined before the exchange
 * (operators/aggregate-combiner.ts); FLOWLINE_COMBINER=off turns combining off (benchmarks).
 */
function combinedAggregate(graph: JobGraph, target: JobVertex, edge: JobEdge): LogicalNode | undefined {
    if (process.env.FLOWLINE_COMBINER === 'off' || edge.ship !== 'HASH' || edge.sideOutput !== undefined) return undefined;
    const head = target.nodes[0];
    return head !== undefined && combinerApplies(head, graph.mode) ? head : undefined;
}

/** The record fields on an edge, for columnar encoding (null when the runtime cannot know them). */
function edgeFields(vertex: JobVertex, edge: JobEdge): string[] | null {
    if (edge.sideOutput === 'deadLetter') return DEAD_LETTER_SCHEMA.map((f) => f.name);
    if (edge.sideOutput === 'late') return null;
    const node = vertex.nodes.find((n) => n.id === edge.sourceNode);
    return node && node.schema.length > 0 ? node.schema.map((f) => f.name) : null;
}

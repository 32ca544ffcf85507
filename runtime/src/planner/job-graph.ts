/**
 * The job graph: the LogicalGraph after operator chaining. Each vertex is one task kind (a chain
 * of LogicalGraph nodes run by one thread per parallel instance); edges are the exchanges
 * between chains, with Flink's ship strategies.
 */
import type { Expr, LogicalNode, ShipStrategy } from '../../../protocol/logical-graph.js';

/** A chain of operators run as one task; `nodes[0]` is the head, the last node the tail. */
export interface JobVertex {
    /** Stable id: the head node's LogicalGraph id. */
    id: string;
    /** Flink-style name: `Source: orders -> filter -> sink: print`. */
    name: string;
    description: string;
    parallelism: number;
    nodes: LogicalNode[];
}

/** An exchange between two vertices. */
export interface JobEdge {
    /** Index in JobGraph.edges. */
    index: number;
    sourceVertex: string;
    targetVertex: string;
    /** The LogicalGraph node (inside the source vertex) whose output this edge carries. */
    sourceNode: string;
    ship: ShipStrategy;
    keys?: Expr[];
    /** The operator input of the target vertex's head (0, or 1 for a join's right side). */
    targetInput: number;
    sideOutput?: 'deadLetter' | 'late';
}

export interface JobGraph {
    name: string;
    mode: 'batch' | 'streaming';
    /** Vertices in topological order (sources first). */
    vertices: JobVertex[];
    edges: JobEdge[];
    /** The highest parallelism: with slot sharing, the number of slots the job needs. */
    maxParallelism: number;
}

/**
 * The execution graph: one ExecutionVertex per parallel instance (subtask) of each job vertex,
 * with its execution state history. The JobManager owns it; the REST API reads it.
 */
import type { ExecutionState, SubtaskMetrics } from '../../../protocol/cluster-api.js';
import type { JobGraph, JobVertex } from './job-graph.js';
import { emptySubtaskMetrics } from '../metrics/subtask-metrics.js';

/** Which transitions are legal (Flink's ExecutionState machine; FAILED from anywhere). */
const NEXT: Record<ExecutionState, readonly ExecutionState[]> = {
    CREATED: ['SCHEDULED', 'CANCELING', 'CANCELED'],
    SCHEDULED: ['DEPLOYING', 'CANCELING', 'CANCELED'],
    DEPLOYING: ['INITIALIZING', 'RUNNING', 'CANCELING', 'CANCELED'],
    INITIALIZING: ['RUNNING', 'CANCELING', 'CANCELED'],
    RUNNING: ['FINISHED', 'CANCELING', 'CANCELED'],
    FINISHED: [],
    CANCELING: ['CANCELED'],
    CANCELED: [],
    FAILED: []
};

export const TERMINAL_EXECUTION_STATES: readonly ExecutionState[] = ['FINISHED', 'CANCELED', 'FAILED'];

/** One subtask: its state, when each state was entered, where it runs, its latest metrics. */
export class ExecutionVertex {
    state: ExecutionState = 'CREATED';
    readonly timestamps: Partial<Record<ExecutionState, number>>;
    /** The states in the order they were entered. */
    readonly history: ExecutionState[] = ['CREATED'];
    taskManagerId = '';
    slotIndex = -1;
    metrics: SubtaskMetrics = emptySubtaskMetrics();

    /** `attempt`: the job attempt this subtask belongs to (0, +1 per restart). */
    constructor(readonly vertex: JobVertex, readonly subtaskIndex: number, now: number, readonly attempt = 0) {
        this.timestamps = { CREATED: now };
    }

    /** Moves to `next` if legal; returns whether the state changed. */
    transition(next: ExecutionState, now: number): boolean {
        if (this.state === next) return false;
        if (next !== 'FAILED' && !NEXT[this.state].includes(next)) return false;
        if (next === 'FAILED' && TERMINAL_EXECUTION_STATES.includes(this.state)) return false;
        this.state = next;
        this.timestamps[next] = now;
        this.history.push(next);
        return true;
    }

    get isTerminal(): boolean {
        return TERMINAL_EXECUTION_STATES.includes(this.state);
    }

    get startTime(): number {
        return this.timestamps.DEPLOYING ?? -1;
    }

    get endTime(): number {
        return this.isTerminal ? this.timestamps[this.state] ?? -1 : -1;
    }
}

/** All subtasks of a job, per vertex id. */
export class ExecutionGraph {
    readonly subtasks = new Map<string, ExecutionVertex[]>();

    constructor(readonly jobGraph: JobGraph, now: number, attempt = 0) {
        for (const vertex of jobGraph.vertices) {
            const list: ExecutionVertex[] = [];
            for (let i = 0; i < vertex.parallelism; i++) list.push(new ExecutionVertex(vertex, i, now, attempt));
            this.subtasks.set(vertex.id, list);
        }
    }

    /** Every subtask of every vertex, vertices in topological order. */
    all(): ExecutionVertex[] {
        return [...this.subtasks.values()].flat();
    }

    subtask(vertexId: string, index: number): ExecutionVertex | undefined {
        return this.subtasks.get(vertexId)?.[index];
    }
}

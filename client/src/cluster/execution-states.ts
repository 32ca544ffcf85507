/**
 * Subtask state counts and the state a vertex shows for them, as Flink's web UI derives it. No
 * vscode import: the local cluster's views and the Flink cluster's model (client/src/flink/) use
 * the same rules, and unit tests run them on plain payloads.
 */
import type { ExecutionState } from '../../../protocol/cluster-api.js';
import { EXECUTION_STATES } from '../../../protocol/cluster-api.js';

/** Subtasks per execution state. */
export function countStates(states: ExecutionState[]): Record<ExecutionState, number> {
    const counts = Object.fromEntries(EXECUTION_STATES.map((s) => [s, 0])) as Record<ExecutionState, number>;
    for (const state of states) counts[state]++;
    return counts;
}

/** A vertex's state from its subtasks' states, as Flink's web UI derives it. */
export function aggregateState(counts: Record<ExecutionState, number>): ExecutionState {
    const total = EXECUTION_STATES.reduce((sum, s) => sum + counts[s], 0);
    for (const state of ['FAILED', 'CANCELING', 'CANCELED', 'RUNNING', 'INITIALIZING', 'DEPLOYING', 'SCHEDULED'] as ExecutionState[]) {
        if (counts[state] > 0) return state;
    }
    return counts.FINISHED === total && total > 0 ? 'FINISHED' : 'CREATED';
}

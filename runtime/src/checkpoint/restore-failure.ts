/**
 * A subtask that cannot restore its state (Flink's "Could not restore keyed state backend"): the
 * submit-time check (savepoint-restore.ts) found the savepoint complete and fitting, but a state
 * file cannot be deserialised, or an operator's restoreState/restoreRescaled cannot read the shape
 * it finds. The task throws a StateRestoreError naming what it read (task-checkpointer.ts); the
 * JobManager decides what happens and says it in one message naming the operator:
 *
 * - the savepoint or retained checkpoint the job was started from (`--from-savepoint`): the job
 *   FAILS at once; a restart would read the same files again (Flink refuses an unreadable
 *   savepoint when the job is submitted; what it cannot check there, Flowline ends here);
 * - the job's own latest checkpoint (a restart after a failure): a failure like any other under
 *   the restart strategy, as in Flink; but a checkpoint that failed to restore twice is not tried
 *   again (the job FAILS), so even the default strategy, which restarts without limit, ends.
 */
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import { formatLocation } from '../operators/operator-error.js';
import { operatorUid } from './operator-uids.js';

/** What a subtask was restoring when it failed. */
export interface RestoreFailureInfo {
    checkpointId: number;
    /** The checkpoint or savepoint folder. */
    folder: string;
    /** The state file that could not be read, when reading failed (not the operator). */
    file?: string;
}

/** Thrown by a subtask whose state cannot be restored; its message says what failed, without the operator (the JobManager names it). */
export class StateRestoreError extends Error {
    constructor(message: string, readonly restore: RestoreFailureInfo, options?: { cause?: unknown }) {
        super(message, options);
        this.name = 'StateRestoreException';
    }
}

/** How often the restore of one checkpoint of the job's own may fail before the job fails instead of restarting. */
export const MAX_FAILED_RESTORES_PER_CHECKPOINT = 2;

/** What the JobManager does about a failed restore. */
export type RestoreFailureOutcome =
    /** The savepoint the job was started from: the job fails. */
    | { kind: 'savepoint' }
    /** A checkpoint of the job's own that failed to restore `count` times: the restart strategy decides while `count` is below the limit. */
    | { kind: 'checkpoint'; count: number };

/** `'perKey/aggregate' (aggregate at pipeline.flow:20:11, node P/perKey/2-aggregate)`, or the node id alone for a node the graph does not have. */
export function describeOperator(graph: LogicalGraph, nodeId: string | undefined): string {
    const node = nodeId ? graph.nodes.find((n) => n.id === nodeId) : undefined;
    if (!node) return nodeId ? `'${nodeId}'` : '(unknown)';
    return `'${operatorUid(graph, node)}' (${node.name} at ${formatLocation(node.location)}, node ${node.id})`;
}

/**
 * The message of a failed restore: the operator, what it restored from, what failed (`cause`),
 * and what happens now (`outcome`, with whether the job restarts; none when the job was already
 * failing over for another failure).
 */
export function restoreFailureMessage(graph: LogicalGraph, nodeId: string | undefined, info: RestoreFailureInfo, cause: string,
    outcome: (RestoreFailureOutcome & { restarts: boolean }) | undefined): string {
    const from = outcome?.kind === 'savepoint' ? `savepoint ${info.folder}` : `checkpoint ${info.checkpointId} (${info.folder})`;
    const head = `Could not restore operator ${describeOperator(graph, nodeId)} from ${from}: ${cause}`;
    if (!outcome) return head;
    if (outcome.kind === 'savepoint') {
        return `${head} The job fails instead of restarting: a restart would restore the same savepoint. ` +
            'Start it from another savepoint, or without --from-savepoint.';
    }
    if (outcome.count >= MAX_FAILED_RESTORES_PER_CHECKPOINT) {
        return `${head} Checkpoint ${info.checkpointId} failed to restore ${outcome.count} times: the job fails instead of restarting again ` +
            '(a restart would read the same files).';
    }
    if (!outcome.restarts) return `${head} The job fails: its restart strategy allows no more restarts.`;
    return `${head} The job restarts as its restart strategy says; if checkpoint ${info.checkpointId} fails to restore again, the job fails.`;
}

/**
 * The watermarks a restored attempt's event-time window operators start from, for the window
 * combiners that feed them (operators/window-combiner.ts). A combiner folds a record only when
 * every window it falls in ends after the receiver's watermark, which it bounds by the last
 * watermark it sent itself. A restored window operator starts from its restored watermark
 * instead (rescaled: the lowest of its old pieces'; after a drained savepoint: +Infinity), which
 * no sender of the new attempt sent. So every subtask of a restored attempt is told, per window
 * operator, the highest watermark any of its new subtasks starts from, and its combiners fold only
 * windows ending above that; a record of any other window goes as itself, and the window operator
 * treats it as it would without the combiner (dropped as late, late side output, late firing).
 *
 * The receiver's own watermark, not the sender's last one, is kept: it holds in every checkpoint
 * mode (an at-least-once receiver may have taken watermarks after a sender's barrier before its
 * snapshot), for stateless senders (which keep no state to put it in) and whatever the sender's
 * parallelism becomes. Each window subtask's acknowledgement carries it (task-checkpointer.ts),
 * `_metadata` keeps it per subtask for savepoints and retained checkpoints.
 */
import type { SubtaskStateHandle } from '../../../protocol/checkpoints.js';
import type { AcknowledgedState } from '../cluster/taskmanager-protocol.js';

/** A watermark as `_metadata` (JSON) holds it: the infinities as strings. */
export function encodeWatermark(watermark: number): NonNullable<SubtaskStateHandle['watermark']> {
    if (watermark === Infinity) return 'Infinity';
    if (watermark === -Infinity) return '-Infinity';
    return watermark;
}

function decodeWatermark(watermark: NonNullable<SubtaskStateHandle['watermark']>): number {
    return watermark === 'Infinity' ? Infinity : watermark === '-Infinity' ? -Infinity : watermark;
}

/** A restart from the job's own checkpoint (each subtask restores its own state): per node, the highest of its subtasks' watermarks. */
export function watermarksOfAcks(acks: readonly { states: readonly AcknowledgedState[] }[]): Record<string, number> {
    const highest: Record<string, number> = {};
    for (const ack of acks) {
        for (const s of ack.states) if (s.watermark !== undefined) highest[s.nodeId] = Math.max(highest[s.nodeId] ?? -Infinity, s.watermark);
    }
    return highest;
}

/**
 * A restore from `_metadata`: each new subtask restores the old subtasks of one group (at the same
 * parallelism its own, rescaled the pieces it merges) and starts from their lowest watermark (as
 * WindowAggregateOperator.restoreRescaled does); the highest of those. Undefined when an old
 * subtask's watermark is not known (not a window operator, or metadata from before it was kept).
 */
export function highestRestoredWatermark(groups: readonly (readonly SubtaskStateHandle[])[]): number | undefined {
    let highest: number | undefined;
    for (const group of groups) {
        let lowest = Infinity;
        for (const s of group) {
            if (s.watermark === undefined) return undefined;
            lowest = Math.min(lowest, decodeWatermark(s.watermark));
        }
        if (group.length > 0) highest = Math.max(highest ?? -Infinity, lowest);
    }
    return highest;
}

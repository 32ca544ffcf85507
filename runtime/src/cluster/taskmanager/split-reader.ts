/**
 * A source subtask that reads the splits of several subtasks of an earlier run: a job restored
 * from a savepoint at another parallelism (checkpoint/savepoint-restore.ts deals each old
 * subtask's share of the input, with its read position, to one new subtask). Each split is read
 * by its own instance of the source function, as the old subtask would have read it (its index
 * and parallelism, its position), all at once and interleaved at batch boundaries, so unbounded
 * splits advance together. As Flink's source readers with several splits:
 *
 * - the subtask's watermark is the minimum of its splits' watermarks (a split that ended no longer
 *   holds it back), so no split's records become late because another split ran ahead;
 * - its checkpoint state is every split's position (`SourceSplitsPosition`), so the splits keep
 *   their identity through later restores and rescalings;
 * - a subtask given no split of a bounded source ends at once; of an unbounded one it stays idle
 *   (as a reader without splits), so the job's checkpoints go on.
 */
import type { SourceReadPosition, SourceSplitPosition, SourceSplitsPosition } from '../../../../protocol/checkpoints.js';
import type { LogicalNode } from '../../../../protocol/logical-graph.js';
import { createSource } from '../../operators/operator-factory.js';
import type { SourceContext } from '../../operators/operator.js';

export function isSplitsPosition(state: unknown): state is SourceSplitsPosition {
    return typeof state === 'object' && state !== null && Array.isArray((state as Partial<SourceSplitsPosition>).splits);
}

/** Reads `splits` of `node` through the subtask's context `base`; resolves when every split ended (or the task is cancelled). */
export async function readSplits(node: LogicalNode, base: SourceContext, splits: SourceSplitPosition[], whenCancelled: Promise<void>): Promise<void> {
    const watermarks = splits.map((s) => s.position.lastWatermark ?? -Infinity);
    const ended = splits.map(() => false);
    const progress = splits.map(() => 0);
    const positions: ((() => SourceReadPosition) | undefined)[] = splits.map(() => undefined);
    let emitted = -Infinity;
    const emitMinimum = (): void => {
        let minimum = Infinity;
        for (let i = 0; i < splits.length; i++) if (!ended[i] && watermarks[i] < minimum) minimum = watermarks[i];
        // Once every split ended the task's end of input carries the end of event time.
        if (minimum !== Infinity && minimum > emitted) {
            emitted = minimum;
            base.emitWatermark(minimum);
        }
    };
    base.trackPosition?.(() => ({
        splits: splits.map((s, i) => ({ subtask: s.subtask, parallelism: s.parallelism, position: positions[i]?.() ?? s.position }))
    }) satisfies SourceSplitsPosition as unknown as SourceReadPosition);
    const bounded = node.config.kind === 'source' && node.config.bounded;
    if (splits.length === 0) {
        if (!bounded && !base.cancelled) {
            base.markIdle(true);
            await whenCancelled;
        }
        return;
    }
    await Promise.all(splits.map(async (split, i) => {
        const source = createSource(node, base.mode);
        // The old subtask's view: its index and parallelism decide its share; its position where it resumes.
        const context = Object.create(base) as SourceContext;
        Object.assign(context, {
            subtaskIndex: split.subtask,
            parallelism: split.parallelism,
            restoredPosition: split.position,
            trackPosition: base.trackPosition ? (position: () => SourceReadPosition) => { positions[i] = position; } : undefined,
            emitWatermark: (watermark: number) => {
                if (watermark > watermarks[i]) watermarks[i] = watermark;
                emitMinimum();
            },
            reportProgress: (fraction: number) => {
                progress[i] = fraction;
                base.reportProgress(progress.reduce((a, b) => a + b, 0) / splits.length);
            }
        });
        await source.run(context);
        ended[i] = true;
        emitMinimum();
    }));
}

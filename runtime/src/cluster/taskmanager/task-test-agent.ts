/**
 * A subtask of a job run by a pipeline test, on the TaskManager's side (see ../job-test-run.ts):
 * counts the records each node of the chain emits (coverage), waits between the phases of a
 * scripted job until the JobManager lets it go on, and tells which rows of a values source belong
 * to each phase.
 */
import type { TaskTestDeployment, TestPhase } from '../job-test-run.js';

export class TaskTestAgent {
    /** Records emitted per node (`<node id>`, `<node id>#<side output>`). */
    readonly counts = new Map<string, number>();
    private proceeded = -1;
    private waiting: { phase: number; resolve: () => void } | undefined;

    constructor(readonly deployment: TaskTestDeployment) {}

    get phases(): TestPhase[] | undefined {
        return this.deployment.phases;
    }

    count(key: string, n: number): void {
        if (n > 0) this.counts.set(key, (this.counts.get(key) ?? 0) + n);
    }

    /** A hook for a tap point: counts each record. */
    countingHook(nodeId: string): (row: unknown) => void {
        return () => { this.counts.set(nodeId, (this.counts.get(nodeId) ?? 0) + 1); };
    }

    /** Resolves once the JobManager let phase `phase` end (or at once when it already did). */
    waitToProceed(phase: number, cancelled: Promise<void>): Promise<void> {
        if (this.proceeded >= phase) return Promise.resolve();
        return Promise.race([new Promise<void>((resolve) => { this.waiting = { phase, resolve }; }), cancelled]);
    }

    proceed(phase: number): void {
        this.proceeded = Math.max(this.proceeded, phase);
        if (this.waiting && this.waiting.phase <= phase) {
            const { resolve } = this.waiting;
            this.waiting = undefined;
            resolve();
        }
    }

    /**
     * The `values` rows a phase gives this source node: [from, to) over the node's values, or
     * 'all' (a non-values source that reads everything in this phase), or undefined (nothing).
     */
    rowsOf(nodeId: string, phase: number): { from: number; to: number } | 'all' | undefined {
        const phases = this.deployment.phases ?? [];
        let offset = 0;
        let result: { from: number; to: number } | 'all' | undefined;
        for (let p = 0; p <= phase && p < phases.length; p++) {
            for (const given of phases[p].given) {
                if (given.nodeId !== nodeId) continue;
                if (given.rows === 'all') {
                    if (p === phase) result = 'all';
                    continue;
                }
                if (p === phase) result = { from: typeof result === 'object' ? result.from : offset, to: offset + given.rows };
                offset += given.rows;
            }
        }
        return result;
    }

    /** Whether some phase gives rows to this source node (a source given no rows reads everything in the first phase). */
    isGiven(nodeId: string): boolean {
        return (this.deployment.phases ?? []).some((p) => p.given.some((g) => g.nodeId === nodeId));
    }
}

/**
 * A job run by a pipeline test (`flowline test`, testing/src/), on the JobManager's side: what the
 * job's subtasks are told (TaskTestDeployment), how far the test's timeline has come, and how
 * many records reached each node (coverage). The runtime knows nothing of .flow tests: it runs a
 * script of phases (docs/runtime.md, "Test runs").
 *
 * A scripted job runs in phases. In each phase the sources emit the rows the phase gives them
 * (a values source the next `rows` of its `values`, any other source all it reads), then, when
 * the phase has one, the watermark, then a barrier numbered by the phase, and wait. A barrier
 * leaves a task once every input channel delivered it (the watermark's minimum rule, on phase
 * numbers), so once every sink subtask has passed barrier k, every record caused by the rows and
 * the watermark of phases up to k has reached its sink, and nothing of phase k+1 exists yet: the
 * test reads the collected records, then lets the sources go on (`proceed`). The last phase ends
 * the input instead of sending a barrier.
 */
import type { JobMaster } from './job-master.js';

/** One phase of a scripted test job. */
export interface TestPhase {
    /** Rows sources emit in this phase: a values source the next `rows` of its values; any other source everything ('all'). */
    given: { nodeId: string; rows: number | 'all' }[];
    /** Event time after the rows: every source emits this watermark. */
    watermark?: number;
}

/** How a test runs a job (JobManager.submit's `test` option). */
export interface JobTestOptions {
    /**
     * Phases (at least one; the last one ends the input). Absent: the sources emit everything at
     * once and the job runs to its end, as an ordinary run.
     */
    phases?: TestPhase[];
    /**
     * The test owns event time: the sources' own watermark generators emit nothing; only the
     * phases' watermarks (and the end of input) move it.
     */
    ownsTime: boolean;
}

/** What each subtask of a test job is deployed with. */
export interface TaskTestDeployment extends JobTestOptions {
    /** Processing time as operators read it: frozen (virtual time), so test results do not depend on the clock. */
    processingTime: number;
}

/**
 * Processing time in a test job: 1970-01-01T00:00:00Z throughout. Processing-time windows hold
 * every record in their first window and fire at the end of input.
 */
export const VIRTUAL_PROCESSING_TIME = 0;

/** The JobManager's record of a test job. */
export class JobTestRun {
    /** Records each node emitted (`<node id>`, or `<node id>#deadLetter` / `#late` for side outputs), summed over subtasks. */
    readonly nodeCounts = new Map<string, number>();
    readonly deployment: TaskTestDeployment;
    /** Per phase: the sink subtasks (`vertex/subtask`) that passed its barrier. */
    private readonly passed = new Map<number, Set<string>>();
    private readonly waiters = new Map<number, (() => void)[]>();
    private readonly sinkSubtasks: number;

    constructor(private readonly job: JobMaster, options: JobTestOptions, private readonly sendProceed: (phase: number) => void) {
        if (options.phases !== undefined && options.phases.length === 0) throw new Error('A scripted test job needs at least one phase.');
        this.deployment = { ...options, processingTime: VIRTUAL_PROCESSING_TIME };
        this.sinkSubtasks = job.jobGraph.vertices
            .filter((v) => v.nodes[v.nodes.length - 1].config.kind === 'sink')
            .reduce((n, v) => n + v.parallelism, 0);
    }

    /** Resolves once every sink subtask passed the barrier closing `phase` (not before the job runs). */
    whenPhaseDone(phase: number): Promise<void> {
        if ((this.passed.get(phase)?.size ?? 0) >= this.sinkSubtasks) return Promise.resolve();
        return new Promise((resolve) => {
            const list = this.waiters.get(phase) ?? [];
            list.push(resolve);
            this.waiters.set(phase, list);
        });
    }

    /** Lets the sources start the phase after `phase`. */
    proceed(phase: number): void {
        if (!this.job.isTerminal) this.sendProceed(phase);
    }

    onBarrier(vertexId: string, subtask: number, phase: number): void {
        const set = this.passed.get(phase) ?? new Set<string>();
        set.add(`${vertexId}/${subtask}`);
        this.passed.set(phase, set);
        if (set.size < this.sinkSubtasks) return;
        for (const resolve of this.waiters.get(phase) ?? []) resolve();
        this.waiters.delete(phase);
    }

    addCounts(counts: Record<string, number>): void {
        for (const [key, n] of Object.entries(counts)) this.nodeCounts.set(key, (this.nodeCounts.get(key) ?? 0) + n);
    }
}

/**
 * The live job display `flowline run` draws on a terminal's stderr: job state, each vertex with
 * its subtask states and records/s, source progress, the last checkpoint of a checkpointed job,
 * and the slots of each TaskManager. It is
 * erased before records are printed, so records and display never mix.
 */
import type { JobDetails, SubtaskMetrics, TaskManagerDetails } from '../../../protocol/cluster-api.js';
import { isSourceVertex } from '../../../protocol/cluster-api.js';
import type { CheckpointingStatistics } from '../../../protocol/checkpoints.js';
import { describeCheckpointSummary, summarizeCheckpoints } from '../../../protocol/fault-tolerance-text.js';

export class LiveDisplay {
    private lines = 0;
    /** Set by finish(): the last drawing stays, and a redraw still on its way draws nothing. */
    private finished = false;
    private subtaskMetrics = new Map<string, SubtaskMetrics[]>();
    private checkpoints = new Map<string, CheckpointingStatistics>();

    constructor(private readonly out: NodeJS.WriteStream) {}

    /** Latest per-subtask metrics of a vertex of a job (from push messages). */
    setMetrics(jobId: string, vertexId: string, metrics: SubtaskMetrics[]): void {
        this.subtaskMetrics.set(`${jobId}/${vertexId}`, metrics);
    }

    /** Latest checkpoint statistics of a job (GET /jobs/:jid/checkpoints; jobs without checkpointing have none). */
    setCheckpoints(jobId: string, stats: CheckpointingStatistics): void {
        this.checkpoints.set(jobId, stats);
    }

    /** Removes the display (before other output, and at the end). */
    erase(): void {
        if (this.lines === 0) return;
        this.out.write(`\x1b[${this.lines}F\x1b[J`);
        this.lines = 0;
    }

    /** Draws the jobs' final states, and leaves them on screen (the summary follows). */
    finish(jobs: JobDetails[], taskManagers: TaskManagerDetails[]): void {
        this.draw(jobs, taskManagers);
        this.finished = true;
        this.lines = 0;
    }

    /** Draws every job of the run (one per pipeline), then the slots. */
    draw(jobs: JobDetails[], taskManagers: TaskManagerDetails[]): void {
        if (this.finished) return;
        const width = Math.max(40, (this.out.columns || 120) - 1);
        const text: string[] = [];
        for (const job of jobs) this.describe(job, text);
        text.push(`  slots: ${taskManagers.map((tm) => `${tm.id} ${tm.slotsNumber - tm.freeSlots}/${tm.slotsNumber} used`).join(', ')}`);
        this.erase();
        const clipped = text.map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
        this.out.write(`${clipped.join('\n')}\n`);
        this.lines = clipped.length;
    }

    private describe(job: JobDetails, text: string[]): void {
        text.push(`${job.name} [${job.jid.slice(0, 8)}] ${job.state} ${(job.duration / 1000).toFixed(1)}s (${job.mode})`);
        for (const v of job.vertices) {
            const states = Object.entries(v.tasks).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ');
            const metrics = this.subtaskMetrics.get(`${job.jid}/${v.id}`) ?? [];
            const inRate = metrics.reduce((a, m) => a + m['read-records-per-second'], 0);
            const outRate = metrics.reduce((a, m) => a + m['write-records-per-second'], 0);
            const progress = metrics.map((m) => m.sourceProgress).filter((p): p is number => p !== null);
            const progressText = progress.length > 0 ? ` ${Math.round((progress.reduce((a, p) => a + p, 0) / progress.length) * 100)}%` : '';
            // A source vertex reads no records from the network (Flink counts none): it shows no "in".
            const records = isSourceVertex(job, v.id)
                ? `out ${v.metrics['write-records']} (${outRate}/s)`
                : `in ${v.metrics['read-records']} (${inRate}/s) out ${v.metrics['write-records']} (${outRate}/s)`;
            text.push(`  ${v.name} x${v.parallelism}: ${states} | ${records}${progressText}`);
        }
        const checkpoints = this.checkpoints.get(job.jid);
        if (checkpoints) text.push(`  ${describeCheckpointSummary(summarizeCheckpoints(checkpoints), Date.now())}`);
    }
}

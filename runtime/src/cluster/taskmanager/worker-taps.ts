/**
 * The taps a TaskManager samples: opened and closed by the JobManager at any time while a job
 * runs, attached to the tap points of the job's subtasks on this TaskManager (every subtask
 * whose chain runs the tapped node), and flushed to the JobManager every TAP_TICK_MS (at most
 * 5 messages per second, whatever the number of taps) and when a subtask ends.
 */
import type { TapBatch, TapSpec } from '../taskmanager-protocol.js';
import type { StreamTask } from './stream-task.js';
import { TapSampler } from './tap-sampler.js';

/** How often sampled records are sent and tap budgets refilled. */
export const TAP_TICK_MS = 200;

export class WorkerTaps {
    private readonly samplers = new Map<string, TapSampler>();
    private timer: ReturnType<typeof setInterval> | undefined;

    constructor(private readonly tasks: () => Iterable<StreamTask>, private readonly send: (batches: TapBatch[]) => void) {}

    open(spec: TapSpec): void {
        this.samplers.set(spec.tapId, new TapSampler(spec, TAP_TICK_MS / 1000));
        this.rewire(spec.jobId, spec.nodeId);
        this.timer ??= setInterval(() => this.tick(), TAP_TICK_MS);
    }

    close(tapId: string): void {
        const sampler = this.samplers.get(tapId);
        if (!sampler) return;
        this.samplers.delete(tapId);
        this.rewire(sampler.spec.jobId, sampler.spec.nodeId);
        if (this.samplers.size === 0 && this.timer) {
            clearInterval(this.timer);
            this.timer = undefined;
        }
    }

    /** A subtask is starting: hook up the taps already open on its job's nodes. */
    attach(task: StreamTask): void {
        const nodes = new Set([...this.samplers.values()].filter((s) => s.spec.jobId === task.deployment.jobId).map((s) => s.spec.nodeId));
        for (const nodeId of nodes) this.wire(task, nodeId);
    }

    /** Sends what the taps of `jobId` sampled so far (a subtask of the job is ending). */
    flushJob(jobId: string): void {
        this.flush([...this.samplers.values()].filter((s) => s.spec.jobId === jobId));
    }

    stop(): void {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
        this.samplers.clear();
    }

    private tick(): void {
        const samplers = [...this.samplers.values()];
        this.flush(samplers);
        for (const sampler of samplers) sampler.tick();
    }

    private flush(samplers: TapSampler[]): void {
        const batches = samplers.map((s) => s.take()).filter((b): b is TapBatch => b !== undefined);
        if (batches.length > 0) this.send(batches);
    }

    /** Re-attaches the hooks of every subtask running `nodeId` of `jobId` (after a tap opened or closed). */
    private rewire(jobId: string, nodeId: string): void {
        for (const task of this.tasks()) if (task.deployment.jobId === jobId) this.wire(task, nodeId);
    }

    private wire(task: StreamTask, nodeId: string): void {
        const point = task.chain.tapPoint(nodeId);
        if (!point) return;
        const hooks = [...this.samplers.values()]
            .filter((s) => s.spec.jobId === task.deployment.jobId && s.spec.nodeId === nodeId)
            .map((s) => s.hookFor(task.subtaskIndex));
        if (hooks.length === 0) point.attach(null);
        else if (hooks.length === 1) point.attach(hooks[0]);
        else point.attach((row) => { for (const hook of hooks) hook(row); });
    }
}

/**
 * The job under the debugger, on the adapter's own local cluster (as `flowline run` does, and as
 * Flink's MiniCluster in an IDE): starts the cluster (and its REST API when asked), submits the
 * pipeline with the debugger's settings, forwards printed records, runtime errors, stops and log
 * lines, and says how the job ended with `flowline run`'s summary. Restart resubmits on the same
 * cluster; shutdown cancels the job and stops the TaskManager threads.
 */
import { EventEmitter } from 'node:events';
import type { JobStatus, PushMessage } from '../../protocol/cluster-api.js';
import { TERMINAL_JOB_STATES } from '../../protocol/cluster-api.js';
import type { DebugLogLine, DebugSettings, DebugStop } from '../../protocol/job-debugging.js';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import type { JobMaster } from '../../runtime/src/cluster/job-master.js';
import { LocalCluster } from '../../runtime/src/cluster/local-cluster.js';
import { RestServer } from '../../runtime/src/rest/rest-server.js';
import { jobDetails } from '../../runtime/src/rest/job-views.js';
import { finalDetails, summaryLines } from '../../cli/src/run/run-summary.js';

export interface ClusterSettings {
    taskManagers?: number;
    slots?: number;
    /** Serve the cluster's REST API on this port of 127.0.0.1 (0: any free port). */
    restPort?: number;
}

export interface DebuggedJobEvents {
    /** Lines a print sink wrote. */
    stdout: [string[]];
    /** A runtime error or note, for the Debug Console. */
    stderr: [string];
    stopped: [DebugStop];
    continued: [];
    log: [DebugLogLine];
    /** The job reached a terminal state; `summary` is `flowline run`'s summary lines. */
    ended: [{ status: JobStatus; summary: string[] }];
}

export class DebuggedJob extends EventEmitter<DebuggedJobEvents> {
    private job: JobMaster | undefined;
    private readonly forward = (message: PushMessage): void => this.onPush(message);

    private constructor(readonly cluster: LocalCluster, readonly rest: { server: RestServer; url: string } | undefined) {
        super();
        cluster.jobManager.on('push', this.forward);
    }

    static async start(settings: ClusterSettings): Promise<DebuggedJob> {
        const cluster = await LocalCluster.start({ taskManagers: settings.taskManagers, slotsPerTaskManager: settings.slots });
        let rest: { server: RestServer; url: string } | undefined;
        if (settings.restPort !== undefined) {
            const server = new RestServer(cluster);
            try {
                rest = { server, url: await server.listen(settings.restPort) };
            } catch (error) {
                await cluster.shutdown();
                throw error;
            }
        }
        return new DebuggedJob(cluster, rest);
    }

    /** The job running now (or last run), for its execution graph. */
    get current(): JobMaster | undefined {
        return this.job;
    }

    /** Submits `graph` under the debugger; resolves at once (the job runs on). */
    submit(graph: LogicalGraph, settings: DebugSettings, stopOnEntry: boolean): JobMaster {
        const job = this.cluster.jobManager.submit(graph, { debug: { settings, stopOnEntry } });
        this.job = job;
        const debug = job.debugger!;
        debug.on('stopped', (stop) => { if (this.job === job) this.emit('stopped', stop); });
        debug.on('continued', () => { if (this.job === job) this.emit('continued'); });
        debug.on('log', (line) => { if (this.job === job) this.emit('log', line); });
        // A job that could not even be scheduled (too few slots) is FAILED before any push reaches us.
        if (job.isTerminal) void this.announceEnd(job);
        return job;
    }

    /** Cancels the job (a paused one too) and resolves once it ended; its slots are free again. */
    async cancel(): Promise<void> {
        const job = this.job;
        if (!job || job.isTerminal) return;
        this.cluster.jobManager.cancel(job.id);
        await job.whenTerminal();
    }

    /** Cancels the job without announcing its end (a restart submits the next one). */
    async discard(): Promise<void> {
        const job = this.job;
        this.job = undefined;
        if (!job || job.isTerminal) return;
        this.cluster.jobManager.cancel(job.id);
        await job.whenTerminal();
    }

    /** Cancels the job, stops the REST API and the TaskManager threads. */
    async shutdown(): Promise<void> {
        this.cluster.jobManager.off('push', this.forward);
        await this.cancel();
        await this.rest?.server.close();
        await this.cluster.shutdown();
    }

    private onPush(message: PushMessage): void {
        const job = this.job;
        if (!job || message.jid !== job.id) return;
        switch (message.type) {
            case 'sink-records':
                if (message.lines && message.lines.length > 0) this.emit('stdout', message.lines);
                return;
            case 'exception':
                if (message.entry.exceptionName !== 'CancelledError') this.emit('stderr', `${message.entry.exceptionName}: ${message.entry.message}`);
                return;
            case 'job-status':
                if (TERMINAL_JOB_STATES.includes(message.status)) void this.announceEnd(job);
                return;
        }
    }

    private announced = new WeakSet<JobMaster>();

    private async announceEnd(job: JobMaster): Promise<void> {
        if (this.announced.has(job)) return;
        this.announced.add(job);
        // The last metrics (what the sinks wrote) arrive just after the terminal state.
        const details = await finalDetails(async () => jobDetails(job));
        if (this.job === job) this.emit('ended', { status: job.status, summary: summaryLines(details) });
    }
}

/**
 * A local-mode cluster: one JobManager on the calling thread and T TaskManagers, each a worker
 * thread with S slots, connected to each other by MessagePorts for data exchange.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { JobManager } from './job-manager.js';
import { TaskManagerHandle } from './task-manager-handle.js';

export interface LocalClusterOptions {
    /** Number of TaskManagers (threads); default: the number of cores. */
    taskManagers?: number;
    /** Slots per TaskManager; default 2. */
    slotsPerTaskManager?: number;
    /** How often subtasks report metrics (ms); default 500. */
    metricsIntervalMs?: number;
    /**
     * Whether runs of filter/map/flatMap (and an aggregate after them) are fused into one loop per
     * batch. Default: on, unless the environment variable FLOWLINE_NO_FUSION is 1. Turning it off
     * runs every operator on its own, a debugging aid to tell a fuser bug from an operator bug.
     */
    operatorFusion?: boolean;
}

/** The default of LocalClusterOptions.operatorFusion: FLOWLINE_NO_FUSION=1 turns fusion off. */
function operatorFusionDefault(): boolean {
    return process.env.FLOWLINE_NO_FUSION !== '1';
}

/** The defaults: one TaskManager per core, so parallel subtasks run on every core. */
export function defaultClusterSize(): { taskManagers: number; slotsPerTaskManager: number } {
    return { taskManagers: Math.max(1, availableParallelism()), slotsPerTaskManager: 2 };
}

/** Connects a new TaskManager `index` to every other one with fresh ports (a replaced thread's ports died with it). */
function connectPeer(handles: TaskManagerHandle[], index: number): void {
    const mine: { index: number; port: import('node:worker_threads').MessagePort }[] = [];
    handles.forEach((other, j) => {
        if (j === index) return;
        const { port1, port2 } = new MessageChannel();
        mine.push({ index: j, port: port1 });
        other.send({ type: 'connect', peers: [{ index, port: port2 }] }, [port2]);
    });
    handles[index].send({ type: 'connect', peers: mine }, mine.map((p) => p.port));
}

export class LocalCluster {
    private onShutdown: () => void = () => {};

    private constructor(readonly jobManager: JobManager, readonly taskManagers: TaskManagerHandle[], readonly slotsPerTaskManager: number) {}

    /** Starts the TaskManager threads and waits until each is ready. */
    static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
        const defaults = defaultClusterSize();
        const count = options.taskManagers ?? defaults.taskManagers;
        const slots = options.slotsPerTaskManager ?? defaults.slotsPerTaskManager;
        if (!Number.isInteger(count) || count < 1) throw new Error(`The number of TaskManagers must be a positive integer, not ${count}.`);
        if (!Number.isInteger(slots) || slots < 1) throw new Error(`The number of slots per TaskManager must be a positive integer, not ${slots}.`);
        // The handles need the JobManager for their messages, and it needs them: tie the knot.
        const ref: { jobManager?: JobManager } = {};
        const handles: TaskManagerHandle[] = [];
        const operatorFusion = options.operatorFusion ?? operatorFusionDefault();
        const settings = { metricsIntervalMs: options.metricsIntervalMs ?? 500, operatorFusion };
        let shuttingDown = false;
        const startTaskManager = (index: number): TaskManagerHandle => new TaskManagerHandle(index, slots, settings,
            (tm, message) => ref.jobManager?.onTaskManagerMessage(tm, message),
            (tm, error) => {
                // A thread that died (error, or exit with a non-zero code) is reported once and
                // replaced at once, as Flink's resource manager starts a new TaskManager: jobs that
                // restart after the failure are deployed to the new one.
                if (tm.lost || shuttingDown) return;
                tm.lost = true;
                if (handles[index] === tm) {
                    handles[index] = startTaskManager(index);
                    connectPeer(handles, index);
                }
                ref.jobManager?.onTaskManagerLost(tm, error);
            });
        for (let i = 0; i < count; i++) handles.push(startTaskManager(i));
        const jobManager = new JobManager(handles, slots);
        ref.jobManager = jobManager;
        await Promise.all(handles.map((h) => h.ready));
        // A full mesh of ports: TaskManager i talks to j over its own MessagePort.
        const peers = handles.map(() => [] as { index: number; port: import('node:worker_threads').MessagePort }[]);
        for (let i = 0; i < count; i++) {
            for (let j = i + 1; j < count; j++) {
                const { port1, port2 } = new MessageChannel();
                peers[i].push({ index: j, port: port1 });
                peers[j].push({ index: i, port: port2 });
            }
        }
        handles.forEach((h, i) => h.send({ type: 'connect', peers: peers[i] }, peers[i].map((p) => p.port)));
        const cluster = new LocalCluster(jobManager, handles, slots);
        cluster.onShutdown = () => { shuttingDown = true; };
        return cluster;
    }

    /** Cancels running jobs and stops every TaskManager thread. */
    async shutdown(): Promise<void> {
        this.onShutdown();
        const running = [...this.jobManager.jobs.values()].filter((j) => !j.isTerminal);
        for (const job of running) this.jobManager.cancel(job.id);
        await Promise.race([
            Promise.all(running.map((j) => j.whenTerminal())),
            new Promise((resolve) => setTimeout(resolve, 2000).unref())
        ]);
        this.jobManager.close();
        // Ask each thread to stop (it exits once its ports are closed); terminate what does not.
        await Promise.all(this.taskManagers.map(async (tm) => {
            const exited = new Promise<boolean>((resolve) => tm.worker.once('exit', () => resolve(true)));
            tm.send({ type: 'shutdown' });
            const clean = await Promise.race([exited, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref())]);
            if (!clean) await tm.worker.terminate();
        }));
    }
}

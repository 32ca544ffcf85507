/**
 * The JobManager's handle on one TaskManager: its worker thread, slots and latest heartbeat.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';
import type { JobManagerToTaskManager, TaskManagerInit, TaskManagerToJobManager } from './taskmanager-protocol.js';

/**
 * Where the worker entry is: in dist/, next to this code or one level up (when this code sits
 * in a shared chunk, dist/chunks/), or the .ts source under tsx.
 */
function workerEntry(): { url: URL | string; eval: boolean } {
    for (const candidate of ['./taskmanager-worker.mjs', '../taskmanager-worker.mjs']) {
        const bundled = new URL(candidate, import.meta.url);
        if (existsSync(fileURLToPath(bundled))) return { url: bundled, eval: false };
    }
    const source = new URL('./taskmanager-worker.ts', import.meta.url);
    if (existsSync(fileURLToPath(source))) {
        // The source under tsx (tests running the runtime in-process): Node 20 does not apply an
        // `--import tsx` given in a worker's execArgv, so the worker registers tsx itself.
        const load = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); })`;
        return { url: load, eval: true };
    }
    throw new Error(`The TaskManager worker was not found next to ${fileURLToPath(import.meta.url)} (run \`npm run build\`).`);
}

export class TaskManagerHandle {
    readonly id: string;
    readonly worker: Worker;
    readonly ready: Promise<void>;
    lastHeartbeat = Date.now();
    /** Set once the thread died (the cluster then runs a new handle in its place). */
    lost = false;
    heapUsed = 0;
    heapTotal = 0;
    cpuTimeMs = 0;

    constructor(readonly index: number, readonly slots: number, settings: Pick<TaskManagerInit, 'metricsIntervalMs' | 'operatorFusion'>, onMessage: (tm: TaskManagerHandle, message: TaskManagerToJobManager) => void, onExit: (tm: TaskManagerHandle, error: Error) => void) {
        this.id = `taskmanager-${index + 1}`;
        const entry = workerEntry();
        const init: TaskManagerInit = { index, id: this.id, slots, ...settings };
        // Without execArgv the worker inherits Node's flags (e.g. --cpu-prof).
        this.worker = new Worker(entry.url, { workerData: init, eval: entry.eval, name: this.id });
        this.ready = new Promise((resolve, reject) => {
            this.worker.once('error', reject);
            const onReady = (message: TaskManagerToJobManager): void => {
                if (message.type === 'ready') {
                    this.worker.off('message', onReady);
                    this.worker.off('error', reject);
                    resolve();
                }
            };
            this.worker.on('message', onReady);
        });
        this.worker.on('message', (message: TaskManagerToJobManager) => {
            if (message.type === 'heartbeat') {
                this.lastHeartbeat = Date.now();
                this.heapUsed = message.heapUsed;
                this.heapTotal = message.heapTotal;
                this.cpuTimeMs = message.cpuTimeMs;
            }
            onMessage(this, message);
        });
        this.worker.on('error', (error) => onExit(this, error));
        this.worker.on('exit', (code) => { if (code !== 0) onExit(this, new Error(`${this.id} exited with code ${code}.`)); });
    }

    send(message: JobManagerToTaskManager, transfer: TransferListItem[] = []): void {
        this.worker.postMessage(message, transfer);
    }
}

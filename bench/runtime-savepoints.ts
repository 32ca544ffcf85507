/**
 * What savepoints cost as the state grows (1 K, 100 K, 1 M keys of a keyed aggregation, p=2):
 * the savepoint's size and duration (stop-with-savepoint: trigger to folder in place), and the
 * time a job restored from it takes to have every subtask RUNNING (its state read and restored),
 * at the same parallelism and rescaled to p=1 (old pieces merged) and p=4 (split by key group),
 * against a job started without state. One in-process LocalCluster (2 TaskManagers x 2 slots).
 * `npm run bench -- savepoints` (FLOWLINE_BENCH_SAVEPOINT_KEYS=1000,100000 to pick sizes).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogicalGraph } from '../protocol/logical-graph.js';
import type { JobMaster } from '../runtime/src/cluster/job-master.js';
import { LocalCluster } from '../runtime/src/cluster/local-cluster.js';
import type { BenchResult } from './bench-result.js';
import { graphOf } from './_runtime-harness.js';

const STATE_KEYS = (process.env.FLOWLINE_BENCH_SAVEPOINT_KEYS ?? '1000,100000,1000000').split(',').map(Number);

/** An endless keyed aggregation that has seen every one of `keys` keys after `keys` records. */
function stateFlow(keys: number): string {
    return `pipeline SavepointState${keys} {
    mode streaming
    parallelism 2
    source nums = datagen(seed: 7) {
        n: long = sequence(0)
        k: long = sequence(0) % ${keys}
    }
    stream sums = nums
        | keyBy k
        | aggregate { k, total: sum(n), c: count() }
    sink sums -> blackhole
}
`;
}

async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

function sourceRecords(job: JobMaster): number {
    return job.executionGraph.all().reduce((n, v) => n + (v.metrics?.sourceRecords ?? 0), 0);
}

/** Submits `graph` (optionally restoring `savepoint` at `parallelism`); ms until every subtask is RUNNING; then cancels it. */
async function timeToRunning(cluster: LocalCluster, graph: LogicalGraph, parallelism: number, savepoint?: string): Promise<number> {
    const scaled: LogicalGraph = { ...graph, parallelism, nodes: graph.nodes.map((n) => (n.parallelismPinned ? n : { ...n, parallelism })) };
    const started = performance.now();
    const job = cluster.jobManager.submit(scaled, savepoint ? { restore: { path: savepoint, allowNonRestoredState: false } } : {});
    await until(() => job.isTerminal || job.executionGraph.all().every((v) => v.state === 'RUNNING'));
    const ms = performance.now() - started;
    if (job.isTerminal) throw new Error(`${graph.pipeline} ended ${job.status}: ${job.exceptions.map((e) => e.message).join('; ')}`);
    cluster.jobManager.cancel(job.id);
    await job.whenTerminal();
    return ms;
}

function folderBytes(folder: string): number {
    return readdirSync(folder).reduce((n, name) => n + statSync(join(folder, name)).size, 0);
}

export async function run(): Promise<BenchResult[]> {
    const directory = mkdtempSync(join(tmpdir(), 'flowline-bench-savepoints-'));
    const cluster = await LocalCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 });
    const results: BenchResult[] = [];
    try {
        for (const keys of STATE_KEYS) {
            const workload = `savepoints, keyed aggregation with ${keys.toLocaleString('en-US')} keys (p=2)`;
            const { graph } = graphOf(`savepoint-state-${keys}`, stateFlow(keys));
            // No periodic checkpoint: the savepoint is the only one.
            const checkpointed: LogicalGraph = { ...graph, checkpointing: { intervalMs: 3_600_000, mode: 'exactly-once', directory: join(directory, 'checkpoints') } };
            const job = cluster.jobManager.submit(checkpointed);
            await until(() => job.isTerminal || sourceRecords(job) >= 2 * keys);
            const triggered = performance.now();
            const triggerId = cluster.jobManager.triggerSavepoint(job.id, join(directory, 'savepoints'), { terminate: true });
            await until(() => cluster.jobManager.savepointStatus(job.id, triggerId).status.id === 'COMPLETED');
            const took = performance.now() - triggered;
            const operation = cluster.jobManager.savepointStatus(job.id, triggerId).operation;
            if (!operation || !('location' in operation)) throw new Error(`the savepoint failed: ${JSON.stringify(operation)}`);
            await job.whenTerminal();
            const fresh = await timeToRunning(cluster, checkpointed, 2);
            results.push(
                { workload, name: 'savepoint size', value: folderBytes(operation.location), unit: 'B' },
                { workload, name: 'stop-with-savepoint duration (trigger to folder in place)', value: took, unit: 'ms' },
                { workload, name: 'start without state: every subtask RUNNING', value: fresh, unit: 'ms' }
            );
            for (const p of [2, 1, 4]) {
                const restored = await timeToRunning(cluster, checkpointed, p, operation.location);
                const how = p === 2 ? 'same parallelism' : p === 1 ? 'rescaled to p=1, pieces merged' : 'rescaled to p=4, split by key group';
                results.push({ workload, name: `restore (${how}): every subtask RUNNING`, value: restored, unit: 'ms', ratio: restored / fresh, baseline: 'start without state' });
            }
        }
        return results;
    } finally {
        await cluster.shutdown();
        rmSync(directory, { recursive: true, force: true });
    }
}

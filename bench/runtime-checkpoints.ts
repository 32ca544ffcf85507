/**
 * What checkpoints cost (issue 12's goal: under 5 % throughput loss with a checkpoint every 1 s;
 * Flink's published figure is 6.3 %), for the keyed and the windowed streaming workloads (p=2),
 * and how checkpoint duration and size grow with the state (1 K, 100 K, 1 M keys), with the last
 * checkpoint's duration split into barrier, sync, async and ack (where a regression shows).
 *
 * Each workload first runs briefly without checkpoints to measure its rate on this machine, then
 * gets as many records as that rate makes in FLOWLINE_BENCH_CHECKPOINT_SECONDS (default 12 s), so
 * a job with `checkpoint every 1s` takes about that many checkpoints however fast the machine is
 * (a job that ends within the first interval takes none). The same graph runs in one in-process
 * LocalCluster without checkpoints and with them (exactly once, aligned); timing is the job's own
 * RUNNING -> FINISHED and the CPU time of the process (all threads) during the job, best of
 * several interleaved rounds. Then the windowed job resumed from a savepoint with its window
 * combiner and without (`restoredCombiner`). `npm run bench -- checkpoints`
 * (FLOWLINE_BENCH_CHECKPOINT_ONLY=restore: the restore rows only).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointDurationSplit, CheckpointingSettings } from '../protocol/checkpoints.js';
import type { LogicalGraph } from '../protocol/logical-graph.js';
import type { JobMaster } from '../runtime/src/cluster/job-master.js';
import { LocalCluster } from '../runtime/src/cluster/local-cluster.js';
import type { BenchResult } from './bench-result.js';
import { graphOf } from './_runtime-harness.js';

const SECONDS = Number(process.env.FLOWLINE_BENCH_CHECKPOINT_SECONDS ?? 12);
const ROUNDS = Number(process.env.FLOWLINE_BENCH_CHECKPOINT_ROUNDS ?? 3);
const STATE_KEYS = (process.env.FLOWLINE_BENCH_CHECKPOINT_KEYS ?? '1000,100000,1000000').split(',').map(Number);
/** Records of the restore workload (about a fifth before its savepoint, the rest after each restore). */
const RESTORE_RECORDS = Number(process.env.FLOWLINE_BENCH_CHECKPOINT_RESTORE_RECORDS ?? 4_000_000);
/** `restore`: only the restore rows. */
const ONLY = process.env.FLOWLINE_BENCH_CHECKPOINT_ONLY;
/** Records of the calibration run that measures a workload's rate. */
const CALIBRATION_RECORDS = 1_000_000;
const INTERVAL_MS = 1000;

function keyedFlow(records: number): string {
    return `pipeline CheckpointKeyed {
    mode streaming
    parallelism 2
    source nums = datagen(count: ${records}, seed: 7) {
        n: long = sequence(0)
        k: long = random(0, 9999)
    }
    stream sums = nums
        | keyBy k
        | aggregate { k, total: sum(n), c: count() }
    sink sums -> blackhole
}
`;
}

/**
 * Tumbling windows over `keys` keys; the restore workload (`restoredCombiner`) takes 100 keys (the
 * window combiner folds a 4 096-record batch into about 100 partials) and a `rate` for its first job.
 */
function windowedFlow(records: number, keys = 10_000, rate?: number): string {
    return `pipeline CheckpointWindowed {
    mode streaming
    parallelism 2
    source events = datagen(count: ${records}, seed: 7${rate === undefined ? '' : `, rate: ${rate}`}) {
        k: long = random(0, ${keys - 1})
        // The clock, not the sequence: a bounded datagen gives each subtask its own index range,
        // so sequence-based times would hold one subtask's windows open until the other caught up
        // (and a job resumed from a savepoint reads records after its restored watermark).
        ts: timestamp = now()
        watermark ts - 200ms
    }
    stream perKey = events
        | keyBy k
        | window tumbling 1s on ts
        | aggregate { k, c: count() }
    sink perKey -> blackhole
}
`;
}

/** A keyed aggregation holding `keys` keys (each record a new key until all exist), for state size. */
function stateFlow(keys: number, records: number): string {
    return `pipeline CheckpointState${keys} {
    mode streaming
    parallelism 2
    source nums = datagen(count: ${records}, seed: 7) {
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

interface Run { wallMs: number; cpuMs: number; taken: number; failed: number; sizes: number[]; durations: number[]; splits: (CheckpointDurationSplit | undefined)[] }

async function runOnce(cluster: LocalCluster, graph: LogicalGraph): Promise<Run> {
    const cpu = process.cpuUsage();
    const job = cluster.jobManager.submit(graph);
    const status = await job.whenTerminal();
    const used = process.cpuUsage(cpu);
    if (status !== 'FINISHED') throw new Error(`${graph.pipeline} ended ${status}: ${job.exceptions.map((e) => e.message).join('; ')}`);
    const stats = job.checkpoints?.statistics();
    // Oldest first; the history keeps the last 10, which is what the size/duration figures read.
    const completed = (stats?.history.filter((h) => h.status === 'COMPLETED') ?? []).reverse();
    return {
        wallMs: job.timestamps.FINISHED! - job.timestamps.RUNNING!, cpuMs: (used.user + used.system) / 1000,
        taken: stats?.counts.completed ?? 0, failed: stats?.counts.failed ?? 0,
        sizes: completed.map((h) => h.state_size), durations: completed.map((h) => h.end_to_end_duration), splits: completed.map((h) => h.duration_split)
    };
}

function withCheckpoints(graph: LogicalGraph, settings: CheckpointingSettings | undefined): LogicalGraph {
    return { ...graph, checkpointing: settings };
}

/** Records a workload processes in SECONDS on this machine (from a short run without checkpoints). */
async function calibrate(cluster: LocalCluster, name: string, flow: (records: number) => string): Promise<number> {
    const { graph } = graphOf(`${name}-calibration`, flow(CALIBRATION_RECORDS));
    await runOnce(cluster, graph); // warm-up: code generation, JIT
    const t = await runOnce(cluster, graph);
    return Math.ceil((CALIBRATION_RECORDS / t.wallMs) * 1000 * SECONDS);
}

/** Runs `graph` with FLOWLINE_COMBINER=off when `combinerOff` (the planner reads it when the job is submitted). */
async function runWithCombiner(cluster: LocalCluster, graph: LogicalGraph, combinerOff: boolean): Promise<Run> {
    const saved = process.env.FLOWLINE_COMBINER;
    if (combinerOff) process.env.FLOWLINE_COMBINER = 'off';
    try {
        return await runOnce(cluster, graph);
    } finally {
        if (saved === undefined) delete process.env.FLOWLINE_COMBINER;
        else process.env.FLOWLINE_COMBINER = saved;
    }
}

/**
 * Without and with checkpoints; with `combinerOff`, also both with FLOWLINE_COMBINER=off, in the
 * same interleaved rounds (the windowed workload: its window combiner runs in checkpointed jobs).
 */
async function overhead(cluster: LocalCluster, workload: string, name: string, flow: (records: number) => string, directory: string, combinerOff = false): Promise<BenchResult[]> {
    const records = await calibrate(cluster, name, flow);
    const { graph } = graphOf(name, flow(records));
    const variants = [
        withCheckpoints(graph, undefined),
        withCheckpoints(graph, { intervalMs: INTERVAL_MS, mode: 'exactly-once', directory })
    ];
    if (combinerOff) variants.push(...variants);
    const wall = variants.map(() => Infinity);
    const cpu = variants.map(() => Infinity);
    let taken = Infinity;
    let failed = 0;
    for (let round = 0; round < ROUNDS; round++) {
        for (let j = 0; j < variants.length; j++) {
            const i = (j + round) % variants.length;
            const t = await runWithCombiner(cluster, variants[i], i >= 2);
            wall[i] = Math.min(wall[i], t.wallMs);
            cpu[i] = Math.min(cpu[i], t.cpuMs);
            if (i === 1) {
                taken = Math.min(taken, t.taken);
                failed += t.failed;
            }
        }
    }
    const rate = (ms: number): number => (records / ms) * 1000;
    const took = `${taken}+ taken per run, ${failed} failed, ${records.toLocaleString('en-US')} records, ~${SECONDS} s`;
    const target = '>= 0.95x (overhead < 5 %)';
    return [
        { workload, name: 'no checkpoints, wall', value: rate(wall[0]), unit: 'rec/s' },
        { workload, name: 'no checkpoints, CPU', value: rate(cpu[0]), unit: 'rec per CPU s' },
        { workload, name: `checkpoint every 1s (${took}), wall`, value: rate(wall[1]), unit: 'rec/s', ratio: wall[0] / wall[1], baseline: 'no checkpoints', target },
        { workload, name: `checkpoint every 1s (${took}), CPU`, value: rate(cpu[1]), unit: 'rec per CPU s', ratio: cpu[0] / cpu[1], baseline: 'no checkpoints', target },
        ...(combinerOff ? [
            { workload, name: 'FLOWLINE_COMBINER=off, no checkpoints, CPU', value: rate(cpu[2]), unit: 'rec per CPU s', ratio: cpu[0] / cpu[2], baseline: 'no checkpoints, combiner on' },
            { workload, name: 'FLOWLINE_COMBINER=off, checkpoint every 1s, CPU', value: rate(cpu[3]), unit: 'rec per CPU s', ratio: cpu[1] / cpu[3], baseline: 'checkpoint every 1s, combiner on' }
        ] : [])
    ];
}

/**
 * Attempts restored from a savepoint, with the window combiner (it combines there too: see
 * docs/runtime.md, "Window combiner") and with FLOWLINE_COMBINER=off, in the same interleaved
 * rounds: the windowed job is stopped with a savepoint early, and each round resumes it both ways;
 * CPU of the process while the resumed job runs to its end, per record it read.
 */
async function restoredCombiner(cluster: LocalCluster, directory: string): Promise<BenchResult[]> {
    const workload = 'checkpoints, tumbling windows over 100 keys p=2, resumed from a savepoint';
    const records = RESTORE_RECORDS;
    const settings: CheckpointingSettings = { intervalMs: INTERVAL_MS, mode: 'exactly-once', directory };
    const checkpointed = withCheckpoints(graphOf('checkpoint-restored-windows', windowedFlow(records, 100)).graph, settings);
    // The first job reads at a fifth of the records per second and is stopped after a second (same operator uids: the rate is no state).
    const first = cluster.jobManager.submit(withCheckpoints(graphOf('checkpoint-restored-windows-first', windowedFlow(records, 100, records / 5)).graph, settings));
    await until(() => first.isTerminal || first.status === 'RUNNING');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const triggerId = cluster.jobManager.triggerSavepoint(first.id, join(directory, 'savepoints'), { terminate: true });
    await until(() => cluster.jobManager.savepointStatus(first.id, triggerId).status.id !== 'IN_PROGRESS');
    const operation = cluster.jobManager.savepointStatus(first.id, triggerId).operation;
    if (!operation || !('location' in operation)) throw new Error(`the savepoint failed: ${JSON.stringify(operation)}`);
    await first.whenTerminal();
    const cpu = [Infinity, Infinity];
    const wall = [Infinity, Infinity];
    let resumedRecords = 0;
    for (let round = 0; round < ROUNDS; round++) {
        for (let j = 0; j < 2; j++) {
            const i = (j + round) % 2;
            const saved = process.env.FLOWLINE_COMBINER;
            if (i === 1) process.env.FLOWLINE_COMBINER = 'off';
            try {
                const used = process.cpuUsage();
                const job = cluster.jobManager.submit(checkpointed, { restore: { path: operation.location, allowNonRestoredState: false } });
                const status = await job.whenTerminal();
                const spent = process.cpuUsage(used);
                if (status !== 'FINISHED') throw new Error(`the resumed job ended ${status}: ${job.exceptions.map((e) => e.message).join('; ')}`);
                resumedRecords = sourceRecords(job);
                cpu[i] = Math.min(cpu[i], (spent.user + spent.system) / 1000);
                wall[i] = Math.min(wall[i], job.timestamps.FINISHED! - job.timestamps.RUNNING!);
            } finally {
                if (saved === undefined) delete process.env.FLOWLINE_COMBINER;
                else process.env.FLOWLINE_COMBINER = saved;
            }
        }
    }
    const rate = (ms: number): number => (resumedRecords / ms) * 1000;
    const read = `${resumedRecords.toLocaleString('en-US')} of ${records.toLocaleString('en-US')} records after the savepoint`;
    return [
        { workload, name: `resumed, combiner on (${read}), CPU`, value: rate(cpu[0]), unit: 'rec per CPU s' },
        { workload, name: 'resumed, combiner on, wall', value: rate(wall[0]), unit: 'rec/s' },
        { workload, name: 'resumed, FLOWLINE_COMBINER=off, CPU', value: rate(cpu[1]), unit: 'rec per CPU s', ratio: cpu[0] / cpu[1], baseline: 'resumed, combiner on' },
        { workload, name: 'resumed, FLOWLINE_COMBINER=off, wall', value: rate(wall[1]), unit: 'rec/s', ratio: wall[0] / wall[1], baseline: 'resumed, combiner on' }
    ];
}

function sourceRecords(job: JobMaster): number {
    return job.executionGraph.all().reduce((n, v) => n + (v.metrics?.sourceRecords ?? 0), 0);
}

async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Per state size: a keyed aggregation that reaches `keys` keys early and then runs on with them,
 * long enough for several checkpoints at full size; the last completed checkpoint's size and
 * duration, the longest duration, and the CPU each checkpoint cost (against the same job without).
 */
async function stateGrowth(cluster: LocalCluster, directory: string): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    const workload = 'checkpoint size and duration (keyed, p=2, every 1s)';
    const perSecond = (await calibrate(cluster, 'checkpoint-state-rate', (n) => stateFlow(1000, n))) / SECONDS;
    for (const keys of STATE_KEYS) {
        // At least 6 s of records at the small-state rate, and every key seen twice.
        const records = Math.max(keys * 2, Math.ceil(perSecond * Math.max(6, SECONDS / 2)));
        const { graph } = graphOf(`checkpoint-state-${keys}`, stateFlow(keys, records));
        const without = await runOnce(cluster, withCheckpoints(graph, undefined));
        const t = await runOnce(cluster, withCheckpoints(graph, { intervalMs: INTERVAL_MS, mode: 'exactly-once', directory }));
        const label = `${keys.toLocaleString('en-US')} keys`;
        if (t.sizes.length === 0) {
            results.push({ workload, name: `${label}: no checkpoint completed in ${Math.round(t.wallMs)} ms (the job ended first)`, value: 0, unit: 'B' });
            continue;
        }
        const cpuPerCheckpoint = Math.max(0, t.cpuMs - without.cpuMs) / t.taken;
        results.push(
            { workload, name: `${label}: last checkpoint's size (${t.taken} taken, ${t.failed} failed)`, value: t.sizes.at(-1)!, unit: 'B' },
            { workload, name: `${label}: last checkpoint's duration`, value: t.durations.at(-1)!, unit: 'ms' },
            { workload, name: `${label}: longest checkpoint`, value: Math.max(...t.durations), unit: 'ms' },
            ...splitRows(workload, label, t.splits.at(-1)),
            { workload, name: `${label}: CPU per checkpoint (job CPU with - without, / taken)`, value: cpuPerCheckpoint, unit: 'ms' }
        );
    }
    return results;
}

/**
 * The last checkpoint's duration split (docs/fault-tolerance.md, "What the views show"), for the
 * subtask that acknowledged last: a regression shows in the part that grew (the 1 M-key one of
 * 2026-11-28 was all in `async`: the state files' writes waiting for the task's event loop).
 */
function splitRows(workload: string, label: string, split: CheckpointDurationSplit | undefined): BenchResult[] {
    if (!split) return [{ workload, name: `${label}: last checkpoint's duration split: not reported`, value: 0, unit: 'ms' }];
    return [
        { workload, name: `${label}: last checkpoint, barrier (trigger -> barrier passed the slowest subtask's inputs)`, value: split.barrier, unit: 'ms' },
        { workload, name: `${label}: last checkpoint, sync (state serialised on the task thread; the task stalls)`, value: split.sync, unit: 'ms' },
        { workload, name: `${label}: last checkpoint, async (state files written while the task runs on)`, value: split.async, unit: 'ms' },
        { workload, name: `${label}: last checkpoint, ack (to the JobManager)`, value: split.ack, unit: 'ms' }
    ];
}

export async function run(): Promise<BenchResult[]> {
    const directory = mkdtempSync(join(tmpdir(), 'flowline-bench-checkpoints-'));
    const cluster = await LocalCluster.start({ taskManagers: 2, slotsPerTaskManager: 1 });
    try {
        if (ONLY === 'restore') return await restoredCombiner(cluster, directory);
        return [
            ...await overhead(cluster, 'checkpoints, keyed aggregation p=2', 'checkpoint-keyed', keyedFlow, directory),
            ...await overhead(cluster, 'checkpoints, tumbling windows p=2', 'checkpoint-windowed', windowedFlow, directory, true),
            ...await restoredCombiner(cluster, directory),
            ...await stateGrowth(cluster, directory)
        ];
    } finally {
        await cluster.shutdown();
        rmSync(directory, { recursive: true, force: true });
    }
}

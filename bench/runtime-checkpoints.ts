/**
 * What checkpoints cost (issue 12's goal: under 5 % throughput loss with a checkpoint every 1 s;
 * Flink's published figure is 6.3 %), for the keyed and the windowed streaming workloads, and how
 * checkpoint duration and size grow with the state. The same graphs run in one in-process
 * LocalCluster without checkpoints and with `checkpoint every 1s` (exactly once, aligned);
 * timing is the job's own RUNNING -> FINISHED and the CPU time of the process (all threads)
 * during the job, best of several interleaved rounds. `npm run bench -- checkpoints`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointingSettings } from '../protocol/checkpoints.js';
import type { LogicalGraph } from '../protocol/logical-graph.js';
import { LocalCluster } from '../runtime/src/cluster/local-cluster.js';
import type { BenchResult } from './bench-result.js';
import { graphOf } from './_runtime-harness.js';

const N = Number(process.env.FLOWLINE_BENCH_CHECKPOINT_RECORDS ?? 3_000_000);
const ROUNDS = Number(process.env.FLOWLINE_BENCH_CHECKPOINT_ROUNDS ?? 3);
const STATE_KEYS = (process.env.FLOWLINE_BENCH_CHECKPOINT_KEYS ?? '1000,100000,1000000').split(',').map(Number);

const KEYED = `pipeline CheckpointKeyed {
    mode streaming
    parallelism 2
    source nums = datagen(count: ${N}, seed: 7) {
        n: long = sequence(0)
        k: long = random(0, 9999)
    }
    stream sums = nums
        | keyBy k
        | aggregate { k, total: sum(n), c: count() }
    sink sums -> blackhole
}
`;

const WINDOWED = `pipeline CheckpointWindowed {
    mode streaming
    parallelism 2
    source events = datagen(count: ${N}, seed: 7) {
        k: long = random(0, 9999)
        // The clock, not the sequence: a bounded datagen gives each subtask its own index range,
        // so sequence-based times would hold one subtask's windows open until the other caught up.
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

/** A keyed aggregation holding `keys` keys (each record a new key until all exist), for state size. */
function stateGraph(keys: number): string {
    return `pipeline CheckpointState${keys} {
    mode streaming
    parallelism 2
    source nums = datagen(count: ${Math.max(keys * 2, 400_000)}, seed: 7) {
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

async function runOnce(cluster: LocalCluster, graph: LogicalGraph): Promise<{ wallMs: number; cpuMs: number; checkpoints: number; sizes: number[]; durations: number[] }> {
    const cpu = process.cpuUsage();
    const job = cluster.jobManager.submit(graph);
    const status = await job.whenTerminal();
    const used = process.cpuUsage(cpu);
    if (status !== 'FINISHED') throw new Error(`${graph.pipeline} ended ${status}: ${job.exceptions.map((e) => e.message).join('; ')}`);
    const stats = job.checkpoints?.statistics();
    const completed = stats?.history.filter((h) => h.status === 'COMPLETED') ?? [];
    return {
        wallMs: job.timestamps.FINISHED! - job.timestamps.RUNNING!, cpuMs: (used.user + used.system) / 1000,
        checkpoints: stats?.counts.completed ?? 0, sizes: completed.map((h) => h.state_size), durations: completed.map((h) => h.end_to_end_duration)
    };
}

function withCheckpoints(graph: LogicalGraph, settings: CheckpointingSettings): LogicalGraph {
    return { ...graph, checkpointing: settings };
}

async function overhead(cluster: LocalCluster, workload: string, graph: LogicalGraph, directory: string): Promise<BenchResult[]> {
    const variants = [
        { name: 'no checkpoints', graph: { ...graph, checkpointing: undefined } },
        { name: 'checkpoint every 1s', graph: withCheckpoints(graph, { intervalMs: 1000, mode: 'exactly-once', directory }) }
    ];
    const wall = variants.map(() => Infinity);
    const cpu = variants.map(() => Infinity);
    let taken = 0;
    await runOnce(cluster, variants[0].graph); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
        for (let j = 0; j < variants.length; j++) {
            const i = (j + round) % variants.length;
            const t = await runOnce(cluster, variants[i].graph);
            wall[i] = Math.min(wall[i], t.wallMs);
            cpu[i] = Math.min(cpu[i], t.cpuMs);
            if (i === 1) taken = Math.max(taken, t.checkpoints);
        }
    }
    const rate = (ms: number): number => (N / ms) * 1000;
    return [
        { workload, name: 'no checkpoints, wall', value: rate(wall[0]), unit: 'rec/s' },
        { workload, name: 'no checkpoints, CPU', value: rate(cpu[0]), unit: 'rec per CPU s' },
        { workload, name: `checkpoint every 1s (${taken} taken), wall`, value: rate(wall[1]), unit: 'rec/s', ratio: wall[0] / wall[1], baseline: 'no checkpoints', target: '>= 0.95x (overhead < 5 %)' },
        { workload, name: `checkpoint every 1s (${taken} taken), CPU`, value: rate(cpu[1]), unit: 'rec per CPU s', ratio: cpu[0] / cpu[1], baseline: 'no checkpoints', target: '>= 0.95x (overhead < 5 %)' }
    ];
}

async function stateGrowth(cluster: LocalCluster, directory: string): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    for (const keys of STATE_KEYS) {
        const { graph } = graphOf(`checkpoint-state-${keys}`, stateGraph(keys));
        const t = await runOnce(cluster, withCheckpoints(graph, { intervalMs: 250, mode: 'exactly-once', directory }));
        if (t.sizes.length === 0) {
            results.push({ workload: 'checkpoint size and duration', name: `${keys} keys: no checkpoint completed (the job ended first)`, value: 0, unit: 'B' });
            continue;
        }
        results.push(
            { workload: 'checkpoint size and duration', name: `${keys} keys, largest state`, value: Math.max(...t.sizes), unit: 'B' },
            { workload: 'checkpoint size and duration', name: `${keys} keys, longest checkpoint`, value: Math.max(...t.durations), unit: 'ms' }
        );
    }
    return results;
}

export async function run(): Promise<BenchResult[]> {
    const directory = mkdtempSync(join(tmpdir(), 'flowline-bench-checkpoints-'));
    const cluster = await LocalCluster.start({ taskManagers: 2, slotsPerTaskManager: 1 });
    try {
        return [
            ...await overhead(cluster, 'checkpoints, keyed aggregation p=2', graphOf('checkpoint-keyed', KEYED).graph, directory),
            ...await overhead(cluster, 'checkpoints, tumbling windows p=2', graphOf('checkpoint-windowed', WINDOWED).graph, directory),
            ...await stateGrowth(cluster, directory)
        ];
    } finally {
        await cluster.shutdown();
        rmSync(directory, { recursive: true, force: true });
    }
}

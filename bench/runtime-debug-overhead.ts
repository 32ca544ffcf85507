/**
 * What running a job under the debugger costs when nothing stops it (issue 8's goal: under 5 %
 * throughput loss with no breakpoint set). The same graph runs in one in-process LocalCluster:
 * normally (operator fusion on, as `flowline run`), normally with fusion off (what a debugged job
 * runs, minus the probes), debugged with no breakpoint, and debugged with a conditional
 * breakpoint that never holds (its condition is evaluated on every record of that node). Timing:
 * the job's own RUNNING -> FINISHED, and the CPU time of the process (all threads) during the job,
 * which other load on the machine disturbs less; best of several runs, interleaved so load drifts
 * hit all variants alike.
 */
import type { Expr, LogicalGraph } from '../protocol/logical-graph.js';
import type { DebugSettings } from '../protocol/job-debugging.js';
import { LocalCluster } from '../runtime/src/cluster/local-cluster.js';
import type { BenchResult } from './bench-result.js';
import { graphOf } from './_runtime-harness.js';

const N = Number(process.env.FLOWLINE_BENCH_DEBUG_RECORDS ?? 4_000_000);
const ROUNDS = Number(process.env.FLOWLINE_BENCH_DEBUG_ROUNDS ?? 5);

const STATELESS = `pipeline DebugStateless {
    mode batch
    parallelism 1
    source nums = datagen(count: ${N}) {
        k: long = sequence(0)
        v: long = sequence(0)
    }
    stream total = nums
        | filter v % 2 == 0
        | map { k, v: v * 2 }
        | aggregate { s: sum(v), c: count() }
    sink total -> print
}
`;

const KEYED = `pipeline DebugKeyed {
    mode batch
    parallelism 2
    source nums = datagen(count: ${N}, seed: 7) {
        n: long = sequence(0)
        k: long = random(0, 999)
    }
    stream sums = nums
        | filter n >= 0
        | keyBy k
        | aggregate { k, total: sum(n), c: count() }
    sink sums -> blackhole
}
`;

const NO_EXCEPTIONS = { operatorErrors: false, badRows: false };

/** `v < 0` (never true: v counts up from 0) on the filter node. */
function neverTrue(graph: LogicalGraph, field: string): DebugSettings {
    const filter = graph.nodes.find((n) => n.config.kind === 'filter')!;
    const condition: Expr = { k: 'binary', op: '<', left: { k: 'field', name: field, type: { kind: 'long' } }, right: { k: 'literal', value: 0, type: { kind: 'long' } }, type: { kind: 'boolean' } };
    return { breakpoints: [{ id: 1, nodeId: filter.id, condition }], exceptions: NO_EXCEPTIONS };
}

type Variant = { name: string; fusion: boolean; debug?: DebugSettings };

/** One run: the job's wall time (RUNNING -> FINISHED) and the CPU time of the whole process (every thread) meanwhile. */
async function runOnce(cluster: LocalCluster, graph: LogicalGraph, debug?: DebugSettings): Promise<{ wallMs: number; cpuMs: number }> {
    const cpu = process.cpuUsage();
    const job = cluster.jobManager.submit(graph, debug ? { debug: { settings: debug } } : {});
    job.debugger?.on('stopped', () => { throw new Error('the debug benchmark stopped at a breakpoint that should never hold'); });
    const status = await job.whenTerminal();
    const used = process.cpuUsage(cpu);
    if (status !== 'FINISHED') throw new Error(`${graph.pipeline} ended ${status}: ${job.exceptions.map((e) => e.message).join('; ')}`);
    return { wallMs: job.timestamps.FINISHED! - job.timestamps.RUNNING!, cpuMs: (used.user + used.system) / 1000 };
}

async function measure(workload: string, graph: LogicalGraph, filterField: string): Promise<BenchResult[]> {
    const variants: Variant[] = [
        { name: 'normal run (fusion on)', fusion: true },
        { name: 'normal run, fusion off', fusion: false },
        { name: 'debugged, no breakpoint', fusion: true, debug: { breakpoints: [], exceptions: NO_EXCEPTIONS } },
        { name: 'debugged, never-true conditional breakpoint', fusion: true, debug: neverTrue(graph, filterField) }
    ];
    const clusters = { true: await LocalCluster.start({ taskManagers: 2, slotsPerTaskManager: 1, operatorFusion: true }), false: await LocalCluster.start({ taskManagers: 2, slotsPerTaskManager: 1, operatorFusion: false }) };
    const wall = variants.map(() => Infinity);
    const cpu = variants.map(() => Infinity);
    try {
        await runOnce(clusters.true, graph); // warm-up
        for (let round = 0; round < ROUNDS; round++) {
            // A different variant first each round: no variant always runs right after the same one.
            for (let j = 0; j < variants.length; j++) {
                const i = (j + round) % variants.length;
                const t = await runOnce(clusters[`${variants[i].fusion}`], graph, variants[i].debug);
                wall[i] = Math.min(wall[i], t.wallMs);
                cpu[i] = Math.min(cpu[i], t.cpuMs);
            }
        }
    } finally {
        await Promise.all([clusters.true.shutdown(), clusters.false.shutdown()]);
    }
    const rate = (ms: number): number => (N / ms) * 1000;
    // Wall time suffers most from other load on the machine; CPU time (all threads) less so.
    return variants.flatMap((v, i) => [
        {
            workload, name: `${v.name}, wall`, value: rate(wall[i]), unit: 'rec/s',
            ...(i === 0 ? {} : { ratio: wall[0] / wall[i], baseline: 'normal run (fusion on)' }),
            ...(i === 2 ? { target: '>= 0.95x normal run' } : {})
        },
        {
            workload, name: `${v.name}, CPU`, value: rate(cpu[i]), unit: 'rec per CPU s',
            ...(i === 0 ? {} : { ratio: cpu[0] / cpu[i], baseline: 'normal run (fusion on)' }),
            ...(i === 2 ? { target: '>= 0.95x normal run' } : {})
        }
    ]);
}

export async function run(): Promise<BenchResult[]> {
    return [
        ...await measure('debug overhead, filter-map-sum p=1', graphOf('debug-stateless', STATELESS).graph, 'v'),
        ...await measure('debug overhead, keyed aggregation p=2', graphOf('debug-keyed', KEYED).graph, 'n')
    ];
}

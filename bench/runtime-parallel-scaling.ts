/**
 * Workload 4 of performance.md: the keyed aggregation of workload 2 (10 M rows, 1024 keys) through
 * the whole engine at parallelism 1 and 2 on a cluster of 2 TaskManagers x 1 slot (one thread per
 * core): the speed-up of p = 2 over p = 1, timed by the job's RUNNING -> FINISHED timestamps.
 */
import type { BenchResult } from './bench-result.js';
import { graphOf, runJob, keyedAggregationFlow } from './_runtime-harness.js';

const N = Number(process.env.FLOWLINE_BENCH_KEYED_RECORDS ?? 10_000_000);
const WORKLOAD = '4 parallel scaling (keyed aggregation)';

const flow = (p: number): string => keyedAggregationFlow(`Scaling${p}`, p, N);

export async function run(): Promise<BenchResult[]> {
    const p1 = graphOf('scaling-p1', flow(1)).path;
    const p2 = graphOf('scaling-p2', flow(2)).path;
    const cluster = ['--taskmanagers', '2', '--slots', '1'];
    // Interleaved, best of three each, so both see the same neighbours on this shared machine.
    let t1 = Infinity;
    let t2 = Infinity;
    let cpu1 = Infinity;
    let cpu2 = Infinity;
    for (let i = 0; i < 3; i++) {
        const a = await runJob(p1, cluster);
        const b = await runJob(p2, cluster);
        t1 = Math.min(t1, a.jobMs);
        t2 = Math.min(t2, b.jobMs);
        cpu1 = Math.min(cpu1, a.cpuSeconds);
        cpu2 = Math.min(cpu2, b.cpuSeconds);
    }
    const rate = (ms: number): number => (N / ms) * 1000;
    return [
        { workload: WORKLOAD, name: 'flowline run p=1', value: rate(t1), unit: 'rows/s' },
        { workload: WORKLOAD, name: 'flowline run p=2', value: rate(t2), unit: 'rows/s', ratio: t1 / t2, baseline: 'flowline run p=1', target: '>= 1.6x p=1' },
        // On a shared machine wall time measures the neighbours; CPU time per record does not.
        { workload: WORKLOAD, name: 'CPU seconds, whole process, p=1', value: cpu1, unit: 's' },
        { workload: WORKLOAD, name: 'CPU seconds, whole process, p=2', value: cpu2, unit: 's', ratio: cpu2 / cpu1, baseline: 'CPU seconds, whole process, p=1' },
        { workload: WORKLOAD, name: 'speed-up bound on 2 idle cores (2 x CPU p=1 / CPU p=2)', value: (2 * cpu1) / cpu2, unit: 'x', target: '>= 1.6x' }
    ];
}

/**
 * `npm run bench -- nexmark`: each Nexmark query written in examples/nexmark, through the whole
 * engine (`flowline run`, streaming, sink a blackhole at the query's parallelism as in Flink
 * Nexmark; q10 writes its partitioned csv files), at parallelism 1 and 2, over
 * FLOWLINE_BENCH_NEXMARK_EVENTS events (default 1 M) at Flink Nexmark's benchmark rate (10 M
 * events per second of event time). The figure is events per CPU second of the whole process
 * (all threads: source, operators, exchange), less the CPU of a run of the same query over 1,000
 * events (process start-up and job submission), beside Flink's published per-core figure for the
 * query; the target is 2x that figure.
 *
 * Side by side (unless FLOWLINE_BENCH_NEXMARK_FLINK=0, and when Java 17+ with javac is there):
 * the same query over the same event files on the local runtime and on Flink's MiniCluster
 * (bench/_nexmark-minicluster.ts), both in events per CPU second, in the same run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localGraph, writtenQueries } from '../scripts/nexmark/nexmark-parity.js';
import { flowlineFilesCpu, miniClusterCpu, miniClusterSetup } from './_nexmark-minicluster.js';
import { BENCH_DIR, runJob } from './_runtime-harness.js';
import type { BenchResult } from './bench-result.js';

const EVENTS = Number(process.env.FLOWLINE_BENCH_NEXMARK_EVENTS ?? 1_000_000);
const STARTUP_EVENTS = 1_000;
const RATE = 10_000_000;

/** Flink's published throughput per core (events/s), from nexmark/nexmark's README (issue 11). */
export const FLINK_PER_CORE: Record<string, number> = {
    q0: 155_000, q1: 158_000, q2: 175_000, q3: 152_000, q4: 34_000, q5: 22_000, q7: 12_000, q8: 146_000,
    q9: 14_000, q10: 58_000, q11: 40_000, q12: 76_000, q13: 131_000, q14: 161_000, q15: 72_000, q16: 19_000,
    q17: 117_000, q18: 54_000, q19: 44_000, q20: 19_000, q21: 98_000, q22: 130_000
};

/**
 * CPU seconds of `flowline run` of the query over `events` at parallelism `p`; `oneThread` puts
 * every subtask in one TaskManager thread (the engine's p=2 costs without two threads running at once).
 */
async function cpuOf(query: string, events: number, p: number, oneThread = false): Promise<number> {
    const graph = await localGraph(query, { events, seed: 1, rate: RATE }, join(BENCH_DIR, 'unused.jsonl'));
    for (const node of graph.nodes) {
        // q10's work is writing its partitioned files (as on Flink): it keeps its sink, in the bench folder.
        if (node.config.kind === 'sink' && node.config.partitionBy) node.config.path = join(BENCH_DIR, `nexmark-${query}-${events}-p${p}`);
        else if (node.config.kind === 'sink') {
            // A blackhole runs at the query's parallelism, as Flink Nexmark's blackhole sink tables
            // do; the collect sink it replaces is pinned to one subtask, which would make every
            // record of p=2 cross threads into one task that Flink's run does not have.
            node.config = { kind: 'sink', connector: 'blackhole', options: {} };
            delete node.parallelismPinned;
        }
    }
    mkdirSync(BENCH_DIR, { recursive: true });
    const path = join(BENCH_DIR, `nexmark-${query}-${events}.json`);
    writeFileSync(path, JSON.stringify(graph));
    const placement = oneThread ? ['--taskmanagers', '1', '--slots', String(p)] : [];
    return (await runJob(path, ['--mode', graph.mode, '--parallelism', String(p), ...placement])).cpuSeconds;
}

export async function run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    const only = process.env.FLOWLINE_BENCH_NEXMARK_QUERIES?.split(',');
    const queries = writtenQueries().filter((q) => !only || only.includes(q));
    for (const query of queries) {
        const flink = FLINK_PER_CORE[query];
        for (const p of [1, 2]) {
            const startup = await cpuOf(query, STARTUP_EVENTS, p);
            const total = await cpuOf(query, EVENTS, p);
            const perCore = (EVENTS - STARTUP_EVENTS) / Math.max(total - startup, 1e-3);
            results.push({
                workload: `nexmark ${query}`, name: `flowline p=${p} (${EVENTS} events)`, value: perCore, unit: 'events/s/core',
                ...(flink ? { ratio: perCore / flink, baseline: `Flink ${Math.round(flink / 1000)} K/core (published)`, target: '>= 2x Flink per core' } : {})
            });
        }
        // Both subtasks of p=2 in one thread: what p=2 costs the engine (partitioning, channels, no
        // crossing), apart from two threads slowing each other (docs/benchmarks.md, "What parallelism 2 adds per record").
        const startup = await cpuOf(query, STARTUP_EVENTS, 2, true);
        const total = await cpuOf(query, EVENTS, 2, true);
        const perCore = (EVENTS - STARTUP_EVENTS) / Math.max(total - startup, 1e-3);
        results.push({
            workload: `nexmark ${query}`, name: `flowline p=2 in one thread (${EVENTS} events)`, value: perCore, unit: 'events/s/core',
            ...(flink ? { ratio: perCore / flink, baseline: `Flink ${Math.round(flink / 1000)} K/core (published)` } : {})
        });
    }
    if (process.env.FLOWLINE_BENCH_NEXMARK_FLINK === '0') return results;
    const setup = await miniClusterSetup(EVENTS, RATE);
    if (typeof setup === 'string') {
        console.error(`nexmark: the Flink MiniCluster side-by-side did not run: ${setup}`);
        return results;
    }
    // q12's processing-time windows never fire on Flink when bounded files end first, and Flink SQL
    // cannot run q6 (docs/nexmark.md): both are n/a on Flink.
    for (const query of queries.filter((q) => q === 'q6' || q === 'q12')) {
        console.error(`nexmark: ${query} has no Flink MiniCluster figure (${query === 'q6' ? 'Flink SQL cannot run q6' : 'processing-time windows do not fire at the end of bounded files'})`);
    }
    for (const query of queries.filter((q) => q !== 'q6' && q !== 'q12')) {
        for (const p of [1, 2]) {
            const flink = (EVENTS - 1_000) / Math.max(await miniClusterCpu(setup, query, p), 1e-3);
            const flowline = (EVENTS - 1_000) / Math.max(await flowlineFilesCpu(setup, query, p), 1e-3);
            const baseline = `Flink MiniCluster p=${p}, same files`;
            results.push({ workload: `nexmark ${query} files`, name: baseline, value: flink, unit: 'events/s/core' });
            results.push({ workload: `nexmark ${query} files`, name: `flowline p=${p}, same files`, value: flowline, unit: 'events/s/core', ratio: flowline / flink, baseline, target: '>= 2x Flink per core' });
        }
    }
    return results;
}

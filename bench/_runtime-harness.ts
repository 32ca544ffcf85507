/**
 * Shared by the runtime benchmarks: turn .flow text into a LogicalGraph with the real CLI, run a
 * graph through the real engine (`flowline run --status json`) and read the job's own timing
 * (RUNNING -> FINISHED, from the JobManager's timestamps, so process start-up is not counted),
 * and feed prebuilt batches through the runtime's compiled operators directly.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JobStatusMessage, PushMessage } from '../protocol/cluster-api.js';
import type { LogicalGraph } from '../protocol/logical-graph.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const BIN = join(ROOT, 'bin', 'flowline.js');
export const BENCH_DIR = join(tmpdir(), 'flowline-bench-runtime');

/** The LogicalGraph of `flow` (one pipeline), written to BENCH_DIR/<name>.json; returns graph and path. */
export function graphOf(name: string, flow: string): { graph: LogicalGraph; path: string } {
    mkdirSync(BENCH_DIR, { recursive: true });
    const flowPath = join(BENCH_DIR, `${name}.flow`);
    writeFileSync(flowPath, flow);
    const json = execFileSync(process.execPath, [BIN, 'graph', flowPath, '--format', 'json'], { encoding: 'utf8' });
    const path = join(BENCH_DIR, `${name}.json`);
    writeFileSync(path, json);
    return { graph: JSON.parse(json) as LogicalGraph, path };
}

/**
 * Runs a graph file with `flowline run`; returns the job's run time (ms), its stdout and the
 * CPU seconds the whole process used (all threads, via /usr/bin/time).
 */
export async function runJob(graphPath: string, args: string[] = []): Promise<{ jobMs: number; stdout: string; cpuSeconds: number }> {
    const timing = join(BENCH_DIR, `time-${process.pid}.txt`);
    const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timing, process.execPath, BIN, 'run', graphPath, '--status', 'json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((res) => child.once('exit', res));
    if (code !== 0) throw new Error(`flowline run ${graphPath} exited ${code}: ${stderr.slice(-2000)}`);
    const events = stderr.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as PushMessage);
    const status = (s: string): number => (events.find((e) => e.type === 'job-status' && e.status === s) as JobStatusMessage).timestamp;
    const [user, system] = readFileSync(timing, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
    return { jobMs: status('FINISHED') - status('RUNNING'), stdout, cpuSeconds: user + system };
}

/** Best (shortest) of `n` runs of an async measurement returning milliseconds. */
export async function bestOf(n: number, measure: () => Promise<number> | number): Promise<number> {
    let best = Infinity;
    for (let i = 0; i < n; i++) best = Math.min(best, await measure());
    return best;
}

/** Milliseconds taken by `fn`. */
export function timed(fn: () => void): number {
    const start = performance.now();
    fn();
    return performance.now() - start;
}

/** Workload 2/4: keyed aggregation over 1024 seeded keys (the same text in every bench that runs it). */
export function keyedAggregationFlow(name: string, parallelism: number, records: number): string {
    return `pipeline ${name} {
    mode batch
    parallelism ${parallelism}
    source rows = datagen(count: ${records}, seed: 3) {
        k: long = random(0, 1023)
        v: long = random(0, 100)
    }
    stream sums = rows
        | keyBy k
        | aggregate { k, s: sum(v), c: count() }
    sink sums -> blackhole
}
`;
}

/**
 * Back-pressure at scale (issue 3): a fast source of 10 M records printing into a deliberately slow
 * reader of stdout. The job must slow down to the reader's pace with bounded memory: reported is
 * the peak resident memory of the `flowline run` process (all threads), sampled every 50 ms, next
 * to the same process's peak on 10 K records.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchResult } from './bench-result.js';
import { BIN, graphOf } from './_runtime-harness.js';

const N = Number(process.env.FLOWLINE_BENCH_BACKPRESSURE_RECORDS ?? 10_000_000);
const WORKLOAD = 'back-pressure: fast source, slow stdout reader';

const flow = (n: number): string => `pipeline Backpressure {
    mode batch
    parallelism 1
    source events = datagen(count: ${n}) {
        n: long = sequence(1)
    }
    sink events -> print
}
`;

function rss(pid: number): number {
    try {
        return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
    } catch {
        return 0;
    }
}

/** Runs the job reading stdout slowly (a pause after every chunk); returns peak RSS, lines and time. */
async function measure(path: string, pauseMs: number): Promise<{ peak: number; lines: number; ms: number }> {
    const start = performance.now();
    const child = spawn(process.execPath, [BIN, 'run', path, '--taskmanagers', '1', '--slots', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let peak = 0;
    let lines = 0;
    let exited = false;
    const sampler = (async () => { while (!exited) { peak = Math.max(peak, rss(child.pid!)); await sleep(50); } })();
    child.stdout.on('data', (chunk: Buffer) => {
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
        if (pauseMs > 0) {
            child.stdout.pause();
            setTimeout(() => child.stdout.resume(), pauseMs);
        }
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    exited = true;
    await sampler;
    if (code !== 0) throw new Error(`flowline run exited ${code}`);
    return { peak, lines, ms: performance.now() - start };
}

export async function run(): Promise<BenchResult[]> {
    const small = await measure(graphOf('backpressure-small', flow(10_000)).path, 0);
    const big = await measure(graphOf('backpressure-big', flow(N)).path, 1);
    if (big.lines !== N) throw new Error(`expected ${N} printed records, got ${big.lines}`);
    const mb = (b: number): number => b / (1024 * 1024);
    return [
        { workload: WORKLOAD, name: 'peak RSS, 10 K records', value: mb(small.peak), unit: 'MB' },
        { workload: WORKLOAD, name: `peak RSS, ${N / 1e6} M records, slow reader`, value: mb(big.peak), unit: 'MB', ratio: big.peak / small.peak, baseline: 'peak RSS, 10 K records', target: 'bounded' },
        { workload: WORKLOAD, name: 'records/s through the slow reader', value: (N / big.ms) * 1000, unit: 'rec/s' }
    ];
}

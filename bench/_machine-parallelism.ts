/**
 * What the machine itself gives a second thread: the same fixed loop in one worker thread and
 * then in two at once, wall time and each thread's own CPU time. On a 2-vCPU machine whose
 * vCPUs share a physical core, or whose host does not run both at once, two threads finish no
 * sooner than one, and no engine can scale beyond that; the T1 figures are read against it.
 * Two loops: plain arithmetic, and one allocating a small object per step (as records do).
 */
import { Worker } from 'node:worker_threads';

const LOOP = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const threadCpuNs = () => { try { return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]); } catch { const u = process.cpuUsage(); return (u.user + u.system) * 1000; } };
const cpu0 = threadCpuNs();
let s = 0, seed = 7;
if (workerData.allocating) {
    let keep = [];
    for (let i = 0; i < workerData.steps; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) | 0;
        const row = { k: seed & 1023, v: seed >>> 22, t: 'x' + (seed & 7) };
        keep.push(row);
        if (keep.length === 1024) { for (const r of keep) s += r.k + r.t.length; keep = []; }
    }
} else {
    for (let i = 0; i < workerData.steps; i++) { seed = (Math.imul(seed, 1103515245) + 12345) | 0; s += seed & 1023; }
}
parentPort.postMessage({ cpuNs: threadCpuNs() - cpu0, s });
`;

interface Run { wallMs: number; cpuMsPerThread: number }

async function runThreads(threads: number, steps: number, allocating: boolean): Promise<Run> {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: threads }, () => new Promise<{ cpuNs: number }>((resolve, reject) => {
        const worker = new Worker(LOOP, { eval: true, workerData: { steps, allocating } });
        worker.once('message', resolve);
        worker.once('error', reject);
    })));
    return { wallMs: performance.now() - started, cpuMsPerThread: results.reduce((a, r) => a + r.cpuNs, 0) / threads / 1e6 };
}

/**
 * Best of `rounds` interleaved runs: one thread doing `steps`, two threads doing `steps` each.
 * speedUp = 2 x wall(one) / wall(two) (2.0: the second thread costs nothing); cpuRatio = a
 * thread's CPU time when two run / when one runs (1.0: the threads do not slow each other).
 */
export async function machineParallelism(allocating: boolean, steps = allocating ? 10_000_000 : 100_000_000, rounds = 3): Promise<{ speedUp: number; cpuRatio: number }> {
    let one: Run = { wallMs: Infinity, cpuMsPerThread: Infinity };
    let two: Run = { wallMs: Infinity, cpuMsPerThread: Infinity };
    const best = (a: Run, b: Run): Run => ({ wallMs: Math.min(a.wallMs, b.wallMs), cpuMsPerThread: Math.min(a.cpuMsPerThread, b.cpuMsPerThread) });
    for (let r = 0; r < rounds; r++) {
        one = best(one, await runThreads(1, steps, allocating));
        two = best(two, await runThreads(2, steps, allocating));
    }
    return { speedUp: (2 * one.wallMs) / two.wallMs, cpuRatio: two.cpuMsPerThread / one.cpuMsPerThread };
}

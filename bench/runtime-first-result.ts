/**
 * Workload 5 of performance.md: time to first result, from starting `flowline run` (a new Node
 * process, as a user or the editor starts it) to the first printed record on its stdout, for a
 * small pipeline given as a LogicalGraph .json and as a .flow file (which adds the language).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { BenchResult } from './bench-result.js';
import { BIN, ROOT } from './_runtime-harness.js';

const WORKLOAD = '5 time to first result';

function firstRecordMs(file: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const start = performance.now();
        const child = spawn(process.execPath, [BIN, 'run', file], { stdio: ['ignore', 'pipe', 'pipe'] });
        let done = false;
        child.stdout.once('data', () => {
            done = true;
            resolve(performance.now() - start);
        });
        child.once('exit', (code) => { if (!done) reject(new Error(`flowline run ${file} exited ${code} before printing`)); });
    });
}

async function median(n: number, measure: () => Promise<number>): Promise<number> {
    const values: number[] = [];
    for (let i = 0; i < n; i++) values.push(await measure());
    values.sort((a, b) => a - b);
    return values[Math.floor(n / 2)];
}

export async function run(): Promise<BenchResult[]> {
    const json = join(ROOT, 'test', 'runtime', 'fixtures', 'small-filter-map.json');
    const flow = join(ROOT, 'test', 'runtime', 'fixtures', 'small-filter-map.flow');
    const nodeOnly = await median(5, () => new Promise((resolve) => {
        const start = performance.now();
        spawn(process.execPath, ['-e', 'process.stdout.write("x")'], { stdio: ['ignore', 'pipe', 'ignore'] }).stdout.once('data', () => resolve(performance.now() - start));
    }));
    const fromJson = await median(5, () => firstRecordMs(json));
    const fromFlow = await median(5, () => firstRecordMs(flow));
    return [
        { workload: WORKLOAD, name: 'node -e (process start only)', value: nodeOnly, unit: 'ms' },
        // The ratio to a bare Node start shows how much is Flowline's own, whatever the machine's load.
        { workload: WORKLOAD, name: 'flowline run graph.json -> first record', value: fromJson, unit: 'ms', ratio: fromJson / nodeOnly, baseline: 'x node -e', target: '<= 300 ms' },
        { workload: WORKLOAD, name: 'flowline run file.flow -> first record', value: fromFlow, unit: 'ms', ratio: fromFlow / nodeOnly, baseline: 'x node -e', target: '<= 300 ms' }
    ];
}

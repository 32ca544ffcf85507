/**
 * The local Flink target (issue 9): what `flowline flink start` downloads and how long a cold
 * start (empty cache: download + start) and a warm start (cached jars) take; then the time from
 * `flowline submit` to the first result on that Flink cluster against `flowline run` on the local
 * runtime, for the same small pipeline (a print sink: Flink's TaskManager prints its records to
 * stdout, which `flowline flink start` sends to log/taskmanager.out).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lock from '../flink/artifacts.lock.json' with { type: 'json' };
import type { BenchResult } from './bench-result.js';
import { BIN, ROOT } from './_runtime-harness.js';

const WORKLOAD = 'flink local session cluster';
const PIPELINE = join(ROOT, 'test', 'runtime', 'fixtures', 'small-filter-map.flow');

function cli(args: string[], env: NodeJS.ProcessEnv): { ms: number; stdout: string } {
    const start = performance.now();
    const result = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`flowline ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
    return { ms: performance.now() - start, stdout: result.stdout };
}

function freePorts(): [number, number] {
    const out = spawnSync(process.execPath, ['-e', `const net=require('node:net');const f=()=>new Promise(ok=>{const s=net.createServer().listen(0,'127.0.0.1',()=>{const p=s.address().port;s.close(()=>ok(p));});});(async()=>console.log(await f(),await f()))();`], { encoding: 'utf8' }).stdout.trim().split(' ').map(Number);
    return [out[0], out[1]];
}

/** From spawning `flowline submit` to the first new line the TaskManager prints. */
function submitToFirstResultMs(stateDir: string, env: NodeJS.ProcessEnv): Promise<number> {
    const out = join(stateDir, 'log', 'taskmanager.out');
    const sizeBefore = statSync(out).size;
    return new Promise((resolve, reject) => {
        const start = performance.now();
        const child = spawn(process.execPath, [BIN, 'submit', PIPELINE, '--state-dir', stateDir, '--wait'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
        let done = false;
        const check = (): void => {
            if (!done && statSync(out).size > sizeBefore) {
                done = true;
                watcher.close();
                resolve(performance.now() - start);
            }
        };
        const watcher = watch(out, check);
        const poll = setInterval(check, 20);
        child.once('exit', (code) => {
            clearInterval(poll);
            check();
            if (!done) {
                watcher.close();
                reject(new Error(`flowline submit exited ${code} before Flink printed a record:\n${stderr}`));
            }
        });
    });
}

function localFirstRecordMs(): Promise<number> {
    return new Promise((resolve, reject) => {
        const start = performance.now();
        const child = spawn(process.execPath, [BIN, 'run', PIPELINE], { stdio: ['ignore', 'pipe', 'ignore'] });
        let done = false;
        child.stdout.once('data', () => { done = true; resolve(performance.now() - start); });
        child.once('exit', (code) => { if (!done) reject(new Error(`flowline run exited ${code} before printing`)); });
    });
}

async function median(n: number, measure: () => Promise<number>): Promise<number> {
    const values: number[] = [];
    for (let i = 0; i < n; i++) values.push(await measure());
    values.sort((a, b) => a - b);
    return values[Math.floor(n / 2)];
}

export async function run(): Promise<BenchResult[]> {
    const temp = mkdtempSync(join(tmpdir(), 'flowline-bench-flink-'));
    const stateDir = join(temp, 'state');
    const [restPort, gatewayPort] = freePorts();
    // An empty cache of its own: the cold start downloads everything, as on a user's first start.
    const env = { FLOWLINE_CACHE_DIR: join(temp, 'cache') };
    const start = ['flink', 'start', '--state-dir', stateDir, '--rest-port', String(restPort), '--sql-gateway-port', String(gatewayPort)];
    try {
        const cold = cli(start, env).ms;
        cli(['flink', 'stop', '--state-dir', stateDir], env);
        const warm = cli(start, env).ms;
        const flink = await median(3, () => submitToFirstResultMs(stateDir, env));
        const local = await median(3, localFirstRecordMs);
        return [
            { workload: WORKLOAD, name: `download of flowline flink start (${lock.artifactCount} jars)`, value: lock.totalBytes / 1048576, unit: 'MiB' },
            { workload: WORKLOAD, name: 'cold start (empty cache: download + start)', value: cold, unit: 'ms' },
            { workload: WORKLOAD, name: 'warm start (cached jars, verified)', value: warm, unit: 'ms' },
            { workload: WORKLOAD, name: 'flowline submit -> first result on Flink', value: flink, unit: 'ms' },
            // How many times faster the local runtime shows a first result (issue 9: well over 10x).
            { workload: WORKLOAD, name: 'flowline run -> first result (local runtime)', value: local, unit: 'ms', ratio: flink / local, baseline: 'faster than on Flink', target: '> 10x' }
        ];
    } finally {
        spawnSync(process.execPath, [BIN, 'flink', 'stop', '--state-dir', stateDir], { env: { ...process.env, ...env } });
        rmSync(temp, { recursive: true, force: true });
    }
}

/**
 * CSV workloads of issue 10 (`npm run bench -- csv`), each a whole `flowline run` (process start
 * to exit, at parallelism = the machine's cores, file sources read as splits) against baselines
 * run in the same process run over the same file:
 * - group-by on 1 M rows (~20 MB): Python's csv module with a dict, and DuckDB (@duckdb/node-api,
 *   read_csv, the same thread count);
 * - filter + sum, and join (10 K customers) + group-by, on the same 1 M rows: DuckDB;
 * - the start-up of the same group-by over a 2-row file (the part of the run no input pays for);
 * - cost growth of the group-by: 10 MB, 100 MB, and 1 GB (only with FLOWLINE_BENCH_CSV_1GB=1):
 *   seconds per MB against the 10 MB file, each run's peak RSS (target < 400 MB), and the 1 GB
 *   run's throughput (target within 20 % of the 20 MB file's).
 * The files are generated into a temporary folder (fixed seed) and deleted at the end.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { BenchResult } from './bench-result.js';
import { BIN } from './_runtime-harness.js';

const CORES = Number(process.env.FLOWLINE_BENCH_CSV_THREADS ?? availableParallelism());
const ONE_GB = process.env.FLOWLINE_BENCH_CSV_1GB === '1';
/** Smaller inputs for a quick check of the benchmark itself (the figures need the defaults). */
const ROWS = Number(process.env.FLOWLINE_BENCH_CSV_ROWS ?? 1_000_000);
const GROWTH_MB = (process.env.FLOWLINE_BENCH_CSV_GROWTH_MB ?? '10,100').split(',').map(Number);
const CUSTOMERS = 10_000;
/** Bytes per generated row, about (for sizing the scaled files). */
const ROW_BYTES = 21;

/**
 * Writes `rows` orders: `id,customer,country,amount`, now and then a quoted customer name with
 * a comma, a doubled quote or a line break inside (so the splits meet real csv quoting).
 */
function writeOrders(path: string, rows: number, seed: number): void {
    const fd = openSync(path, 'w');
    let state = seed >>> 0;
    const next = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
    const countries = ['DE', 'FR', 'US', 'GB', 'NL', 'IT', 'ES', 'PL', 'SE', 'JP'];
    let chunk = 'id,customer,country,amount\n';
    for (let i = 0; i < rows; i++) {
        const c = Math.floor(next() * CUSTOMERS);
        const r = next();
        const customer = r < 0.002 ? `"c${c}, the ""first"""` : r < 0.003 ? `"c${c}\nsecond line"` : `c${c}`;
        chunk += `${i},${customer},${countries[c % 10]},${(next() * 200).toFixed(2)}\n`;
        if (chunk.length > 1 << 20) {
            writeSync(fd, chunk);
            chunk = '';
        }
    }
    writeSync(fd, chunk);
    closeSync(fd);
}

function writeCustomers(path: string): void {
    let text = 'id,segment\n';
    for (let c = 0; c < CUSTOMERS; c++) text += `c${c},s${c % 7}\n`;
    const fd = openSync(path, 'w');
    writeSync(fd, text);
    closeSync(fd);
}

const SCHEMA = '{ id: long, customer: string, country: string, amount: double }';

const groupByFlow = (file: string): string => `pipeline CsvGroupBy {
    mode batch
    parallelism ${CORES}
    source orders: ${SCHEMA} = csv("${file}")
    stream totals = orders | keyBy customer | aggregate { customer, n: count(), total: sum(amount) }
    sink totals -> blackhole
}
`;

const filterSumFlow = (file: string): string => `pipeline CsvFilterSum {
    mode batch
    parallelism ${CORES}
    source orders: ${SCHEMA} = csv("${file}")
    stream total = orders | filter amount > 100.0 | aggregate { total: sum(amount), n: count() }
    sink total -> blackhole
}
`;

const joinFlow = (file: string, customers: string): string => `pipeline CsvJoin {
    mode batch
    parallelism ${CORES}
    source orders: ${SCHEMA} = csv("${file}")
    source customers: { id: string, segment: string } = csv("${customers}")
    stream bySegment = orders
        | join customers on orders.customer == customers.id
        | keyBy segment
        | aggregate { segment, n: count(), total: sum(amount) }
    sink bySegment -> blackhole
}
`;

interface ProcessRun { seconds: number; cpuSeconds: number; peakRssMb: number }

/** Runs a command to its end under /usr/bin/time: wall seconds, CPU seconds (all threads), peak RSS. */
async function timeProcess(command: string, args: string[], cwd: string): Promise<ProcessRun> {
    const timing = join(cwd, `time-${process.pid}.txt`);
    const start = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', timing, command, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((res) => child.once('exit', res));
    const seconds = (performance.now() - start) / 1000;
    if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`);
    const [user, system, rssKb] = readFileSync(timing, 'utf8').trim().split('\n').pop()!.split(/\s+/).map(Number);
    return { seconds, cpuSeconds: user + system, peakRssMb: rssKb / 1024 };
}

async function best(n: number, measure: () => Promise<ProcessRun>): Promise<ProcessRun> {
    let bestRun: ProcessRun | undefined;
    for (let i = 0; i < n; i++) {
        const r = await measure();
        if (bestRun === undefined || r.seconds < bestRun.seconds) bestRun = r;
    }
    return bestRun!;
}

function flowline(dir: string, name: string, flow: string): () => Promise<ProcessRun> {
    const path = join(dir, `${name}.flow`);
    const fd = openSync(path, 'w');
    writeSync(fd, flow);
    closeSync(fd);
    return () => timeProcess(process.execPath, [BIN, 'run', path], dir);
}

const PYTHON_GROUP_BY = `
import csv, sys
totals = {}
with open(sys.argv[1], newline='') as f:
    rows = csv.reader(f)
    next(rows)
    for row in rows:
        t = totals.get(row[1])
        if t is None:
            totals[row[1]] = [1, float(row[3])]
        else:
            t[0] += 1
            t[1] += float(row[3])
print(len(totals))
`;

/** DuckDB over the same file, `threads` threads, best of `n`, whole query seconds. */
async function duckdb(sql: string, n: number): Promise<number> {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(CORES) });
    const db = await instance.connect();
    try {
        let bestSeconds = Infinity;
        for (let i = 0; i < n; i++) {
            const start = performance.now();
            const result = await db.runAndReadAll(sql);
            if (result.currentRowCount === 0) throw new Error('no result rows');
            bestSeconds = Math.min(bestSeconds, (performance.now() - start) / 1000);
        }
        return bestSeconds;
    } finally {
        db.closeSync();
    }
}

const readCsv = (file: string): string => `read_csv('${file}', header = true, columns = {'id': 'BIGINT', 'customer': 'VARCHAR', 'country': 'VARCHAR', 'amount': 'DOUBLE'})`;

export async function run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-bench-csv-'));
    const results: BenchResult[] = [];
    const load = `load ${loadavg()[0].toFixed(1)}, ${CORES} threads`;
    try {
        const orders = join(dir, 'orders-1m.csv');
        writeOrders(orders, ROWS, 1);
        const customers = join(dir, 'customers.csv');
        writeCustomers(customers);
        const mb = statSync(orders).size / 1e6;
        const w = (name: string): string => `csv ${name}, ${ROWS / 1e6} M rows (${mb.toFixed(0)} MB), ${load}`;

        // Group-by: flowline vs Python csv + dict vs DuckDB.
        const groupBy = await best(2, flowline(dir, 'group-by', groupByFlow(orders)));
        const python = await best(2, () => timeProcess('python3', ['-c', PYTHON_GROUP_BY, orders], dir));
        const duckGroupBy = await duckdb(`SELECT customer, count(*), sum(amount) FROM ${readCsv(orders)} GROUP BY customer`, 2);
        results.push(
            { workload: w('group-by'), name: 'Python csv module + dict', value: python.seconds, unit: 's' },
            { workload: w('group-by'), name: `DuckDB read_csv, ${CORES} threads`, value: duckGroupBy, unit: 's' },
            { workload: w('group-by'), name: `flowline run p=${CORES}`, value: groupBy.seconds, unit: 's', ratio: python.seconds / groupBy.seconds, baseline: 'Python csv', target: '>= 2x Python csv' },
            { workload: w('group-by'), name: `flowline run p=${CORES} vs DuckDB`, value: groupBy.seconds, unit: 's', ratio: duckGroupBy / groupBy.seconds, baseline: 'DuckDB', target: '>= 0.5x DuckDB' },
            { workload: w('group-by'), name: 'flowline CPU (all threads)', value: groupBy.cpuSeconds, unit: 's' }
        );

        // Start-up: the same pipeline over a file of two rows (process start, checking the .flow
        // file, the TaskManager threads, the job's deployment): the part of the run no input pays for.
        const tiny = join(dir, 'orders-2.csv');
        writeOrders(tiny, 2, 1);
        const startUp = await best(2, flowline(dir, 'start-up', groupByFlow(tiny)));
        results.push(
            { workload: w('group-by'), name: 'flowline start-up (same pipeline, 2-row file)', value: startUp.seconds, unit: 's', ratio: startUp.seconds / groupBy.seconds, baseline: 'share of the 1 M-row run' },
            { workload: w('group-by'), name: 'flowline start-up CPU (all threads)', value: startUp.cpuSeconds, unit: 's' }
        );

        // Filter + sum.
        const filterSum = await best(2, flowline(dir, 'filter-sum', filterSumFlow(orders)));
        const duckFilterSum = await duckdb(`SELECT sum(amount), count(*) FROM ${readCsv(orders)} WHERE amount > 100.0`, 2);
        results.push(
            { workload: w('filter + sum'), name: `DuckDB read_csv, ${CORES} threads`, value: duckFilterSum, unit: 's' },
            { workload: w('filter + sum'), name: `flowline run p=${CORES}`, value: filterSum.seconds, unit: 's', ratio: duckFilterSum / filterSum.seconds, baseline: 'DuckDB', target: '>= 0.5x DuckDB' }
        );

        // Join + group-by.
        const joined = await best(2, flowline(dir, 'join', joinFlow(orders, customers)));
        const duckJoin = await duckdb(`SELECT c.segment, count(*), sum(o.amount) FROM ${readCsv(orders)} o JOIN read_csv('${customers}', header = true) c ON o.customer = c.id GROUP BY c.segment`, 2);
        results.push(
            { workload: w('join + group-by'), name: `DuckDB read_csv, ${CORES} threads`, value: duckJoin, unit: 's' },
            { workload: w('join + group-by'), name: `flowline run p=${CORES}`, value: joined.seconds, unit: 's', ratio: duckJoin / joined.seconds, baseline: 'DuckDB', target: '>= 0.5x DuckDB' }
        );
        rmSync(orders);

        // Cost growth: seconds per MB of the group-by at 10 MB, 100 MB (and 1 GB).
        const sizes = [...GROWTH_MB, ...(ONE_GB ? [1000] : [])];
        let perMb10 = NaN;
        for (const size of sizes) {
            const file = join(dir, `orders-${size}mb.csv`);
            writeOrders(file, Math.round((size * 1e6) / ROW_BYTES), 2);
            const fileMb = statSync(file).size / 1e6;
            const r = await best(size >= 1000 ? 1 : 2, flowline(dir, `group-by-${size}`, groupByFlow(file)));
            rmSync(file);
            const perMb = r.seconds / fileMb;
            if (Number.isNaN(perMb10)) perMb10 = perMb;
            const name = `group-by ${fileMb.toFixed(0)} MB, ${load}`;
            results.push(
                { workload: `csv cost growth`, name, value: (fileMb / r.seconds), unit: 'MB/s', ratio: perMb10 / perMb, baseline: `${sizes[0]} MB file`, target: 'linear: ~1x' },
                // Memory must not grow with the input (the 1 GB target is < 400 MB).
                { workload: `csv cost growth`, name: `${name}: peak RSS`, value: r.peakRssMb, unit: 'MB', target: '< 400 MB' }
            );
            if (size >= 1000) {
                results.push(
                    { workload: 'csv memory, 1 GB group-by', name: 'peak RSS', value: r.peakRssMb, unit: 'MB', target: '< 400 MB' },
                    { workload: 'csv memory, 1 GB group-by', name: 'throughput vs the 20 MB file', value: fileMb / r.seconds, unit: 'MB/s', ratio: (fileMb / r.seconds) / (mb / groupBy.seconds), baseline: '20 MB file', target: '>= 0.8x' }
                );
            }
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
    return results;
}

/**
 * Workload 2 of performance.md: keyed aggregation (sum and count per key) over 10 M rows with
 * 1024 and with 1 M distinct keys. Baselines in this process: a hand-written Map loop over a
 * prebuilt array of row objects, and DuckDB (@duckdb/node-api) on 1 thread over the same rows in
 * a table. Flowline: its aggregate operator over the same rows in batches of 1024, and the whole
 * engine (`flowline run`, datagen -> keyBy -> aggregate -> blackhole, p = 1, job time).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { LogicalNode } from '../protocol/logical-graph.js';
import { createOperator } from '../runtime/src/operators/operator-factory.js';
import type { OperatorContext, Row } from '../runtime/src/operators/operator.js';
import type { BenchResult } from './bench-result.js';
import { bestOf, graphOf, runJob, timed } from './_runtime-harness.js';

const N = Number(process.env.FLOWLINE_BENCH_KEYED_RECORDS ?? 10_000_000);

const flow = (keys: number): string => `pipeline Keyed${keys} {
    mode batch
    parallelism 1
    source rows = datagen(count: ${N}, seed: 3) {
        k: long = random(0, ${keys - 1})
        v: long = random(0, 100)
    }
    stream sums = rows
        | keyBy k
        | aggregate { k, s: sum(v), c: count() }
    sink sums -> blackhole
}
`;

async function workload(keys: number): Promise<BenchResult[]> {
    const workloadName = `2 keyed aggregation, ${keys >= 1e6 ? `${keys / 1e6} M` : keys} keys`;
    const data: { k: number; v: number }[] = new Array(N);
    let seed = 7;
    const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < N; i++) data[i] = { k: Math.floor(rand() * keys), v: Math.floor(rand() * 101) };

    const mapLoop = await bestOf(3, () => timed(() => {
        const sums = new Map<number, { s: number; c: number }>();
        for (let i = 0; i < data.length; i++) {
            const r = data[i];
            const acc = sums.get(r.k);
            if (acc) { acc.s += r.v; acc.c++; } else sums.set(r.k, { s: r.v, c: 1 });
        }
        if (sums.size === 0) throw new Error('no groups');
    }));

    let duck = NaN;
    try {
        const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
        const db = await instance.connect();
        await db.run(`CREATE TABLE t AS SELECT (hash(i) % ${keys})::BIGINT AS k, (hash(i * 7) % 101)::BIGINT AS v FROM range(${N}) r(i)`);
        duck = await bestOf(3, async () => {
            const start = performance.now();
            const result = await db.runAndReadAll('SELECT k, sum(v), count(*) FROM t GROUP BY k');
            if (result.currentRowCount === 0) throw new Error('no groups');
            return performance.now() - start;
        });
        db.closeSync();
    } catch (error) {
        console.error(`DuckDB baseline unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }

    const { graph, path } = graphOf(`keyed-${keys}`, flow(keys));
    const aggNode = graph.nodes.find((n) => n.config.kind === 'aggregate') as LogicalNode;
    const operator = await bestOf(3, () => {
        const op = createOperator(aggNode, 'batch');
        let groups = 0;
        const ctx: OperatorContext = {
            node: aggNode, subtaskIndex: 0, parallelism: 1, mode: 'batch', emit: (rows: Row[]) => { groups += rows.length; },
            emitSide: () => undefined, processingTime: () => Date.now(), countDropped: () => undefined
        };
        op.open?.(ctx);
        return timed(() => {
            for (let i = 0; i < N; i += 1024) op.processBatch(data.slice(i, i + 1024), 0);
            op.endOfInput?.(0);
            if (groups === 0) throw new Error('no groups');
        });
    });
    const engine = await bestOf(2, async () => (await runJob(path, ['--taskmanagers', '1', '--slots', '1'])).jobMs);

    const rate = (ms: number): number => (N / ms) * 1000;
    const r = (name: string, ms: number, extra: Partial<BenchResult> = {}): BenchResult => ({ workload: workloadName, name, value: rate(ms), unit: 'rows/s', ...extra });
    const results = [r('Map loop (row objects)', mapLoop)];
    if (!Number.isNaN(duck)) results.push(r('DuckDB 1 thread', duck, { ratio: mapLoop / duck, baseline: 'Map loop (row objects)' }));
    results.push(
        r('flowline aggregate operator (batches of 1024)', operator, { ratio: mapLoop / operator, baseline: 'Map loop (row objects)', target: '>= 0.5x Map loop' }),
        r('flowline run (engine, datagen source, p=1)', engine, { ratio: mapLoop / engine, baseline: 'Map loop (row objects)', target: '>= 0.5x Map loop' })
    );
    if (!Number.isNaN(duck)) {
        results.push(r('flowline operator vs DuckDB', operator, { ratio: duck / operator, baseline: 'DuckDB 1 thread', target: 'reported' }));
        results.push(r('flowline run vs DuckDB', engine, { ratio: duck / engine, baseline: 'DuckDB 1 thread', target: 'reported' }));
    }
    return results;
}

export async function run(): Promise<BenchResult[]> {
    return [...await workload(1024), ...await workload(1_000_000)];
}

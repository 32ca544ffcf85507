/**
 * Workload 1 of performance.md: 10 M records {k, v}, filter -> map -> sum, p = 1. Baselines over a
 * prebuilt array of 10 M objects in this process: hand-written loop, chained push closures,
 * RxJS 7.8.2, Node object-mode streams. Flowline twice: its compiled operators (fused filter+map
 * and the aggregate operator) over the same records in batches of 1024, and the whole engine
 * (`flowline run`: datagen source -> chained task -> print), timed by the job's own RUNNING ->
 * FINISHED timestamps.
 */
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { filter, from, map, reduce } from 'rxjs';
import type { LogicalNode } from '../protocol/logical-graph.js';
import { createOperator, fuseStatelessChain } from '../runtime/src/operators/operator-factory.js';
import type { OperatorContext, Row } from '../runtime/src/operators/operator.js';
import type { BenchResult } from './bench-result.js';
import { bestOf, graphOf, runJob, timed } from './_runtime-harness.js';

const N = Number(process.env.FLOWLINE_BENCH_STATELESS_RECORDS ?? 10_000_000);
const WORKLOAD = '1 stateless filter-map-sum';

const FLOW = `pipeline Stateless {
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

const SOURCE_ONLY = `pipeline SourceOnly {
    mode batch
    parallelism 1
    source nums = datagen(count: ${N}) {
        k: long = sequence(0)
        v: long = sequence(0)
    }
    sink nums -> blackhole
}
`;

interface KV { k: number; v: number }

function expected(): number {
    let s = 0;
    for (let i = 0; i < N; i++) if (i % 2 === 0) s += i * 2;
    return s;
}

export async function run(): Promise<BenchResult[]> {
    const { graph, path } = graphOf('stateless', FLOW);
    const data: KV[] = new Array(N);
    for (let i = 0; i < N; i++) data[i] = { k: i & 1023, v: i };
    const want = expected();
    const check = (got: number, who: string): void => { if (got !== want) throw new Error(`${who} summed ${got}, expected ${want}`); };

    const hand = await bestOf(3, () => timed(() => {
        let s = 0;
        for (let i = 0; i < data.length; i++) {
            const r = data[i];
            if (r.v % 2 === 0) s += r.v * 2;
        }
        check(s, 'hand loop');
    }));
    const closures = await bestOf(3, () => timed(() => {
        let s = 0;
        const sink = (v: number): void => { s += v; };
        const mapper = (r: KV): void => sink(r.v * 2);
        const filt = (r: KV): void => { if (r.v % 2 === 0) mapper(r); };
        for (let i = 0; i < data.length; i++) filt(data[i]);
        check(s, 'closures');
    }));
    const rx = await bestOf(2, () => timed(() => {
        from(data).pipe(filter((r) => r.v % 2 === 0), map((r) => r.v * 2), reduce((a, v) => a + v, 0)).subscribe((s) => check(s, 'RxJS'));
    }));
    const streams = await bestOf(1, async () => {
        const start = performance.now();
        let s = 0;
        await pipeline(
            Readable.from(data),
            new Transform({ objectMode: true, transform(r: KV, _e, cb) { if (r.v % 2 === 0) cb(null, r); else cb(); } }),
            new Transform({ objectMode: true, transform(r: KV, _e, cb) { cb(null, r.v * 2); } }),
            new Writable({ objectMode: true, write(v: number, _e, cb) { s += v; cb(); } })
        );
        check(s, 'Node streams');
        return performance.now() - start;
    });

    // The runtime's own operators over the same records, in batches, as a task runs them.
    const node = (kind: string): LogicalNode => graph.nodes.find((n) => n.config.kind === kind)!;
    const operators = await bestOf(3, () => {
        let result: Row[] = [];
        const ctx = (emit: (rows: Row[]) => void): OperatorContext => ({
            node: node('aggregate'), subtaskIndex: 0, parallelism: 1, mode: 'batch', emit, emitSide: () => undefined,
            processingTime: () => Date.now(), countDropped: () => undefined
        });
        const aggregate = createOperator(node('aggregate'), 'batch');
        aggregate.open?.(ctx((rows) => { result = rows; }));
        const chain = fuseStatelessChain([node('filter'), node('map')]);
        chain.open?.(ctx((rows) => aggregate.processBatch(rows, 0)));
        return timed(() => {
            for (let i = 0; i < N; i += 1024) chain.processBatch(data.slice(i, i + 1024) as unknown as Row[], 0);
            chain.endOfInput?.(0);
            aggregate.endOfInput?.(0);
            check(result[0].s as number, 'flowline operators');
        });
    });
    const engine = await bestOf(2, async () => {
        const { jobMs, stdout } = await runJob(path, ['--taskmanagers', '1', '--slots', '1']);
        check((JSON.parse(stdout.trim()) as { s: number }).s, 'flowline run');
        return jobMs;
    });

    // The same source alone (datagen -> blackhole): how much of the engine's time is the source.
    const sourceOnly = await bestOf(2, async () => (await runJob(graphOf('stateless-source-only', SOURCE_ONLY).path, ['--taskmanagers', '1', '--slots', '1'])).jobMs);

    const rate = (ms: number): number => (N / ms) * 1000;
    const r = (name: string, ms: number, extra: Partial<BenchResult> = {}): BenchResult => ({ workload: WORKLOAD, name, value: rate(ms), unit: 'rec/s', ...extra });
    return [
        r('hand-written loop', hand),
        r('push closures', closures, { ratio: hand / closures, baseline: 'hand-written loop' }),
        r('RxJS 7.8.2', rx, { ratio: hand / rx, baseline: 'hand-written loop' }),
        r('Node object streams', streams, { ratio: hand / streams, baseline: 'hand-written loop' }),
        r('flowline operators (batches of 1024)', operators, { ratio: hand / operators, baseline: 'hand-written loop', target: '>= 0.3x hand loop' }),
        r('flowline operators vs RxJS', operators, { ratio: rx / operators, baseline: 'RxJS 7.8.2', target: '>= 5x RxJS' }),
        r('flowline run (engine, datagen source)', engine, { ratio: hand / engine, baseline: 'hand-written loop', target: '>= 0.3x hand loop' }),
        r('flowline run vs RxJS', engine, { ratio: rx / engine, baseline: 'RxJS 7.8.2', target: '>= 5x RxJS' }),
        r('flowline run, datagen -> blackhole only', sourceOnly, { ratio: sourceOnly / engine, baseline: 'share of the engine run spent in the source' })
    ];
}

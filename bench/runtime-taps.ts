/**
 * Taps (issue 8): what a tap costs, and that jobs nobody taps do not pay for taps. 10 M records
 * {k, v} through filter -> map -> global sum, fused into one loop, p = 1, the map being the last
 * node of stream `evens` (so `--tap evens` taps a node inside the fused loop). Same process run:
 * the fused operator with no tap, and with a tap open on the map (a real TapSampler at 10
 * records per second, with and without a filter); the whole engine (`flowline run`) without and
 * with `--tap evens`. The comparison with the loop as it was before taps existed is in
 * docs/benchmarks.md (an A/B against main, which this file cannot reach).
 */
import type { LogicalNode } from '../protocol/logical-graph.js';
import { TapSampler } from '../runtime/src/cluster/taskmanager/tap-sampler.js';
import { fuseStatelessChain } from '../runtime/src/operators/operator-factory.js';
import type { OperatorContext, Row } from '../runtime/src/operators/operator.js';
import type { BenchResult } from './bench-result.js';
import { bestOf, graphOf, runJob, timed } from './_runtime-harness.js';

const N = Number(process.env.FLOWLINE_BENCH_TAP_RECORDS ?? 10_000_000);
const WORKLOAD = '8 taps, fused filter-map-sum';

const FLOW = `pipeline Tapped {
    mode batch
    parallelism 1
    source nums = datagen(count: ${N}) {
        k: long = sequence(0)
        v: long = sequence(0)
    }
    stream evens = nums
        | filter v % 2 == 0
        | map { k, v: v * 2 }
    stream total = evens
        | aggregate { s: sum(v), c: count() }
    sink total -> print
}
`;

export async function run(): Promise<BenchResult[]> {
    const { graph, path } = graphOf('taps', FLOW);
    const node = (kind: string): LogicalNode => graph.nodes.find((n) => n.config.kind === kind)!;
    const data: Row[] = new Array(N);
    for (let i = 0; i < N; i++) data[i] = { k: i & 1023, v: i };
    const batches: Row[][] = [];
    for (let i = 0; i < N; i += 1024) batches.push(data.slice(i, i + 1024));
    const mapNode = node('map');
    const filter = { k: 'binary', op: '>', left: { k: 'field', name: 'k', type: { kind: 'long' } }, right: { k: 'literal', value: 1000, type: { kind: 'long' } }, type: { kind: 'boolean' } } as const;

    /** ms for the fused loop over every batch; `tap`: a sampler hooked to the map's output. */
    const loop = (tap: 'none' | 'open' | 'filtered'): number => {
        const op = fuseStatelessChain([node('filter'), mapNode, node('aggregate')]);
        let result: Row[] = [];
        const ctx: OperatorContext = {
            node: node('aggregate'), subtaskIndex: 0, parallelism: 1, mode: 'batch', emit: (rows) => { result = rows; },
            emitSide: () => undefined, processingTime: () => Date.now(), countDropped: () => undefined
        };
        void op.open?.(ctx);
        if (tap !== 'none') {
            const sampler = new TapSampler({ tapId: 'bench', jobId: 'bench', nodeId: mapNode.id, recordsPerSecond: 10, filter: tap === 'filtered' ? filter : undefined }, 0.2);
            op.stageTaps.set(1, sampler.hookFor(0));
        }
        const ms = timed(() => {
            for (const batch of batches) op.processBatch(batch, 0);
            op.endOfInput?.(0);
        });
        if (result[0]?.c !== N / 2) throw new Error(`the fused loop counted ${String(result[0]?.c)}, expected ${N / 2}`);
        return ms;
    };
    const best = { none: Infinity, open: Infinity, filtered: Infinity };
    for (let round = 0; round < 5; round++) {
        for (const tap of ['none', 'open', 'filtered'] as const) best[tap] = Math.min(best[tap], loop(tap));
    }

    const engine = (args: string[]) => bestOf(3, async () => (await runJob(path, ['--taskmanagers', '1', '--slots', '1', ...args])).jobMs);
    const untapped = await engine([]);
    const tapped = await engine(['--tap', 'evens']);

    const rate = (ms: number): number => N / (ms / 1000);
    return [
        { workload: WORKLOAD, name: 'fused operator, no tap', value: rate(best.none), unit: 'rec/s' },
        { workload: WORKLOAD, name: 'fused operator, a tap open on the map', value: rate(best.open), unit: 'rec/s', ratio: best.none / best.open, baseline: 'no tap' },
        { workload: WORKLOAD, name: 'fused operator, a tap with a filter', value: rate(best.filtered), unit: 'rec/s', ratio: best.none / best.filtered, baseline: 'no tap' },
        { workload: WORKLOAD, name: 'flowline run, no tap', value: rate(untapped), unit: 'rec/s' },
        { workload: WORKLOAD, name: 'flowline run --tap evens', value: rate(tapped), unit: 'rec/s', ratio: untapped / tapped, baseline: 'no tap' }
    ];
}

/**
 * datagen(count: N, rate: R/s, seed: S): generated records, each field from its generator
 * expression (random, oneOf, sequence, uuid, now, ...). Bounded by `count` (split between
 * subtasks by index ranges) or unbounded; `rate` caps records per second (shared by subtasks).
 * With a seed, record i is the same whatever the parallelism: the generator is re-seeded per record.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Expr, LogicalNode, SourceConfig } from '../../../../protocol/logical-graph.js';
import { instantiate } from '../../expressions/compile-expression.js';
import { ExpressionCodegen, propertyAccess } from '../../expressions/expression-codegen.js';
import { GeneratorState } from '../../expressions/generator-state.js';
import type { Row, SourceContext, SourceFunction } from '../../operators/operator.js';
import { operatorError } from '../../operators/operator-error.js';
import { SourceOutput } from '../common/source-output.js';

/** Records per second from `rate: 1000`, `rate: "1000/s"` or `"60/m"`; undefined when absent. */
export function parseRate(value: string | number | boolean | undefined): number | undefined {
    if (value === undefined || typeof value === 'boolean') return undefined;
    if (typeof value === 'number') return value;
    const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(ms|s|m|h))?\s*$/.exec(value);
    if (!m) throw new Error(`datagen: rate "${value}" is not a rate (expected e.g. 1000/s)`);
    const per = { ms: 0.001, s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
    return Number(m[1]) / per;
}

/** Makes the record at the generator's current position. */
type RowMaker = ($g: GeneratorState) => Row;

/**
 * One generated function per source making a whole record: every field's generator inlined, and
 * the record built with all its fields from the start (one hidden class, no per-field calls).
 * A generator may read fields before it (`r.k`); fields after it read as undefined, as before
 * they are set.
 */
function compileRowMaker(generators: { name: string; expr: Expr }[]): RowMaker {
    const codegen = new ExpressionCodegen({ row: 'r' });
    const init = generators.map((g) => `${JSON.stringify(g.name)}: undefined`).join(', ');
    const assign = generators.map((g) => `${propertyAccess('r', g.name)} = ${codegen.gen(g.expr)};`).join('\n');
    return instantiate(`return function makeDatagenRow($g) { const r = { ${init} }; ${assign} return r; };`, codegen.constants) as RowMaker;
}

/** The datagen source. */
export class DatagenSource implements SourceFunction {
    private readonly config: SourceConfig;
    private readonly makeRow: RowMaker;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'source') throw new Error(`${node.id} is not a source`);
        this.config = node.config;
        try {
            this.makeRow = compileRowMaker(this.config.generators ?? []);
        } catch (err) {
            throw operatorError(node, err);
        }
    }

    /** Waits `ms`, in steps no longer than the idle timeout so the source is declared idle on time. */
    private async pause(ms: number, out: SourceOutput, ctx: SourceContext): Promise<void> {
        const step = this.config.watermark?.idleMs ?? ms;
        const until = Date.now() + ms;
        for (let left = ms; left > 0 && !ctx.cancelled; left = until - Date.now()) {
            await sleep(Math.min(left, Math.max(step, 1)));
            out.checkIdle();
        }
    }

    async run(ctx: SourceContext): Promise<void> {
        const { options } = this.config;
        const count = options.count === undefined ? undefined : Number(options.count);
        const rate = parseRate(options.rate);
        // The language reference documents 42 as the default seed, so unseeded runs repeat too.
        const seed = options.seed === undefined ? 42 : Number(options.seed);
        const generator = new GeneratorState(seed);
        const p = ctx.parallelism;
        const i = ctx.subtaskIndex;
        // Bounded: a contiguous index range per subtask. Unbounded: subtask i takes i, i+p, i+2p, ...
        const from = count === undefined ? 0 : Math.floor((count * i) / p);
        const to = count === undefined ? Infinity : Math.floor((count * (i + 1)) / p);
        const indexOf = count === undefined ? (k: number) => k * p + i : (k: number) => from + k;
        const total = to - from;
        const myRate = rate === undefined ? undefined : rate / p;
        const batchSize = myRate === undefined ? 4096 : Math.max(1, Math.min(4096, Math.ceil(myRate / 20)));
        // Restored from a checkpoint: generate from the next sequence index on (one record per index).
        const out = new SourceOutput(ctx, this.config, undefined, batchSize, true);
        const first = ctx.restoredPosition?.emitted ?? 0;
        const started = Date.now();
        for (let k = first; k < total && !ctx.cancelled; k++) {
            if (myRate !== undefined && (k - first) % batchSize === 0) {
                // Pace by the schedule, not by sleeps, so the rate holds on average.
                const due = started + ((k - first) / myRate) * 1000;
                const wait = due - Date.now();
                if (wait > 0) {
                    await out.flush();
                    await this.pause(wait, out, ctx);
                }
            }
            generator.startRecord(indexOf(k));
            let row: Row;
            try {
                row = this.makeRow(generator);
            } catch (err) {
                throw operatorError(this.node, err);
            }
            if (out.push(row)) {
                await out.flush();
                if (Number.isFinite(total)) ctx.reportProgress((k + 1) / total);
            }
        }
        await out.flush();
        if (Number.isFinite(total)) ctx.reportProgress(1);
    }
}

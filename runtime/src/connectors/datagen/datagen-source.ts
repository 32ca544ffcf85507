/**
 * datagen(count: N, rate: R/s, seed: S): generated records, each field from its generator
 * expression (random, oneOf, sequence, uuid, now, ...). Bounded by `count` (split between
 * subtasks by index ranges) or unbounded; `rate` caps records per second (shared by subtasks).
 * With a seed, record i is the same whatever the parallelism: the generator is re-seeded per record.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Expr, LogicalNode, SourceConfig } from '../../../../protocol/logical-graph.js';
import { instantiate } from '../../expressions/compile-expression.js';
import { ExpressionCodegen } from '../../expressions/expression-codegen.js';
import { GeneratorState } from '../../expressions/generator-state.js';
import type { SourceContext, SourceFunction } from '../../operators/operator.js';
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

/**
 * Overwrites the first `n` entries of `columns` with the records at sequence positions
 * `first .. first + n - 1` (record k has generator index `base + k * stride`).
 */
type ColumnFiller = (columns: unknown[][], $g: GeneratorState, first: number, n: number, base: number, stride: number) => void;

/**
 * One generated function per source filling a whole batch of columns: every field's generator
 * inlined, no object per record. A generator may read fields before it (`r.k`: that field's
 * value for the same record); fields after it, and itself, read as undefined, as they do in a
 * record being built field by field.
 */
function compileColumnFiller(generators: { name: string; expr: Expr }[]): ColumnFiller {
    const names = generators.map((g) => g.name);
    // Only random, oneOf and uuid draw from the seeded stream, so only they need the generator
    // seeded for the record; sequence() adds the record's index `$i` inline.
    const seeds = generators.some((g) => drawsRandom(g.expr));
    const constants: unknown[] = [];
    const fields = generators.map((g, j) => {
        const codegen = new ExpressionCodegen({
            row: 'r',
            field: (name) => {
                const at = names.indexOf(name);
                return at >= 0 && at < j ? `f${at}` : 'undefined';
            },
            recordIndex: '$i'
        }, constants);
        return `const f${j} = ${codegen.gen(g.expr)}; c${j}[j] = f${j};`;
    });
    return instantiate(`return function fillDatagenColumns(columns, $g, first, n, base, stride) {
        let v;
        ${names.map((_, j) => `const c${j} = columns[${j}];`).join(' ')}
        for (let j = 0; j < n; j++) {
            const $i = base + (first + j) * stride;
            ${seeds ? '$g.startRecord($i);' : ''}
            ${fields.join('\n')}
        }
    };`, constants) as ColumnFiller;
}

const RANDOM_GENERATORS = new Set(['random', 'oneof', 'uuid']);

/** True when `e` calls a generator drawing from the seeded random stream. */
function drawsRandom(e: unknown): boolean {
    if (Array.isArray(e)) return e.some(drawsRandom);
    if (typeof e !== 'object' || e === null) return false;
    const node = e as { k?: unknown; fn?: unknown };
    if (node.k === 'call' && typeof node.fn === 'string' && RANDOM_GENERATORS.has(node.fn.toLowerCase())) return true;
    return Object.values(e).some(drawsRandom);
}

/**
 * Records per batch of a source with neither rate nor watermark: each batch has a fixed cost (the
 * task's wait for capacity, metrics, the consumers' set-up: a few microseconds), and an exchange's
 * credit covers 1,024 records, so a larger batch holds no more records in flight (docs/runtime.md,
 * docs/benchmarks.md).
 */
export const DATAGEN_BATCH_SIZE = 16384;
/**
 * With a watermark: the watermark advances once per batch, so the batch is what decides lateness
 * (docs/language.md, Watermarks); it stays at the size that page documents.
 */
const WATERMARKED_BATCH_SIZE = 4096;

/** Records per batch: with `rate`, a twentieth of a second's worth (so pacing stays smooth). */
export function datagenBatchSize(rate: number | undefined, watermarked: boolean): number {
    const most = watermarked ? WATERMARKED_BATCH_SIZE : DATAGEN_BATCH_SIZE;
    if (rate === undefined) return most;
    return Math.max(1, Math.min(WATERMARKED_BATCH_SIZE, Math.ceil(rate / 20)));
}

/** The datagen source. */
export class DatagenSource implements SourceFunction {
    private readonly config: SourceConfig;
    private readonly fillColumns: ColumnFiller;
    private readonly fields: readonly string[];

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'source') throw new Error(`${node.id} is not a source`);
        this.config = node.config;
        try {
            const generators = this.config.generators ?? [];
            this.fields = generators.map((g) => g.name);
            this.fillColumns = compileColumnFiller(generators);
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
        // Record k (counted from this subtask's first) has generator index base + k * stride.
        const base = count === undefined ? i : from;
        const stride = count === undefined ? p : 1;
        const total = to - from;
        const myRate = rate === undefined ? undefined : rate / p;
        const batchSize = datagenBatchSize(myRate, this.config.watermark !== undefined);
        // Restored from a checkpoint: generate from the next sequence index on (one record per index).
        const out = new SourceOutput(ctx, this.config, undefined, batchSize, true);
        const first = ctx.restoredPosition?.emitted ?? 0;
        const started = Date.now();
        // One set of columns, refilled for every batch: it stays in the CPU's cache and makes no
        // garbage. Consumers read a batch during the emit call only (see ColumnBatch).
        const columns = this.fields.map(() => new Array<unknown>(batchSize));
        for (let k = first; k < total && !ctx.cancelled;) {
            if (myRate !== undefined) {
                // Pace by the schedule, not by sleeps, so the rate holds on average.
                const due = started + ((k - first) / myRate) * 1000;
                const wait = due - Date.now();
                if (wait > 0) await this.pause(wait, out, ctx);
            }
            const n = Math.min(batchSize, total - k);
            try {
                this.fillColumns(columns, generator, k, n, base, stride);
            } catch (err) {
                throw operatorError(this.node, err);
            }
            await out.emitColumns({ fields: this.fields, columns, length: n });
            k += n;
            if (Number.isFinite(total)) ctx.reportProgress(k / total);
        }
        await out.flush();
        if (Number.isFinite(total)) ctx.reportProgress(1);
    }
}

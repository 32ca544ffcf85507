/**
 * `nexmark.person(...)`, `nexmark.auction(...)`, `nexmark.bid(...)`: one kind of Nexmark event
 * each, from the same deterministic generator, so the ids of the three sources agree. Options:
 * `events` (all kinds together; without it the source is unbounded), `rate` (events per second
 * of event time), `seed`, `outOfOrder`. Emits as fast as downstream takes the rows, as Flink
 * Nexmark does (its maxEmitSpeed). Subtask i of p takes the blocks of BLOCK event numbers
 * whose index is i modulo p, so every subtask's event time advances at the same pace and the
 * events are the same at any parallelism.
 */
import type { LogicalNode, SourceConfig } from '../../../../protocol/logical-graph.js';
import { nexmarkKindOf, nexmarkOptionsOf, type NexmarkKind } from '../../../../protocol/nexmark.js';
import type { Row, SourceContext, SourceFunction } from '../../operators/operator.js';
import { operatorError } from '../../operators/operator-error.js';
import { SourceOutput } from '../common/source-output.js';
import { NexmarkGenerator } from './nexmark-generator.js';

/** Event numbers per block handed to a subtask. */
export const NEXMARK_BLOCK = 1000;

/** The event numbers subtask `index` of `parallelism` generates, in order, below `events`. */
export function* subtaskEventNumbers(index: number, parallelism: number, events = Infinity): Generator<number> {
    for (let block = index; block * NEXMARK_BLOCK < events; block += parallelism) {
        const end = Math.min((block + 1) * NEXMARK_BLOCK, events);
        for (let n = block * NEXMARK_BLOCK; n < end; n++) yield n;
    }
}

export class NexmarkSource implements SourceFunction {
    private readonly config: SourceConfig;
    private readonly kind: NexmarkKind;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'source') throw new Error(`${node.id} is not a source`);
        this.config = node.config;
        const kind = nexmarkKindOf(this.config.connector);
        if (!kind) throw new Error(`${node.id}: "${this.config.connector}" is not a Nexmark source (nexmark.person, nexmark.auction, nexmark.bid)`);
        this.kind = kind;
    }

    async run(ctx: SourceContext): Promise<void> {
        let generator: NexmarkGenerator;
        let events: number;
        try {
            const options = nexmarkOptionsOf(this.config.options);
            generator = new NexmarkGenerator(options);
            events = options.events ?? Infinity;
        } catch (err) {
            throw operatorError(this.node, err);
        }
        const out = new SourceOutput(ctx, this.config);
        const mine = Number.isFinite(events) ? this.eventsOfSubtask(events, ctx.subtaskIndex, ctx.parallelism) : Infinity;
        const make = this.kind === 'person' ? (id: number) => generator.personOf(id)
            : this.kind === 'auction' ? (id: number) => generator.auctionOf(id) : (id: number) => generator.bidOf(id);
        let seen = 0;
        for (const n of subtaskEventNumbers(ctx.subtaskIndex, ctx.parallelism, events)) {
            if (ctx.cancelled) break;
            seen++;
            const id = generator.eventIdOf(n);
            if (generator.kindOf(n) !== this.kind) continue;
            const row: Row = make(id);
            if (out.push(row)) {
                await out.flush();
                if (Number.isFinite(mine)) ctx.reportProgress(seen / mine);
            }
        }
        await out.flush();
        if (Number.isFinite(mine)) ctx.reportProgress(1);
    }

    /** How many event numbers (of all kinds) the subtask walks through. */
    private eventsOfSubtask(events: number, index: number, parallelism: number): number {
        let count = 0;
        for (let block = index; block * NEXMARK_BLOCK < events; block += parallelism) {
            count += Math.min((block + 1) * NEXMARK_BLOCK, events) - block * NEXMARK_BLOCK;
        }
        return count;
    }
}

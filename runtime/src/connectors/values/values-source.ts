/**
 * values(...): the inline records of the pipeline, converted by the schema. Subtask i of p emits
 * records i, i+p, i+2p, ... so parallel instances do not duplicate them.
 */
import type { LogicalNode, SourceConfig } from '../../../../protocol/logical-graph.js';
import type { SourceContext, SourceFunction } from '../../operators/operator.js';
import { convertJsonRecord, FieldError } from '../common/row-converter.js';
import { SourceOutput } from '../common/source-output.js';

/** The values source. */
export class ValuesSource implements SourceFunction {
    private readonly config: SourceConfig;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'source') throw new Error(`${node.id} is not a source`);
        this.config = node.config;
    }

    async run(ctx: SourceContext): Promise<void> {
        await this.runRows(ctx, 0, this.config.values?.length ?? 0);
    }

    /** Emits this subtask's share of the rows [from, to) (a test job's phase gives a source some of its rows). */
    async runRows(ctx: SourceContext, from: number, to: number): Promise<void> {
        const out = new SourceOutput(ctx, this.config);
        const values = this.config.values ?? [];
        const first = from + ((ctx.subtaskIndex - (from % ctx.parallelism) + ctx.parallelism) % ctx.parallelism);
        for (let i = first; i < Math.min(to, values.length); i += ctx.parallelism) {
            if (ctx.cancelled) break;
            try {
                if (out.push(convertJsonRecord(this.node.schema, values[i]))) await out.flush();
            } catch (err) {
                if (!(err instanceof FieldError)) throw err;
                out.badRows.reject({}, JSON.stringify(values[i]), `inline record ${i + 1}: ${err.message}`);
            }
        }
        ctx.reportProgress(1);
        await out.flush();
    }
}

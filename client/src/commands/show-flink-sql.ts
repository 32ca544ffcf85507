/** Show Flink SQL: the generated Flink SQL of a pipeline, read-only, beside it. */
import type { FlowlineContext } from '../flowline-context.js';
import { resolvePipelineTarget } from './pipeline-target.js';

/** Opens the Flink SQL of the given pipeline (CodeLens, menu) or the one at the cursor. */
export function showFlinkSql(ctx: FlowlineContext) {
    return async (uri?: unknown, pipeline?: unknown): Promise<void> => {
        const target = await resolvePipelineTarget(uri, pipeline, true);
        if (!target?.pipeline) return;
        await ctx.flinkSql.show(target.document.uri, target.pipeline);
    };
}

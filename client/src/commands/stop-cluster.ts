/** Stop Local Cluster: stops the cluster process (its jobs are canceled with it). */
import type { FlowlineContext } from '../flowline-context.js';

/** Stops the local cluster. */
export function stopCluster(ctx: FlowlineContext) {
    return async (): Promise<void> => {
        await ctx.cluster.stop();
    };
}

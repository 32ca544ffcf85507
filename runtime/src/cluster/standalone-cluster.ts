/**
 * A long-running local cluster with its REST API: what `flowline cluster` and the standalone
 * cluster process (dist/cluster.mjs, spawned by the VS Code extension) run. Prints one JSON line
 * (ClusterHello) on stdout once it listens, and shuts down cleanly on SIGINT/SIGTERM.
 */
import type { ClusterHello } from '../../../protocol/cluster-api.js';
import { RestServer } from '../rest/rest-server.js';
import { LocalCluster, type LocalClusterOptions } from './local-cluster.js';

export interface StandaloneClusterOptions extends LocalClusterOptions {
    restPort?: number;
    token?: string;
}

/** Starts the cluster and its REST API; resolves once it has shut down after a signal. */
export async function runStandaloneCluster(options: StandaloneClusterOptions): Promise<void> {
    const cluster = await LocalCluster.start(options);
    const rest = new RestServer(cluster, { token: options.token });
    const url = await rest.listen(options.restPort ?? 0);
    const hello: ClusterHello = {
        url, token: rest.token, pid: process.pid,
        taskmanagers: cluster.taskManagers.length, slotsPerTaskManager: cluster.slotsPerTaskManager
    };
    process.stdout.write(`${JSON.stringify(hello)}\n`);
    await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        // The parent (e.g. the editor) closing our stdin also means stop.
        if (!process.stdin.isTTY) {
            process.stdin.on('end', stop);
            process.stdin.on('error', stop);
            process.stdin.resume();
        }
    });
    process.stdin.destroy();
    await rest.close();
    await cluster.shutdown();
}

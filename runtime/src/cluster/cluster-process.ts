/**
 * Entry point of the standalone local cluster process (bundled to dist/cluster.mjs), which the
 * VS Code extension spawns: `node dist/cluster.mjs [--rest-port P] [--taskmanagers T] [--slots S]`.
 * Prints `{"url", "token", ...}` as one JSON line on stdout when ready.
 */
import { parseArgs } from 'node:util';
import { runStandaloneCluster } from './standalone-cluster.js';

function positive(name: string, value: string | undefined): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < (name === 'rest-port' ? 0 : 1)) {
        process.stderr.write(`cluster: --${name} expects ${name === 'rest-port' ? 'a port number' : 'a positive integer'}, not '${value}'.\n`);
        process.exit(2);
    }
    return n;
}

const { values } = parseArgs({
    options: {
        'rest-port': { type: 'string' },
        taskmanagers: { type: 'string' },
        slots: { type: 'string' },
        token: { type: 'string' }
    }
});

runStandaloneCluster({
    restPort: positive('rest-port', values['rest-port']),
    taskManagers: positive('taskmanagers', values.taskmanagers),
    slotsPerTaskManager: positive('slots', values.slots),
    token: values.token ?? process.env.FLOWLINE_CLUSTER_TOKEN
}).catch((error: unknown) => {
    process.stderr.write(`cluster: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
});

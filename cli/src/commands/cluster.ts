/**
 * `flowline cluster [--rest-port P]`: a long-running local cluster; prints its REST URL and token
 * as one JSON line, then serves jobs (`flowline run --cluster URL --token TOKEN`) until Ctrl-C.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { runStandaloneCluster } from '../../../runtime/src/cluster/standalone-cluster.js';
import { positiveInt } from './run.js';

export function registerClusterCommand(program: Command): void {
    program.command('cluster')
        .description('Start a long-running local cluster and print its REST URL and token (JSON).')
        .option('--rest-port <port>', 'port of the REST API on 127.0.0.1 (default: a free port)', (v: string) => {
            const n = Number(v);
            if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number (0-65535).');
            return n;
        })
        .option('--taskmanagers <n>', 'TaskManagers (threads) (default: number of cores)', positiveInt)
        .option('--slots <n>', 'task slots per TaskManager (default: 2)', positiveInt)
        .action(async (options: { restPort?: number; taskmanagers?: number; slots?: number }) => {
            await runStandaloneCluster({ restPort: options.restPort, taskManagers: options.taskmanagers, slotsPerTaskManager: options.slots });
        });
}

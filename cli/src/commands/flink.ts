/**
 * `flowline flink start|stop|status`: a local Apache Flink session cluster (JobManager, one
 * TaskManager, SQL Gateway on 127.0.0.1) from Maven Central jars cached under the user's cache
 * directory; needs only Java 17. `status` prints JSON; exit code 3 when no cluster runs.
 * `download` fetches and verifies the jars without starting anything (e.g. to fill a CI cache).
 * `jobs` and `cancel` (flink-jobs.ts) list and cancel the jobs of a Flink cluster.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { FLINK_ARTIFACT_LOCK } from '../../../flink/src/cluster/artifact-lock.js';
import { ensureArtifacts, flowlineCacheDir, mavenRepositoryUrl } from '../../../flink/src/cluster/artifact-cache.js';
import { defaultFlinkStateDir } from '../../../flink/src/cluster/cluster-state.js';
import {
    DEFAULT_REST_PORT, DEFAULT_SLOTS, DEFAULT_SQL_GATEWAY_PORT, localFlinkStatus, startLocalFlink, stopLocalFlink
} from '../../../flink/src/cluster/local-flink.js';
import { registerFlinkJobCommands } from './flink-jobs.js';
import { positiveInt } from './run.js';

interface StateOptions {
    stateDir?: string;
}

interface StartCommandOptions extends StateOptions {
    restPort?: number;
    sqlGatewayPort?: number;
    slots?: number;
}

function port(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port number (1-65535).');
    return n;
}

const STATE_DIR_HELP = 'folder of the cluster\'s config, logs and pids (default: $FLOWLINE_FLINK_STATE_DIR, else $XDG_STATE_HOME/flowline/flink, else ~/.local/state/flowline/flink)';

export function registerFlinkCommand(program: Command): void {
    const flink = program.command('flink')
        .description('A local Apache Flink session cluster (needs Java 17; downloads Flink from Maven Central on first start), and the jobs of a Flink cluster.');

    flink.command('start')
        .description('Start a local Flink session cluster (JobManager, one TaskManager, SQL Gateway) and print its status as JSON.')
        .option('--rest-port <port>', `port of Flink's REST API and Web UI on 127.0.0.1 (default: ${DEFAULT_REST_PORT})`, port)
        .option('--sql-gateway-port <port>', `port of the SQL Gateway on 127.0.0.1 (default: ${DEFAULT_SQL_GATEWAY_PORT})`, port)
        .option('--slots <n>', `task slots of the TaskManager (default: ${DEFAULT_SLOTS})`, positiveInt)
        .option('--state-dir <dir>', STATE_DIR_HELP)
        .addHelpText('after', [
            '',
            'Environment:',
            '  JAVA_HOME                  the Java 17+ to run Flink with (default: `java` on PATH)',
            '  FLOWLINE_CACHE_DIR         where the Flink jars are cached (default: $XDG_CACHE_HOME/flowline, else ~/.cache/flowline)',
            '  FLOWLINE_MAVEN_REPOSITORY  a mirror of Maven Central to download them from'
        ].join('\n'))
        .action(async (options: StartCommandOptions) => {
            const stateDir = options.stateDir ?? defaultFlinkStateDir();
            const result = await startLocalFlink({
                stateDir,
                restPort: options.restPort,
                sqlGatewayPort: options.sqlGatewayPort,
                slots: options.slots,
                log: (line) => console.error(line)
            });
            if (!result.started) {
                console.error(`A local Flink is already running (REST ${result.state.restUrl}, state in ${stateDir}); \`flowline flink stop\` ends it.`);
            } else {
                console.error(`Flink ${result.state.version} is ready in ${((result.startMillis ?? 0) / 1000).toFixed(1)} s. Web UI: ${result.state.webUiUrl}`);
            }
            console.log(JSON.stringify(await localFlinkStatus(stateDir), null, 2));
        });

    flink.command('download')
        .description('Download (or verify) the Flink jars `flowline flink start` needs into the cache, and print what was done as JSON.')
        .action(async () => {
            const cacheDir = flowlineCacheDir();
            const result = await ensureArtifacts(FLINK_ARTIFACT_LOCK, { cacheDir, repositoryUrl: mavenRepositoryUrl(), log: (line) => console.error(line) });
            console.log(JSON.stringify({
                flinkVersion: FLINK_ARTIFACT_LOCK.flinkVersion,
                cacheDir,
                jars: result.jars.length,
                totalBytes: FLINK_ARTIFACT_LOCK.totalBytes,
                downloaded: result.downloadedCount,
                downloadedBytes: result.downloadedBytes,
                replacedCorrupt: result.replacedCorrupt,
                millis: result.millis
            }, null, 2));
        });

    flink.command('stop')
        .description('Stop the local Flink session cluster and wait until its processes ended.')
        .option('--state-dir <dir>', STATE_DIR_HELP)
        .action(async (options: StateOptions) => {
            const { stopped } = await stopLocalFlink(options.stateDir ?? defaultFlinkStateDir());
            console.error(stopped.length > 0 ? `Stopped the local Flink (${stopped.join(', ')}).` : 'No local Flink was running.');
        });

    flink.command('status')
        .description('Print the local Flink session cluster\'s status as JSON (exit code 3 when it is not running).')
        .option('--state-dir <dir>', STATE_DIR_HELP)
        .action(async (options: StateOptions) => {
            const status = await localFlinkStatus(options.stateDir ?? defaultFlinkStateDir());
            console.log(JSON.stringify(status, null, 2));
            if (!status.running) process.exitCode = 3;
        });

    registerFlinkJobCommands(flink, STATE_DIR_HELP);
}

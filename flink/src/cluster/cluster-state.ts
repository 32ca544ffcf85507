/**
 * Where a local Flink session cluster keeps its configuration, logs and state file, and which of
 * its processes are still alive. The state file (`flink-cluster.json`) is what `flowline flink
 * status|stop` and `flowline submit` read to find the cluster.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What `flowline flink start` records about the cluster it started. */
export interface LocalFlinkState {
    version: string;
    restUrl: string;
    sqlGatewayUrl: string;
    webUiUrl: string;
    pids: { jobManager: number; taskManager: number; sqlGateway: number };
    logs: { jobManager: string; taskManager: string; sqlGateway: string };
    slots: number;
    stateDir: string;
    startedAt: string;
}

/**
 * `$FLOWLINE_FLINK_STATE_DIR`, else `$XDG_STATE_HOME/flowline/flink`, else
 * `~/.local/state/flowline/flink`.
 */
export function defaultFlinkStateDir(env: NodeJS.ProcessEnv = process.env): string {
    if (env.FLOWLINE_FLINK_STATE_DIR) return env.FLOWLINE_FLINK_STATE_DIR;
    if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'flowline', 'flink');
    return join(homedir(), '.local', 'state', 'flowline', 'flink');
}

export function stateFilePath(stateDir: string): string {
    return join(stateDir, 'flink-cluster.json');
}

export function readFlinkState(stateDir: string): LocalFlinkState | undefined {
    try {
        return JSON.parse(readFileSync(stateFilePath(stateDir), 'utf8')) as LocalFlinkState;
    } catch {
        return undefined;
    }
}

/**
 * The system property that marks the processes of one state folder: a pid alone could have been
 * reused by another program since the cluster started.
 */
export function processMarker(stateDir: string): string {
    return `-Dflowline.flink.state=${stateDir}`;
}

/** True when pid is alive and is one of this state folder's Flink processes. */
export function isOurProcess(pid: number, stateDir: string): boolean {
    try {
        process.kill(pid, 0);
    } catch {
        return false;
    }
    try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(processMarker(stateDir));
    } catch {
        // No /proc (macOS): trust the pid.
        return true;
    }
}

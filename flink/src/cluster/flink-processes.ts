/**
 * The Java command lines of a local Flink session cluster, as flink-dist's bin/ scripts build
 * them (only Maven Central jars here, no distribution): BashJavaUtils for the memory settings,
 * then the JobManager, the TaskManager and the SQL Gateway as detached processes.
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { JAVA_17_MODULE_FLAGS } from './flink-config.js';
import { processMarker } from './cluster-state.js';

export const JOB_MANAGER_MAIN = 'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint';
export const TASK_MANAGER_MAIN = 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner';
export const SQL_GATEWAY_MAIN = 'org.apache.flink.table.gateway.SqlGateway';
const BASH_JAVA_UTILS_MAIN = 'org.apache.flink.runtime.util.bash.BashJavaUtils';
const RESULT_PREFIX = 'BASH_JAVA_UTILS_EXEC_RESULT:';

export interface FlinkProcessContext {
    java: string;
    jars: string[];
    confDir: string;
    logDir: string;
    tmpDir: string;
    stateDir: string;
}

/** JVM flags and program arguments Flink computes from config.yaml for one process kind. */
export interface ResourceParams {
    jvmArgs: string[];
    dynamicArgs: string[];
}

function commonJvmArgs(context: FlinkProcessContext, logName: string): string[] {
    return [
        ...JAVA_17_MODULE_FLAGS,
        processMarker(context.stateDir),
        `-Djava.io.tmpdir=${context.tmpDir}`,
        `-Dlog.file=${join(context.logDir, `${logName}.log`)}`,
        `-Dlog4j.configurationFile=file:${join(context.confDir, 'log4j.properties')}`,
        '-classpath', context.jars.join(delimiter)
    ];
}

/**
 * Runs BashJavaUtils GET_JM_RESOURCE_PARAMS / GET_TM_RESOURCE_PARAMS: its result lines are the
 * JVM memory flags, then the `-D key=value` settings (a TaskManager without them fails with
 * "The required configuration option 'taskmanager.cpu.cores' is not set").
 */
export async function resourceParams(context: FlinkProcessContext, kind: 'JM' | 'TM'): Promise<ResourceParams> {
    const args = [...commonJvmArgs(context, `bash-java-utils-${kind.toLowerCase()}`), BASH_JAVA_UTILS_MAIN,
        `GET_${kind}_RESOURCE_PARAMS`, '--configDir', context.confDir];
    const output = await new Promise<string>((resolve, reject) => {
        const child = spawn(context.java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (d: Buffer) => { text += d.toString(); });
        child.stderr.on('data', (d: Buffer) => { text += d.toString(); });
        child.on('error', reject);
        child.on('exit', (code) => code === 0 ? resolve(text) : reject(new Error(`Flink's BashJavaUtils ${kind} resource calculation failed (exit ${code}):\n${text.trim().split('\n').slice(-15).join('\n')}`)));
    });
    const results = output.split('\n').filter((l) => l.startsWith(RESULT_PREFIX)).map((l) => l.slice(RESULT_PREFIX.length).trim());
    if (results.length === 0) throw new Error(`Flink's BashJavaUtils printed no ${RESULT_PREFIX} line:\n${output.trim().split('\n').slice(-15).join('\n')}`);
    return { jvmArgs: splitArgs(results[0]), dynamicArgs: splitArgs(results[1] ?? '') };
}

function splitArgs(line: string): string[] {
    return line.split(/\s+/).filter(Boolean);
}

export type FlinkProcessKind = 'jobManager' | 'taskManager' | 'sqlGateway';

const LOG_NAMES: Record<FlinkProcessKind, string> = { jobManager: 'jobmanager', taskManager: 'taskmanager', sqlGateway: 'sql-gateway' };

export function logFile(context: Pick<FlinkProcessContext, 'logDir'>, kind: FlinkProcessKind): string {
    return join(context.logDir, `${LOG_NAMES[kind]}.log`);
}

/** Stdout/stderr of a process (JVM crashes before log4j starts land here). */
export function outFile(context: Pick<FlinkProcessContext, 'logDir'>, kind: FlinkProcessKind): string {
    return join(context.logDir, `${LOG_NAMES[kind]}.out`);
}

/** Starts one Flink process detached from this one (it outlives the CLI); returns its pid. */
export function startFlinkProcess(context: FlinkProcessContext, kind: FlinkProcessKind, params?: ResourceParams): number {
    const jvm = commonJvmArgs(context, LOG_NAMES[kind]);
    let args: string[];
    if (kind === 'jobManager') args = [...(params?.jvmArgs ?? []), ...jvm, JOB_MANAGER_MAIN, '--configDir', context.confDir, ...(params?.dynamicArgs ?? [])];
    else if (kind === 'taskManager') args = [...(params?.jvmArgs ?? []), ...jvm, TASK_MANAGER_MAIN, '--configDir', context.confDir, ...(params?.dynamicArgs ?? [])];
    // The gateway finds config.yaml through FLINK_CONF_DIR and submits to the cluster's REST address.
    else args = ['-Xmx512m', ...jvm, SQL_GATEWAY_MAIN, '-Dexecution.target=remote'];
    const out = openSync(outFile(context, kind), 'w');
    try {
        const child = spawn(context.java, args, {
            detached: true,
            stdio: ['ignore', out, out],
            env: { ...process.env, FLINK_CONF_DIR: context.confDir }
        });
        if (child.pid === undefined) throw new Error(`could not start ${context.java} for the Flink ${kind}`);
        child.unref();
        return child.pid;
    } finally {
        closeSync(out);
    }
}

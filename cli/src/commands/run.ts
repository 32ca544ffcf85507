/**
 * `flowline run <file>`: runs a pipeline on a local cluster started in this process (or on a
 * running one with --cluster). Print-sink records go to stdout; stderr shows a live display on a
 * terminal, or status events as JSON lines with --status json, then the final summary (rows
 * each source read, skipped and dead-lettered; records each sink wrote). Exit code 0 when the job
 * FINISHED, 1 when it FAILED, 130 after Ctrl-C (which cancels the job first).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { JobDetails, PushMessage } from '../../../protocol/cluster-api.js';
import { LocalCluster } from '../../../runtime/src/cluster/local-cluster.js';
import { RestServer } from '../../../runtime/src/rest/rest-server.js';
import { submitInProcess, submitRemote, type JobConnection } from '../run/job-connection.js';
import { LiveDisplay } from '../run/live-display.js';
import { summaryEvent, summaryLines } from '../run/run-summary.js';
import { loadLogicalGraphs, RunInputError, selectPipeline } from '../run/load-logical-graph.js';

interface RunOptions {
    pipeline?: string;
    mode?: 'batch' | 'streaming';
    parallelism?: number;
    taskmanagers?: number;
    slots?: number;
    restPort?: number;
    status?: 'json';
    cluster?: string;
    token?: string;
}

const TERMINAL = new Set(['FINISHED', 'FAILED', 'CANCELED']);

export function positiveInt(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
    return n;
}

function port(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number (0-65535).');
    return n;
}

export function registerRunCommand(program: Command): void {
    program.command('run')
        .description('Run a pipeline on the local runtime (print-sink records go to stdout).')
        .argument('<file>', 'a .flow file, or a LogicalGraph .json file as printed by `flowline graph --format json`')
        .option('--pipeline <name>', 'the pipeline to run when the file has several')
        .addOption(new Option('--mode <mode>', 'execution mode').choices(['batch', 'streaming']))
        .option('--parallelism <n>', 'default parallelism of the pipeline', positiveInt)
        .option('--taskmanagers <n>', 'TaskManagers (threads) of the local cluster (default: number of cores)', positiveInt)
        .option('--slots <n>', 'task slots per TaskManager (default: 2)', positiveInt)
        .option('--rest-port <port>', 'also serve the REST API of the local cluster on this port of 127.0.0.1', port)
        .addOption(new Option('--status <format>', 'write status events to stderr as JSON lines').choices(['json']))
        .option('--cluster <url>', 'submit to a running `flowline cluster` at this URL instead')
        .option('--token <token>', 'the token of the --cluster (default: $FLOWLINE_CLUSTER_TOKEN)')
        .action(async (file: string, options: RunOptions) => {
            process.exitCode = await run(file, options);
        });
}

async function run(file: string, options: RunOptions): Promise<number> {
    // The TaskManager threads boot while the input is read (and translated, for .flow files).
    const starting = options.cluster ? undefined : LocalCluster.start({ taskManagers: options.taskmanagers, slotsPerTaskManager: options.slots });
    let graph;
    try {
        const overrides = { mode: options.mode, parallelism: options.parallelism };
        graph = selectPipeline(await loadLogicalGraphs(file, options.pipeline, overrides), options.pipeline, file);
    } catch (error) {
        await (await starting)?.shutdown();
        if (error instanceof RunInputError) {
            process.stderr.write(`flowline: ${error.message}\n`);
            return 1;
        }
        throw error;
    }

    let cluster: LocalCluster | undefined;
    let rest: RestServer | undefined;
    let connection: JobConnection;
    if (options.cluster) {
        const token = options.token ?? process.env.FLOWLINE_CLUSTER_TOKEN;
        if (!token) {
            process.stderr.write('flowline: --cluster needs the cluster token: --token TOKEN or $FLOWLINE_CLUSTER_TOKEN.\n');
            return 1;
        }
        connection = await submitRemote(options.cluster, token, graph);
    } else {
        cluster = await starting!;
        if (options.restPort !== undefined) {
            rest = new RestServer(cluster);
            const url = await rest.listen(options.restPort);
            process.stderr.write(`${JSON.stringify({ url, token: rest.token })}\n`);
        }
        connection = submitInProcess(cluster, graph);
    }

    const json = options.status === 'json';
    const display = !json && process.stderr.isTTY ? new LiveDisplay(process.stderr) : undefined;
    const finalState = await follow(connection, json, display);

    const details = await connection.details();
    await connection.close();
    if (display) {
        display.draw(details, await connection.taskManagers());
    }
    writeSummary(details, json);
    await rest?.close();
    await cluster?.shutdown();
    if (finalState === 'FINISHED') return 0;
    if (finalState === 'CANCELED' && stdoutClosed) return 141;
    if (finalState === 'CANCELED' && interrupted) return 130;
    return 1;
}

/** The final summary on stderr: lines, or the last JSON event with --status json. */
function writeSummary(details: JobDetails, json: boolean): void {
    if (json) process.stderr.write(`${JSON.stringify(summaryEvent(details))}\n`);
    else for (const line of summaryLines(details)) process.stderr.write(`${line}\n`);
}

let interrupted = false;
let stdoutClosed = false;

/** Streams records and status until the job ends; Ctrl-C cancels it (a second Ctrl-C exits at once). */
async function follow(connection: JobConnection, json: boolean, display: LiveDisplay | undefined): Promise<string> {
    const onSigint = (): void => {
        if (interrupted) process.exit(130);
        interrupted = true;
        void connection.cancel();
    };
    process.on('SIGINT', onSigint);
    // The reader of stdout went away (`| head`): stop the job like SIGPIPE would, but cleanly.
    const onStdoutError = (error: NodeJS.ErrnoException): void => {
        if (error.code !== 'EPIPE') throw error;
        if (!stdoutClosed) void connection.cancel();
        stdoutClosed = true;
    };
    process.stdout.on('error', onStdoutError);
    let timer: ReturnType<typeof setInterval> | undefined;
    if (display) {
        const redraw = async (): Promise<void> => display.draw(await connection.details(), await connection.taskManagers());
        timer = setInterval(() => void redraw().catch(() => undefined), 250);
    }
    try {
        return await new Promise<string>((resolve) => {
            connection.onMessage((message: PushMessage) => {
                switch (message.type) {
                    case 'sink-records':
                        if (message.lines && message.lines.length > 0 && !stdoutClosed) {
                            display?.erase();
                            if (!process.stdout.write(`${message.lines.join('\n')}\n`) && connection.pause) {
                                connection.pause();
                                process.stdout.once('drain', () => connection.resume?.());
                            }
                        }
                        return;
                    case 'metrics':
                        for (const v of message.vertices) display?.setMetrics(v.id, v.subtasks.map((s) => s.metrics));
                        if (json) process.stderr.write(`${JSON.stringify(message)}\n`);
                        return;
                    case 'exception':
                        if (json) process.stderr.write(`${JSON.stringify(message)}\n`);
                        else if (!(message.entry.exceptionName === 'CancelledError')) {
                            display?.erase();
                            process.stderr.write(`${message.entry.exceptionName}: ${message.entry.message}\n`);
                        }
                        return;
                    case 'job-status':
                    case 'subtask-state':
                        if (json) process.stderr.write(`${JSON.stringify(message)}\n`);
                        if (message.type === 'job-status' && TERMINAL.has(message.status)) resolve(message.status);
                        return;
                }
            });
        });
    } finally {
        if (timer) clearInterval(timer);
        process.off('SIGINT', onSigint);
    }
}

/**
 * `flowline run <file>`: runs the file's pipelines (or the one --pipeline names), one job each,
 * on a local cluster started in this process (or on a running one with --cluster). Print-sink
 * records go to stdout; stderr shows a live display on a terminal, or status events as JSON
 * lines with --status json, and each job's summary once it ended (rows each source read, skipped
 * and dead-lettered; records each sink wrote). With --tap STREAM, stdout gets a rate-limited sample
 * of the stream's records instead of the printed ones (run/stream-tap.ts). Exit code 0 when every
 * job FINISHED, 1 when one FAILED, 2 for a usage error, 130 after Ctrl-C and 141 when stdout was
 * closed (both cancel the jobs first).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { JobDetails, PushMessage } from '../../../protocol/cluster-api.js';
import { MAX_TAP_RATE } from '../../../protocol/cluster-api.js';
import { LocalCluster } from '../../../runtime/src/cluster/local-cluster.js';
import type { RestServer } from '../../../runtime/src/rest/rest-server.js';
import { resolve } from 'node:path';
import { SavepointRestoreError } from '../../../runtime/src/checkpoint/savepoint-restore.js';
import { SubmitRefused, submitInProcess, submitRemote, type JobConnection } from '../run/job-connection.js';
import { LiveDisplay } from '../run/live-display.js';
import { applyCheckpointOverrides, loadLogicalGraphs, RunInputError, selectPipelines } from '../run/load-logical-graph.js';
import { UpdatingTableOutput } from '../run/updating-table-output.js';
import { parseDuration } from '../../../protocol/durations.js';
import { RecordOutput } from '../run/record-output.js';
import { requireFile, UsageError } from '../usage-error.js';
import { finalDetails, summaryText } from '../run/run-summary.js';
import { planTaps, TapPrinter, type PlannedTap, type TapOptions } from '../run/stream-tap.js';

interface RunOptions extends TapOptions {
    pipeline?: string;
    mode?: 'batch' | 'streaming';
    parallelism?: number;
    taskmanagers?: number;
    slots?: number;
    restPort?: number;
    status?: 'json';
    cluster?: string;
    token?: string;
    checkpointInterval?: number;
    checkpointDir?: string;
    fromSavepoint?: string;
    allowNonRestoredState?: boolean;
    updates?: 'table' | 'changelog';
}

const TERMINAL = new Set(['FINISHED', 'FAILED', 'CANCELED']);

export function positiveInt(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
    return n;
}

function tapRate(value: string): number {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > MAX_TAP_RATE) throw new InvalidArgumentError(`expected records per second, above 0 and at most ${MAX_TAP_RATE}.`);
    return n;
}

/** `2s`, `500ms`, `1m30s`: a checkpoint interval of at least 10 ms (Flink's smallest). */
function checkpointInterval(value: string): number {
    const ms = parseDuration(value);
    if (ms === undefined || !/[a-z]$/.test(value.trim())) throw new InvalidArgumentError('expected a duration such as 2s, 500ms or 1m.');
    if (ms < 10) throw new InvalidArgumentError('a checkpoint interval is at least 10ms (as in Flink).');
    return ms;
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
        .option('--pipeline <name>', 'run only this pipeline (default: every pipeline of the file, at the same time)')
        .addOption(new Option('--mode <mode>', 'execution mode').choices(['batch', 'streaming']))
        .option('--parallelism <n>', 'default parallelism of the pipeline', positiveInt)
        .option('--taskmanagers <n>', 'TaskManagers (threads) of the local cluster (default: number of cores)', positiveInt)
        .option('--slots <n>', 'task slots per TaskManager (default: 2)', positiveInt)
        .option('--rest-port <port>', 'also serve the REST API of the local cluster on this port of 127.0.0.1', port)
        .addOption(new Option('--status <format>', 'write status events to stderr as JSON lines').choices(['json']))
        .option('--cluster <url>', 'submit to a running `flowline cluster` at this URL instead')
        .option('--token <token>', 'the token of the --cluster (default: $FLOWLINE_CLUSTER_TOKEN)')
        .option('--tap <stream>', 'print a sample of the records STREAM (or a source) carries, as JSON lines, instead of the print sinks\' records')
        .option('--tap-rate <n>', 'records per second --tap samples at most (default: 10)', tapRate)
        .option('--tap-filter <expr>', 'a .flow expression over the tapped stream\'s fields: only records it keeps are sampled')
        .option('--checkpoint-interval <duration>', 'checkpoint every DURATION (e.g. 2s), in place of the header\'s `checkpoint every` (streaming only)', checkpointInterval)
        .option('--checkpoint-dir <dir>', 'where checkpoints go (default: .flowline/checkpoints beside the .flow file); each job gets a folder <dir>/<job id>')
        .option('--from-savepoint <dir>', 'start from this savepoint (or retained checkpoint) folder, as `flowline stop --savepoint` printed it; any parallelism')
        .option('--allow-non-restored-state', 'with --from-savepoint: start although the savepoint holds state of operators the pipeline no longer has (that state is dropped)')
        .addOption(new Option('--updates <how>', 'how a print sink shows an updating stream: its current table, one line per key (default on a terminal), or every change as a line (default otherwise)').choices(['table', 'changelog']))
        .addHelpText('after', [
            '',
            'Exit codes:',
            '  0    every job FINISHED',
            '  1    a job FAILED, or the file has errors or no pipeline',
            '  2    usage error: an unknown option, a file that does not exist, an unknown --pipeline or --tap stream, a wrong --tap-filter',
            '  130  Ctrl-C (the jobs are cancelled first)',
            '  141  stdout was closed early, as by `| head` (the jobs are cancelled first)'
        ].join('\n'))
        .action(async (file: string, options: RunOptions) => {
            process.exitCode = await run(file, options);
        });
}

async function run(file: string, options: RunOptions): Promise<number> {
    requireFile(file);
    // The TaskManager threads boot while the input is read (and translated, for .flow files).
    const starting = options.cluster ? undefined : LocalCluster.start({ taskManagers: options.taskmanagers, slotsPerTaskManager: options.slots });
    let graphs;
    let taps: PlannedTap[];
    try {
        const overrides = { mode: options.mode, parallelism: options.parallelism };
        graphs = selectPipelines(await loadLogicalGraphs(file, options.pipeline, overrides), options.pipeline, file)
            .map((g) => applyCheckpointOverrides(g, { intervalMs: options.checkpointInterval, directory: options.checkpointDir }));
        taps = await planTaps(file, graphs, options);
        if (options.allowNonRestoredState && !options.fromSavepoint) throw new UsageError('--allow-non-restored-state goes with --from-savepoint.');
        if (options.fromSavepoint && graphs.length > 1) {
            throw new UsageError(`--from-savepoint restores one job: name its pipeline with --pipeline (${file} has ${graphs.map((g) => g.pipeline).join(', ')}).`);
        }
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
    const restore = options.fromSavepoint ? { path: resolve(options.fromSavepoint), allowNonRestoredState: options.allowNonRestoredState === true } : undefined;
    const jobs: RunningJob[] = [];
    // One job per pipeline, all submitted at once (as to a Flink cluster): they share the slots,
    // and a job that finds too few free slots waits for the others to end.
    const output = new RecordOutput(process.stdout, () => { for (const job of jobs) void job.connection.cancel(); }, graphs.length > 1 && process.stdout.isTTY);
    if (options.cluster) {
        const token = options.token ?? process.env.FLOWLINE_CLUSTER_TOKEN;
        if (!token) {
            process.stderr.write('flowline: --cluster needs the cluster token: --token TOKEN or $FLOWLINE_CLUSTER_TOKEN.\n');
            return 1;
        }
        try {
            for (const graph of graphs) jobs.push({ pipeline: graph.pipeline, connection: await submitRemote(options.cluster, token, graph, restore), tap: taps.find((t) => t.pipeline === graph.pipeline) });
        } catch (error) {
            if (!(error instanceof SubmitRefused)) throw error;
            process.stderr.write(`flowline: ${error.message}\n`);
            return 1;
        }
    } else {
        cluster = await starting!;
        if (options.restPort !== undefined) {
            // Loaded on use: a run without --rest-port does not load the REST server and WebSocket code.
            const { RestServer } = await import('../../../runtime/src/rest/rest-server.js');
            rest = new RestServer(cluster);
            const url = await rest.listen(options.restPort);
            process.stderr.write(`${JSON.stringify({ url, token: rest.token })}\n`);
        }
        try {
            for (const graph of graphs) jobs.push({ pipeline: graph.pipeline, connection: submitInProcess(cluster, graph, () => output.whenWritable(), restore), tap: taps.find((t) => t.pipeline === graph.pipeline) });
        } catch (error) {
            if (!(error instanceof SavepointRestoreError)) throw error;
            process.stderr.write(`flowline: ${error.message}\n`);
            await rest?.close();
            await cluster.shutdown();
            return 1;
        }
    }

    const json = options.status === 'json';
    const display = !json && process.stderr.isTTY ? new LiveDisplay(process.stderr) : undefined;
    if ((options.updates ?? (process.stdout.isTTY ? 'table' : 'changelog')) === 'table') {
        for (const [i, job] of jobs.entries()) {
            job.tables = new UpdatingTableOutput(graphs[i], job.pipeline, output, process.stdout.isTTY && graphs.length === 1 ? process.stdout : undefined, () => display?.erase());
        }
    }
    const finalStates = await followAll(jobs, output, json, display, options.tapFilter, taps.length > 0);

    for (const job of jobs) await job.connection.close();
    await rest?.close();
    await cluster?.shutdown();
    if (finalStates.every((state) => state === 'FINISHED')) return 0;
    if (finalStates.includes('FAILED')) return 1;
    if (output.closed) return 141;
    if (interrupted) return 130;
    return 1;
}

/** A submitted pipeline. */
interface RunningJob {
    pipeline: string;
    connection: JobConnection;
    /** --updates table: the print sinks of updates, shown as tables. */
    tables?: UpdatingTableOutput;
    /** --tap: what to tap in this job, and the tap once opened. */
    tap?: PlannedTap;
    tapId?: string;
}

let interrupted = false;

/**
 * Streams records and status until every job ended, writing each job's summary as soon as it
 * ended (a bounded job's summary does not wait for an endless one). Ctrl-C cancels the jobs
 * (a second Ctrl-C exits at once). Resolves with the jobs' final states.
 */
async function followAll(jobs: RunningJob[], output: RecordOutput, json: boolean, display: LiveDisplay | undefined, tapFilter: string | undefined, tapping: boolean): Promise<string[]> {
    const onSigint = (): void => {
        if (interrupted) process.exit(130);
        interrupted = true;
        for (const job of jobs) void job.connection.cancel();
    };
    process.on('SIGINT', onSigint);
    const allDetails = (): Promise<JobDetails[]> => Promise.all(jobs.map((job) => job.connection.details()));
    let timer: ReturnType<typeof setInterval> | undefined;
    if (display) {
        const redraw = async (): Promise<void> => {
            const details = await allDetails();
            for (const job of jobs) {
                const stats = await job.connection.checkpoints();
                if (stats) display.setCheckpoints(job.connection.jobId, stats);
            }
            display.draw(details, await jobs[0].connection.taskManagers());
        };
        timer = setInterval(() => void redraw().catch(() => undefined), 250);
    }
    let ended = 0;
    const several = jobs.length > 1;
    const summarize = async (job: RunningJob, state: string): Promise<string> => {
        const details = await finalDetails(() => job.connection.details());
        ended += 1;
        if (!output.closed) job.tables?.finish(several);
        if (display) {
            if (ended === jobs.length) {
                // The last job ended: the display's final state stays on screen, the summary under it.
                clearInterval(timer);
                display.finish(await allDetails(), await jobs[0].connection.taskManagers());
            } else {
                // The summary stays; the display is drawn again under it.
                display.erase();
            }
        }
        // A closed stdout ends the run quietly (`| head`): the reader has what it wanted.
        if (!output.closed) process.stderr.write(summaryText(details, job.pipeline, several, json));
        if (job.tapId && !output.closed && !json) {
            const tap = await job.connection.readTap(job.tapId, Number.MAX_SAFE_INTEGER);
            process.stderr.write(`${several ? '  ' : ''}${TapPrinter.summary(tap, tapFilter)}\n`);
        }
        return state;
    };
    try {
        return await Promise.all(jobs.map((job) => follow(job, several, output, json, display, tapping).then((state) => summarize(job, state))));
    } finally {
        if (timer) clearInterval(timer);
        process.off('SIGINT', onSigint);
    }
}

/**
 * Streams one job's records and status until it ends; resolves with its final state. With
 * `tapping` (--tap), stdout gets the tapped records and the print sinks' lines are only counted
 * (the summary says how many each wrote).
 */
function follow(job: RunningJob, several: boolean, output: RecordOutput, json: boolean, display: LiveDisplay | undefined, tapping: boolean): Promise<string> {
    const { pipeline, connection } = job;
    // With --status json every event names its pipeline, so the events of several jobs can be told apart.
    const status = (message: PushMessage): void => { process.stderr.write(`${JSON.stringify({ ...message, pipeline })}\n`); };
    const writeLines = (lines: string[]): void => {
        if (lines.length === 0 || output.closed) return;
        display?.erase();
        if (!output.write(pipeline, lines) && connection.pause) {
            connection.pause();
            void (output.whenWritable() ?? Promise.resolve()).then(() => connection.resume?.());
        }
    };
    const tap = job.tap;
    const printer = tap ? new TapPrinter(pipeline, tap.target.stream, tap.target.fields, several) : undefined;
    // Tapped records may come before the tap's id does (remote clusters): they wait for it.
    const early: Extract<PushMessage, { type: 'tap-records' }>[] = [];
    const writeTapped = (message: Extract<PushMessage, { type: 'tap-records' }>): void => {
        if (message.tapId === job.tapId) writeLines(message.records.map((r) => printer!.line(r.subtask, r.record)));
    };
    const openTap = (): void => {
        if (!tap || job.tapId !== undefined) return;
        job.tapId = '';
        connection.openTap(tap.request).then((info) => {
            job.tapId = info.id;
            for (const message of early.splice(0)) writeTapped(message);
        }, (error: unknown) => {
            // A job that ended before the tap could open (a short bounded one) has nothing to tap.
            display?.erase();
            process.stderr.write(`flowline: --tap ${tap.target.stream}${several ? ` (${pipeline})` : ''}: ${error instanceof Error ? error.message : String(error)}\n`);
        });
    };
    return new Promise<string>((resolve) => {
        connection.onMessage((message: PushMessage) => {
            switch (message.type) {
                case 'sink-records':
                    if (tapping || !message.lines) return;
                    if (job.tables?.shows(message.nodeId)) job.tables.apply(message.nodeId, message.lines);
                    else writeLines(message.lines);
                    return;
                case 'tap-records':
                    if (job.tapId === '') early.push(message);
                    else if (printer) writeTapped(message);
                    return;
                case 'tap-closed':
                    if (json && message.tapId === job.tapId) status(message);
                    return;
                case 'metrics':
                    for (const v of message.vertices) display?.setMetrics(message.jid, v.id, v.subtasks.map((s) => s.metrics));
                    if (json) status(message);
                    return;
                case 'exception':
                    if (json) status(message);
                    else if (!(message.entry.exceptionName === 'CancelledError')) {
                        display?.erase();
                        process.stderr.write(`${several ? `${pipeline}: ` : ''}${message.entry.exceptionName}: ${message.entry.message}\n`);
                    }
                    return;
                case 'job-status':
                case 'subtask-state':
                    if (json) status(message);
                    if (message.type === 'job-status' && message.status === 'RUNNING') openTap();
                    if (message.type === 'job-status' && TERMINAL.has(message.status)) resolve(message.status);
                    return;
            }
        });
    });
}

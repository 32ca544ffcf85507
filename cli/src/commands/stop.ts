/**
 * `flowline stop <jobId> --savepoint DIR [--drain]` and `flowline savepoint <jobId> DIR`: a job
 * of a running `flowline cluster` (or `flowline run --rest-port`) takes a savepoint into a new
 * folder of DIR, through the REST API as Flink's CLI does (POST /jobs/:jid/stop or
 * /jobs/:jid/savepoints, then GET /jobs/:jid/savepoints/:triggerid until it completed). `stop`
 * then waits until the job is FINISHED. The savepoint's folder is printed on stdout (alone, for
 * scripts: `flowline run file.flow --from-savepoint "$(flowline stop ...)"`).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { JobDetails } from '../../../protocol/cluster-api.js';
import type { SavepointOperationStatus, SavepointTriggerResponse } from '../../../protocol/checkpoints.js';
import { UsageError } from '../usage-error.js';

interface ClusterOptions {
    cluster?: string;
    token?: string;
}

const TERMINAL = new Set(['FINISHED', 'FAILED', 'CANCELED']);
/** How long `stop` waits for the job to end after its savepoint completed. */
const END_TIMEOUT_MS = 30_000;

export function registerStopCommand(program: Command): void {
    program.command('stop')
        .description('Stop a job of a running cluster with a savepoint (Flink\'s `flink stop --savepointPath`); prints the savepoint\'s folder.')
        .argument('<jobId>', 'the job\'s id (as `flowline run --status json` or GET /jobs shows it)')
        .requiredOption('--savepoint <dir>', 'the directory the savepoint folder (savepoint-<id>) is written into')
        .option('--drain', 'send the end of event time before the savepoint, so event-time windows fire (for a job that will not be resumed)')
        .option('--cluster <url>', 'the cluster\'s REST URL (default: $FLOWLINE_CLUSTER_URL)')
        .option('--token <token>', 'the cluster\'s token (default: $FLOWLINE_CLUSTER_TOKEN)')
        .addHelpText('after', exitCodes('the savepoint is written and the job FINISHED'))
        .action(async (jobId: string, options: ClusterOptions & { savepoint: string; drain?: boolean }) => {
            process.exitCode = await takeSavepoint(jobId, options, { stop: true, drain: options.drain === true, directory: options.savepoint });
        });
    program.command('savepoint')
        .description('Take a savepoint of a running job without stopping it (Flink\'s `flink savepoint`); prints the savepoint\'s folder.')
        .argument('<jobId>', 'the job\'s id')
        .argument('<dir>', 'the directory the savepoint folder (savepoint-<id>) is written into')
        .option('--cluster <url>', 'the cluster\'s REST URL (default: $FLOWLINE_CLUSTER_URL)')
        .option('--token <token>', 'the cluster\'s token (default: $FLOWLINE_CLUSTER_TOKEN)')
        .addHelpText('after', exitCodes('the savepoint is written'))
        .action(async (jobId: string, dir: string, options: ClusterOptions) => {
            process.exitCode = await takeSavepoint(jobId, options, { stop: false, drain: false, directory: dir });
        });
}

function exitCodes(success: string): string {
    return ['', 'Exit codes:', `  0  ${success}`, '  1  no such job, the job cannot take a savepoint, or the savepoint failed', '  2  usage error'].join('\n');
}

async function takeSavepoint(jobId: string, options: ClusterOptions, how: { stop: boolean; drain: boolean; directory: string }): Promise<number> {
    const base = (options.cluster ?? process.env.FLOWLINE_CLUSTER_URL)?.replace(/\/+$/, '');
    if (!base) throw new UsageError('name the cluster: --cluster URL or $FLOWLINE_CLUSTER_URL (as `flowline cluster` printed it).');
    const token = options.token ?? process.env.FLOWLINE_CLUSTER_TOKEN;
    if (!token) throw new UsageError('--cluster needs the cluster token: --token TOKEN or $FLOWLINE_CLUSTER_TOKEN.');
    const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
        const res = await fetch(`${base}${path}`, {
            method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body)
        });
        const text = await res.text();
        if (!res.ok) {
            let message = text;
            try { message = (JSON.parse(text) as { errors?: string[] }).errors?.join('; ') ?? text; } catch { /* not JSON */ }
            throw new ClusterAnswer(message);
        }
        return JSON.parse(text) as T;
    };
    const directory = resolve(how.directory);
    try {
        const trigger = how.stop
            ? await request<SavepointTriggerResponse>('POST', `/jobs/${jobId}/stop`, { targetDirectory: directory, drain: how.drain })
            : await request<SavepointTriggerResponse>('POST', `/jobs/${jobId}/savepoints`, { 'target-directory': directory, 'cancel-job': false });
        let status: SavepointOperationStatus;
        for (;;) {
            status = await request<SavepointOperationStatus>('GET', `/jobs/${jobId}/savepoints/${trigger['request-id']}`);
            if (status.status.id === 'COMPLETED') break;
            await new Promise((r) => setTimeout(r, 100));
        }
        const operation = status.operation;
        if (!operation || !('location' in operation)) {
            const cause = operation && 'failure-cause' in operation ? operation['failure-cause']['stack-trace'].split('\n')[0] : 'no reason given';
            process.stderr.write(`flowline: the savepoint of job ${jobId} failed: ${cause}\n`);
            return 1;
        }
        if (how.stop) {
            const until = Date.now() + END_TIMEOUT_MS;
            let job = await request<JobDetails>('GET', `/jobs/${jobId}`);
            while (!TERMINAL.has(job.state) && Date.now() < until) {
                await new Promise((r) => setTimeout(r, 100));
                job = await request<JobDetails>('GET', `/jobs/${jobId}`);
            }
            if (job.state !== 'FINISHED') {
                process.stdout.write(`${operation.location}\n`);
                process.stderr.write(`flowline: the savepoint is written, but job ${jobId} is ${job.state}, not FINISHED.\n`);
                return 1;
            }
        }
        process.stdout.write(`${operation.location}\n`);
        return 0;
    } catch (error) {
        if (error instanceof ClusterAnswer) {
            process.stderr.write(`flowline: ${error.message}\n`);
            return 1;
        }
        if (error instanceof TypeError) {
            process.stderr.write(`flowline: the cluster at ${base} does not answer (${error.message}).\n`);
            return 1;
        }
        throw error;
    }
}

/** The cluster refused the request: its message is for the user. */
class ClusterAnswer extends Error {}

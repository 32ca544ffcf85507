/**
 * `flowline flink jobs` and `flowline flink cancel <jobId>`: a Flink cluster's jobs through its
 * REST API (`GET /jobs/overview`, `PATCH /jobs/:id?mode=cancel`), for the local Flink of
 * `flowline flink start` or any cluster given with --flink / $FLOWLINE_FLINK_REST_URL.
 */
import type { Command } from 'commander';
import { defaultFlinkStateDir } from '../../../flink/src/cluster/cluster-state.js';
import { FlinkTargetError, resolveFlinkRestUrl } from '../../../flink/src/cluster/flink-target.js';
import { FlinkRestClient, TERMINAL_JOB_STATES, type FlinkJobOverview } from '../../../flink/src/rest/flink-rest-client.js';
import { FlinkRestError } from '../../../flink/src/rest/rest-request.js';
import { followFlinkJob } from '../../../flink/src/submit-pipeline.js';
import { UsageError } from '../usage-error.js';

interface TargetOptions {
    flink?: string;
    stateDir?: string;
}

const FLINK_HELP = 'Flink\'s REST API (default: $FLOWLINE_FLINK_REST_URL, else the local Flink of `flowline flink start`)';

/** Adds `jobs` and `cancel` to the `flowline flink` command. */
export function registerFlinkJobCommands(flink: Command, stateDirHelp: string): void {
    flink.command('jobs')
        .description('List the jobs of a Flink cluster, newest first: id, state, duration and name (--json: Flink\'s job overview).')
        .option('--flink <url>', FLINK_HELP)
        .option('--state-dir <dir>', stateDirHelp)
        .option('--json', 'print Flink\'s /jobs/overview entries as one JSON array')
        .action(async (options: TargetOptions & { json?: boolean }) => {
            process.exitCode = await listJobs(options);
        });

    flink.command('cancel')
        .description('Cancel a Flink job and wait until it is CANCELED.')
        .argument('<jobId>', 'the job\'s id (32 hex digits, as `flowline submit` and `flowline flink jobs` print it)')
        .option('--flink <url>', FLINK_HELP)
        .option('--state-dir <dir>', stateDirHelp)
        .addHelpText('after', [
            '',
            'Exit codes:',
            '  0  the job is CANCELED',
            '  1  no such job, the job had already ended, or no Flink answers',
            '  2  usage error (not a job id)'
        ].join('\n'))
        .action(async (jobId: string, options: TargetOptions) => {
            if (!/^[0-9a-f]{32}$/.test(jobId)) throw new UsageError(`'${jobId}' is not a Flink job id (32 hex digits).`);
            process.exitCode = await cancelJob(jobId, options);
        });
}

async function listJobs(options: TargetOptions & { json?: boolean }): Promise<number> {
    return withRest(options, async (rest) => {
        const jobs = (await rest.jobsOverview()).sort((a, b) => b['start-time'] - a['start-time']);
        if (options.json) {
            console.log(JSON.stringify(jobs, null, 2));
            return 0;
        }
        if (jobs.length === 0) {
            console.error(`No jobs on ${rest.baseUrl}.`);
            return 0;
        }
        const rows = jobs.map((j) => [j.jid, j.state, duration(j), j.name]);
        const widths = [32, Math.max(5, ...rows.map((r) => r[1].length)), Math.max(8, ...rows.map((r) => r[2].length))];
        const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ').trimEnd();
        console.log([line(['JOB ID', 'STATE', 'DURATION', 'NAME']), ...rows.map(line)].join('\n'));
        return 0;
    });
}

async function cancelJob(jobId: string, options: TargetOptions): Promise<number> {
    return withRest(options, async (rest) => {
        let job;
        try {
            job = await rest.job(jobId);
        } catch (error) {
            if (error instanceof FlinkRestError && error.status === 404) return fail(`No job ${jobId} on ${rest.baseUrl} (\`flowline flink jobs\` lists them).`);
            throw error;
        }
        if (TERMINAL_JOB_STATES.has(job.state)) return fail(`The job ${jobId} (${job.name}) has already ended: ${job.state}.`);
        await rest.cancel(jobId);
        process.stderr.write(`Cancelling ${job.name} (${jobId}) ...\n`);
        const ended = await followFlinkJob(rest.baseUrl, jobId);
        process.stderr.write(`${job.name} (${jobId}) is ${ended.state}.\n`);
        return ended.state === 'CANCELED' ? 0 : 1;
    });
}

/** Runs `body` with the target's REST client; an unreachable or missing cluster is a clear error (exit 1). */
async function withRest(options: TargetOptions, body: (rest: FlinkRestClient) => Promise<number>): Promise<number> {
    let target;
    try {
        target = resolveFlinkRestUrl(options.flink, options.stateDir ?? defaultFlinkStateDir());
    } catch (error) {
        if (error instanceof FlinkTargetError) return fail(error.message);
        throw error;
    }
    try {
        return await body(new FlinkRestClient(target.restUrl, 10_000));
    } catch (error) {
        if (error instanceof FlinkRestError && error.unreachable) return fail(`Flink's REST API at ${target.restUrl} (${target.origin}) does not answer: ${error.message}`);
        throw error;
    }
}

/** `12.3 s`, `4 min 05 s`, `2 h 03 min` of a job's duration. */
function duration(job: FlinkJobOverview): string {
    const seconds = Math.max(0, job.duration) / 1000;
    if (seconds < 60) return `${seconds.toFixed(1)} s`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
    return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min`;
}

function fail(message: string): number {
    process.stderr.write(`flowline: ${message}\n`);
    return 1;
}

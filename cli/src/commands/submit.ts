/**
 * `flowline submit <file>`: translates a pipeline to Flink SQL and submits it through a Flink SQL
 * Gateway (default: the local Flink of `flowline flink start`), prints the Flink job id and its
 * Web UI link; with --wait follows the job through Flink's REST API until it ends. Exit codes as
 * `flowline run`: 0 FINISHED (or submitted, without --wait), 1 FAILED/CANCELED or the pipeline
 * cannot run on Flink (its diagnostics, file:line:col), 2 usage error, 130 after Ctrl-C (the job
 * is cancelled first).
 */
import type { Command } from 'commander';
import { defaultFlinkStateDir } from '../../../flink/src/cluster/cluster-state.js';
import { FlinkTargetError, requireReachable, resolveFlinkTarget } from '../../../flink/src/cluster/flink-target.js';
import { FlinkRestClient } from '../../../flink/src/rest/flink-rest-client.js';
import { SqlStatementError } from '../../../flink/src/rest/sql-gateway-client.js';
import { readCsvHeader } from '../../../flink/src/sql/csv-header.js';
import { translatePipeline } from '../../../flink/src/sql/translate-pipeline.js';
import { followFlinkJob, submitFlinkSql } from '../../../flink/src/submit-pipeline.js';
import { flinkDiagnosticLine } from '../run/flink-diagnostic-line.js';
import { loadLogicalGraphs, RunInputError, selectPipelines } from '../run/load-logical-graph.js';
import { requireFile, UsageError } from '../usage-error.js';
import { positiveInt } from './run.js';

interface SubmitCommandOptions {
    pipeline?: string;
    flink?: string;
    sqlGateway?: string;
    wait?: boolean;
    parallelism?: number;
    stateDir?: string;
}

export function registerSubmitCommand(program: Command): void {
    program.command('submit')
        .description('Translate a pipeline to Flink SQL and submit it to a Flink cluster through its SQL Gateway; prints the job id and Web UI link.')
        .argument('<file>', 'a .flow file')
        .option('--pipeline <name>', 'the pipeline to submit (needed when the file has several)')
        .option('--flink <url>', 'Flink\'s REST API (default: $FLOWLINE_FLINK_REST_URL, else the local Flink of `flowline flink start`)')
        .option('--sql-gateway <url>', 'the SQL Gateway (default: $FLOWLINE_FLINK_SQL_GATEWAY_URL, else the local Flink\'s)')
        .option('--wait', 'follow the job until it ends, printing its state changes')
        .option('--parallelism <n>', 'default parallelism of the job (parallelism.default)', positiveInt)
        .option('--state-dir <dir>', 'the state folder of the local Flink (as for `flowline flink`)')
        .addHelpText('after', [
            '',
            'Exit codes:',
            '  0    submitted (with --wait: the job FINISHED)',
            '  1    the job FAILED or was CANCELED, the pipeline cannot run on Flink, or no Flink answers',
            '  2    usage error',
            '  130  Ctrl-C during --wait (the job is cancelled first)'
        ].join('\n'))
        .action(async (file: string, options: SubmitCommandOptions) => {
            process.exitCode = await submit(file, options);
        });
}

async function submit(file: string, options: SubmitCommandOptions): Promise<number> {
    requireFile(file);
    let graph;
    try {
        const graphs = selectPipelines(await loadLogicalGraphs(file, options.pipeline), options.pipeline, file);
        if (graphs.length === 0) throw new RunInputError(`${file} has no pipeline.`);
        if (graphs.length > 1) throw new UsageError(`${file} has ${graphs.length} pipelines (${graphs.map((g) => g.pipeline).join(', ')}); choose one with --pipeline.`);
        graph = graphs[0];
    } catch (error) {
        if (error instanceof RunInputError) return fail(error.message);
        throw error;
    }
    // Translate first: whether the pipeline can run on Flink does not depend on a cluster.
    const script = translatePipeline(graph, { parallelism: options.parallelism, csvHeader: readCsvHeader });
    if (script.diagnostics.length > 0) {
        for (const d of script.diagnostics) process.stderr.write(`${flinkDiagnosticLine(d)}\n`);
        return fail(`${graph.pipeline} cannot run on Flink (${script.diagnostics.length} problem${script.diagnostics.length === 1 ? '' : 's'} above).`);
    }
    for (const n of script.notes) process.stderr.write(`${flinkDiagnosticLine(n, 'warning')}\n`);
    let target;
    try {
        target = resolveFlinkTarget({ flink: options.flink, sqlGateway: options.sqlGateway }, options.stateDir ?? defaultFlinkStateDir());
        await requireReachable(target);
    } catch (error) {
        if (error instanceof FlinkTargetError) return fail(error.message);
        throw error;
    }

    let job;
    try {
        // Writes the data files the script reads (watermarked values), then sends the statements.
        job = await submitFlinkSql(script.statements, target, { jobName: `flowline: ${graph.pipeline}`, dataFiles: script.dataFiles });
    } catch (error) {
        if (error instanceof SqlStatementError) return fail(`Flink refused the pipeline ${graph.pipeline}: ${error.message}\n  in: ${error.statement.split('\n')[0]}`);
        throw error;
    }
    console.log(JSON.stringify({ pipeline: graph.pipeline, jobId: job.jobId, webUiUrl: job.webUiUrl }));
    process.stderr.write(`Submitted ${graph.pipeline} to ${target.origin}: Flink job ${job.jobId}\nWeb UI: ${job.webUiUrl}\n`);
    if (!options.wait) return 0;

    let interrupted = false;
    const onSigint = (): void => {
        if (interrupted) process.exit(130);
        interrupted = true;
        process.stderr.write(`Cancelling Flink job ${job.jobId} ...\n`);
        void new FlinkRestClient(target.restUrl).cancel(job.jobId).catch(() => undefined);
    };
    process.on('SIGINT', onSigint);
    try {
        const started = Date.now();
        const followed = await followFlinkJob(target.restUrl, job.jobId, (state) => {
            process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${state}\n`);
        });
        if (followed.state === 'FINISHED') return 0;
        if (followed.failure) process.stderr.write(`flowline: Flink job ${job.jobId} FAILED: ${followed.failure}\n`);
        return interrupted ? 130 : 1;
    } finally {
        process.off('SIGINT', onSigint);
    }
}

function fail(message: string): number {
    process.stderr.write(`flowline: ${message}\n`);
    return 1;
}

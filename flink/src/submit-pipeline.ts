/**
 * Submits a pipeline to a Flink cluster: translate its LogicalGraph to Flink SQL (refusing when
 * the translator reports diagnostics), send the statements one by one through the SQL Gateway,
 * and return the id of the job the final INSERT / EXECUTE STATEMENT SET started. followFlinkJob
 * then follows that job through Flink's REST API until it ends.
 */
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import { writeFlinkDataFiles } from './data-files.js';
import type { FlinkDataFile, FlinkSqlDiagnostic } from './sql/flink-sql-script.js';
import { translatePipeline, type FlinkSqlScript, type TranslateOptions } from './sql/translate-pipeline.js';
import { FlinkRestClient, TERMINAL_JOB_STATES, type FlinkJobDetails, type FlinkJobState } from './rest/flink-rest-client.js';
import { deepestCause, FlinkRestError } from './rest/rest-request.js';
import { SqlGatewayClient } from './rest/sql-gateway-client.js';

/** Where to submit: a Flink cluster's REST API and its SQL Gateway. */
export interface FlinkTarget {
    restUrl: string;
    sqlGatewayUrl: string;
    /** The Web UI's root (default: the REST URL, where Flink serves it). */
    webUiUrl?: string;
}

export interface SubmittedJob {
    jobId: string;
    /** The job's page in Flink's Web UI. */
    webUiUrl: string;
    /** The statements sent, in order. */
    statements: string[];
}

export type SubmitPipelineResult =
    | { submitted: true; job: SubmittedJob; script: FlinkSqlScript }
    | { submitted: false; diagnostics: FlinkSqlDiagnostic[] };

export interface SubmitOptions {
    parallelism?: number;
    /** Translation options (data file folder, csv headers, ...); `parallelism` above wins. */
    translate?: TranslateOptions;
    /** Called before each statement is sent (e.g. to print it). */
    onStatement?: (statement: string) => void;
}

/**
 * Translates and submits one pipeline; untranslatable pipelines come back with their diagnostics.
 * The data files the script reads are written first.
 */
export async function submitPipeline(graph: LogicalGraph, target: FlinkTarget, options: SubmitOptions = {}): Promise<SubmitPipelineResult> {
    const script = translatePipeline(graph, { ...options.translate, parallelism: options.parallelism ?? options.translate?.parallelism });
    if (script.diagnostics.length > 0) return { submitted: false, diagnostics: script.diagnostics };
    const job = await submitFlinkSql(script.statements, target, { ...options, jobName: `flowline: ${graph.pipeline}`, dataFiles: script.dataFiles });
    return { submitted: true, job, script };
}

/**
 * Writes the script's data files, then runs the statements in one SQL Gateway session; the last
 * one that starts a job gives the job id. The session is closed afterwards (the job keeps running
 * on the cluster).
 */
export async function submitFlinkSql(statements: string[], target: FlinkTarget, options: SubmitOptions & { jobName?: string; dataFiles?: readonly FlinkDataFile[] } = {}): Promise<SubmittedJob> {
    writeFlinkDataFiles(options.dataFiles ?? []);
    const gateway = new SqlGatewayClient(target.sqlGatewayUrl);
    const session = await gateway.openSession(options.jobName ? { 'pipeline.name': options.jobName } : {}, options.jobName);
    let jobId: string | undefined;
    try {
        for (const statement of statements) {
            options.onStatement?.(statement);
            const result = await session.execute(statement);
            if (result.jobId) jobId = result.jobId;
        }
    } finally {
        await session.close().catch(() => undefined);
    }
    if (!jobId) throw new Error('The SQL Gateway ran every statement but none of them started a Flink job (the script has no INSERT).');
    const rest = new FlinkRestClient(target.webUiUrl ?? target.restUrl);
    return { jobId, webUiUrl: rest.webUiJobUrl(jobId), statements };
}

export interface FollowedJob {
    state: FlinkJobState;
    details: FlinkJobDetails;
    /** For a FAILED job: the root exception Flink recorded (its name and message). */
    failure?: string;
}

/**
 * Polls GET /jobs/:id until the job reaches FINISHED, FAILED or CANCELED; onState sees each new
 * state once. A failed job's failure is its root exception from /jobs/:id/exceptions.
 */
export async function followFlinkJob(restUrl: string, jobId: string, onState: (state: FlinkJobState) => void = () => undefined, pollMs = 300): Promise<FollowedJob> {
    const rest = new FlinkRestClient(restUrl);
    let last: string | undefined;
    let unknownSince = Date.now();
    for (;;) {
        let details: FlinkJobDetails | undefined;
        try {
            details = await rest.job(jobId);
        } catch (err) {
            // Just after submission the dispatcher may not list the job yet.
            if (!(err instanceof FlinkRestError && err.status === 404 && Date.now() - unknownSince < 10_000)) throw err;
        }
        if (details) {
            unknownSince = Date.now();
            if (details.state !== last) {
                last = details.state;
                onState(details.state);
            }
            if (TERMINAL_JOB_STATES.has(details.state)) {
                const failure = details.state === 'FAILED' ? await rootFailure(rest, jobId) : undefined;
                return { state: details.state, details, failure };
            }
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
}

/**
 * The exception that failed the job: the deepest "Caused by:" of the newest entry's stack trace
 * (the top one is usually Flink's "Recovery is suppressed by NoRestartBackoffTimeStrategy").
 */
async function rootFailure(rest: FlinkRestClient, jobId: string): Promise<string> {
    const exceptions = await rest.exceptions(jobId).catch(() => undefined);
    const entry = exceptions?.exceptionHistory.entries[0];
    if (!entry) return 'Flink recorded no exception for this job.';
    const root = deepestCause(entry.stacktrace);
    return entry.taskName ? `${root} (in ${entry.taskName})` : root;
}

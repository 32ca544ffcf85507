/**
 * Runs one pipeline of a .flow file on the local runtime (`flowline run`) and, translated, on a
 * real Flink through its SQL Gateway until FINISHED, and requires each sink's records to be the same
 * multiset on both. Shared by the parity tests of the examples and of the golden operator pipelines.
 * File sinks are read from their files (Flink's from the directory of part files it writes); a
 * pipeline's print sink is compared when it is its only print sink (Flink then writes it as JSON lines).
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvHeader } from '../../flink/src/sql/csv-header.js';
import { translatePipeline, type FlinkSqlScript } from '../../flink/src/sql/translate-pipeline.js';
import { followFlinkJob, submitFlinkSql } from '../../flink/src/submit-pipeline.js';
import { loadLogicalGraphs } from '../../language/src/graph/load-logical-graphs.js';
import type { LogicalGraph, LogicalNode } from '../../protocol/logical-graph.js';
import { runCli } from '../support/run-cli.js';
import { SqlGatewayClient, SqlStatementError } from '../../flink/src/rest/sql-gateway-client.js';
import { flinkDirectoryRecords, localFileRecords, multiset, printedRecords, type SinkRecord } from './sink-records.js';

/** The pipelines of `file` that translate without diagnostics. */
export async function pipelinesFlinkCanRun(file: string): Promise<LogicalGraph[]> {
    const { graphs } = await loadLogicalGraphs(file);
    return graphs.filter((g) => translatePipeline(g, { csvHeader: readCsvHeader }).diagnostics.length === 0);
}

/** The state the job ends in, through the same REST polling as `flowline submit --wait`. */
async function waitForJob(restUrl: string, jobId: string): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Flink job ${jobId} did not end within 180 s`)), 180_000);
    });
    try {
        return (await Promise.race([followFlinkJob(restUrl, jobId, undefined, 500), deadline])).state;
    } finally {
        clearTimeout(timer);
    }
}

/** Submits the statements (after writing the data files they read) as `flowline submit` does and returns the Flink job id. */
function runScript(cluster: { restUrl: string; sqlGatewayUrl: string }, script: FlinkSqlScript): Promise<string> {
    return submitFlinkSql(script.statements, cluster, { dataFiles: script.dataFiles }).then((job) => job.jobId);
}

function sinkFormat(node: LogicalNode): 'csv' | 'json' {
    return node.config.kind === 'sink' && node.config.connector === 'csv' ? 'csv' : 'json';
}

function delimiterOf(node: LogicalNode): string | undefined {
    const d = node.config.kind === 'sink' ? node.config.options.delimiter : undefined;
    return typeof d === 'string' ? d : undefined;
}

/**
 * Copies `folder` (without its `out/`) into a fresh folder under `work`, runs `pipeline` of the copy
 * of `file` (relative to `folder`) on both runtimes and compares the records of every sink.
 */
export async function comparePipelineOnFlink(cluster: { restUrl: string; sqlGatewayUrl: string }, work: string, folder: string, file: string, pipeline: string): Promise<void> {
    // A copy of the folder, so both runs write their outputs away from the repository.
    const dir = mkdtempSync(join(work, `${pipeline}-`));
    cpSync(folder, dir, { recursive: true, filter: (source) => source !== join(folder, 'out') });
    const flowFile = join(dir, file);
    const { graphs: [graph] } = await loadLogicalGraphs(flowFile, pipeline);
    const sinks = graph.nodes.filter((n) => n.config.kind === 'sink');
    const printSinks = sinks.filter((n) => n.config.kind === 'sink' && n.config.connector === 'print');
    const compared = sinks.filter((n) => n.config.kind === 'sink' && (n.config.path !== undefined || (n.config.connector === 'print' && printSinks.length === 1)));
    const flinkPath = (node: LogicalNode) => join(dir, 'flink-out', node.id.replace(/[^A-Za-z0-9]+/g, '_'));

    const local = await runCli(['run', flowFile, '--pipeline', graph.pipeline], { cwd: dir });
    const script = translatePipeline(graph, {
        csvHeader: readCsvHeader,
        sinkPathOverride: (node) => (compared.includes(node) ? flinkPath(node) : undefined)
    });
    if (local.code !== 0) {
        // A pipeline that fails locally (bad input under 'onError fail', a division by zero) must fail on Flink too.
        const outcome = await runScript(cluster, script)
            .then((jobId) => waitForJob(cluster.restUrl, jobId), (error: Error) => `refused: ${error.message}`);
        assert.ok(outcome === 'FAILED' || outcome.startsWith('refused: '), `${graph.pipeline} fails locally (${local.stderr.split('\n')[0]}) but ends ${outcome} on Flink`);
        return;
    }

    let jobId: string;
    try {
        jobId = await runScript(cluster, script);
    } catch (error) {
        // A file sink takes only inserts: a rolling aggregate's updates are compared as its changelog instead.
        if (!(error instanceof SqlStatementError) || !/doesn't support consuming update changes/.test(error.message) || compared.length !== 1) throw error;
        const changelog = await changelogRecords(cluster.sqlGatewayUrl, script.statements, compared[0]);
        assert.deepEqual(multiset(changelog), multiset(printedRecords(local.stdout)), `${graph.pipeline}: Flink's changelog (inserts and updated rows) differs from the local runtime's printed rows`);
        return;
    }
    assert.equal(await waitForJob(cluster.restUrl, jobId), 'FINISHED', `${graph.pipeline}: the Flink job ${jobId} did not finish`);

    for (const sink of compared) {
        if (sink.config.kind !== 'sink') continue;
        const columns = sink.schema.map((f) => f.name);
        const localRecords: SinkRecord[] = sink.config.path !== undefined
            ? localFileRecords(sink.config.path, sinkFormat(sink), columns, delimiterOf(sink))
            : printedRecords(local.stdout);
        const flinkRecords = flinkDirectoryRecords(flinkPath(sink), sink.config.path !== undefined ? sinkFormat(sink) : 'json', columns, delimiterOf(sink));
        assert.ok(localRecords.length > 0, `${graph.pipeline} ${sink.name}: the local run wrote no records`);
        assert.deepEqual(multiset(flinkRecords), multiset(localRecords), `${graph.pipeline} ${sink.name} (${sink.id}): Flink's records differ from the local runtime's`);
    }
}

/**
 * The rows a pipeline's one print sink would show on Flink, as the local runtime prints them: the
 * final INSERT run as its SELECT, keeping inserted rows and the new row of each update (the local
 * print sink prints every updated row; Flink's prints the retraction too).
 */
async function changelogRecords(sqlGatewayUrl: string, statements: string[], sink: LogicalNode): Promise<SinkRecord[]> {
    const insert = statements[statements.length - 1];
    const select = insert.replace(/^INSERT INTO `[^`]+`\s*/, '');
    assert.notEqual(select, insert, 'the script ends with one INSERT');
    const session = await new SqlGatewayClient(sqlGatewayUrl).openSession();
    try {
        for (const statement of statements.slice(0, -1)) await session.execute(statement);
        const result = await session.execute(select);
        const names = sink.schema.map((f) => f.name);
        return result.rows.filter((r) => r.kind === 'INSERT' || r.kind === 'UPDATE_AFTER')
            .map((r) => Object.fromEntries(names.map((n, i) => [n, r.fields[i]])));
    } finally {
        await session.close().catch(() => undefined);
    }
}

/**
 * Parity with real Flink: every example pipeline that translates without diagnostics runs on the
 * local runtime (`flowline run`) and, translated, on a real Flink through its SQL Gateway until
 * FINISHED; each sink's records must be the same multiset on both. File sinks are read from
 * their files (Flink's from the directory of part files it writes); a pipeline's print sink is
 * compared when it is its only print sink (Flink then writes it as JSON lines instead).
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readCsvHeader } from '../../flink/src/sql/csv-header.js';
import { translatePipeline } from '../../flink/src/sql/translate-pipeline.js';
import { FlinkRestClient, TERMINAL_JOB_STATES } from '../../flink/src/rest/flink-rest-client.js';
import { loadLogicalGraphs } from '../../language/src/graph/load-logical-graphs.js';
import type { LogicalGraph, LogicalNode } from '../../protocol/logical-graph.js';
import { flinkClusterForTests } from '../support/flink-cluster.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { runScript } from './gateway-script.js';
import { flinkDirectoryRecords, localFileRecords, multiset, printedRecords, type SinkRecord } from './sink-records.js';

const EXAMPLES = join(REPO_ROOT, 'examples');

/** The .flow files of the examples that declare pipelines (schemas.flow only shares declarations). */
function exampleFiles(): string[] {
    return readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory())
        .flatMap((d) => readdirSync(join(EXAMPLES, d.name)).filter((f) => f.endsWith('.flow') && f !== 'schemas.flow').map((f) => join(d.name, f)));
}

async function waitForJob(restUrl: string, jobId: string): Promise<string> {
    const client = new FlinkRestClient(restUrl);
    for (const deadline = Date.now() + 180_000; Date.now() < deadline;) {
        const { state } = await client.job(jobId);
        if (TERMINAL_JOB_STATES.has(state)) return state;
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`Flink job ${jobId} did not end within 180 s`);
}

function sinkFormat(node: LogicalNode): 'csv' | 'json' {
    return node.config.kind === 'sink' && node.config.connector === 'csv' ? 'csv' : 'json';
}

function delimiterOf(node: LogicalNode): string | undefined {
    const d = node.config.kind === 'sink' ? node.config.options.delimiter : undefined;
    return typeof d === 'string' ? d : undefined;
}

describe('examples give the same records on Flink as on the local runtime', () => {
    let cluster: { restUrl: string; sqlGatewayUrl: string };
    const work = mkdtempSync(join(tmpdir(), 'flowline-flink-parity-'));
    before(async () => {
        cluster = await flinkClusterForTests();
    });
    after(() => rmSync(work, { recursive: true, force: true }));

    for (const file of exampleFiles()) {
        it(`runs the pipelines of ${file} that Flink can run, with equal results`, async (t) => {
            const { graphs } = await loadLogicalGraphs(join(EXAMPLES, file));
            const runnable = graphs.filter((g) => translatePipeline(g, { csvHeader: readCsvHeader }).diagnostics.length === 0);
            if (runnable.length === 0) {
                t.skip('no pipeline of this example translates without diagnostics (flowline sql names them)');
                return;
            }
            for (const graph of runnable) await comparePipeline(file, graph);
        });
    }

    async function comparePipeline(file: string, original: LogicalGraph): Promise<void> {
        // A copy of the example folder, so both runs write their outputs away from the repository.
        const dir = mkdtempSync(join(work, `${original.pipeline}-`));
        const example = join(EXAMPLES, file.split('/')[0]);
        cpSync(example, dir, { recursive: true, filter: (source) => source !== join(example, 'out') });
        const flowFile = join(dir, file.split('/')[1]);
        const { graphs: [graph] } = await loadLogicalGraphs(flowFile, original.pipeline);
        const sinks = graph.nodes.filter((n) => n.config.kind === 'sink');
        const printSinks = sinks.filter((n) => n.config.kind === 'sink' && n.config.connector === 'print');
        const compared = sinks.filter((n) => n.config.kind === 'sink' && (n.config.path !== undefined || (n.config.connector === 'print' && printSinks.length === 1)));
        const flinkPath = (node: LogicalNode) => join(dir, 'flink-out', node.id.replace(/[^A-Za-z0-9]+/g, '_'));

        const local = await runCli(['run', flowFile, '--pipeline', graph.pipeline], { cwd: dir });
        assert.equal(local.code, 0, `flowline run failed:\n${local.stderr}`);

        const { statements } = translatePipeline(graph, {
            csvHeader: readCsvHeader,
            sinkPathOverride: (node) => (compared.includes(node) ? flinkPath(node) : undefined)
        });
        const jobId = await runScript(cluster.sqlGatewayUrl, statements);
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
});

/**
 * Parity with real Flink for the golden operator pipelines (test/runtime-operators/golden): every
 * pipeline that translates without diagnostics runs on the local runtime and on Flink until
 * FINISHED, and each sink's records are the same multiset on both (pipeline-parity.ts); a pipeline
 * that fails locally (bad input, a division by zero) must fail on Flink too. A file
 * none of whose pipelines translates is skipped with the reason; `flowline sql` names the constructs.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { flinkClusterForTests } from '../support/flink-cluster.js';
import { REPO_ROOT } from '../support/run-cli.js';
import { comparePipelineOnFlink, pipelinesFlinkCanRun } from './pipeline-parity.js';

const GOLDEN = join(REPO_ROOT, 'test/runtime-operators/golden');

describe('golden operator pipelines give the same records on Flink as on the local runtime', () => {
    let cluster: { restUrl: string; sqlGatewayUrl: string };
    const work = mkdtempSync(join(tmpdir(), 'flowline-flink-golden-parity-'));
    before(async () => {
        cluster = await flinkClusterForTests();
    });
    after(() => rmSync(work, { recursive: true, force: true }));

    for (const file of readdirSync(GOLDEN).filter((f) => f.endsWith('.flow')).sort()) {
        it(`runs the pipelines of ${file} that Flink can run: equal records, or a failure on both`, async (t) => {
            const runnable = await pipelinesFlinkCanRun(join(GOLDEN, file));
            if (runnable.length === 0) {
                t.skip('no pipeline of this file translates without diagnostics (flowline sql names them)');
                return;
            }
            for (const graph of runnable) await comparePipelineOnFlink(cluster, work, GOLDEN, file, graph.pipeline);
        });
    }
});

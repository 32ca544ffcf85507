/**
 * Parity with real Flink: every example pipeline that translates without diagnostics runs on the
 * local runtime (`flowline run`) and, translated, on a real Flink through its SQL Gateway until
 * FINISHED; each sink's records must be the same multiset on both (pipeline-parity.ts).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { flinkClusterForTests } from '../support/flink-cluster.js';
import { REPO_ROOT } from '../support/run-cli.js';
import { comparePipelineOnFlink, pipelinesFlinkCanRun } from './pipeline-parity.js';

const EXAMPLES = join(REPO_ROOT, 'examples');

/** The .flow files of the examples that declare pipelines (schemas.flow only shares declarations). */
function exampleFiles(): string[] {
    return readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory())
        .flatMap((d) => readdirSync(join(EXAMPLES, d.name)).filter((f) => f.endsWith('.flow') && f !== 'schemas.flow' && !f.endsWith('.test.flow')).map((f) => join(d.name, f)));
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
            const runnable = await pipelinesFlinkCanRun(join(EXAMPLES, file));
            if (runnable.length === 0) {
                t.skip('no pipeline of this example translates without diagnostics (flowline sql names them)');
                return;
            }
            for (const graph of runnable) await comparePipelineOnFlink(cluster, work, join(EXAMPLES, file.split('/')[0]), file.split('/')[1], graph.pipeline);
        });
    }
});

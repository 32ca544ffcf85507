/**
 * Every golden script (test/flink-sql/golden) is accepted by a real Flink's planner: each
 * statement runs in a SQL Gateway session and the final INSERT or statement set is EXPLAINed,
 * which validates types, connectors and options, changelog modes and time attributes without
 * starting a job.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readCsvHeader } from '../../flink/src/sql/csv-header.js';
import { translatePipeline } from '../../flink/src/sql/translate-pipeline.js';
import { loadLogicalGraphs } from '../../language/src/graph/load-logical-graphs.js';
import { flinkClusterForTests } from '../support/flink-cluster.js';
import { REPO_ROOT } from '../support/run-cli.js';
import { explainScript } from './gateway-script.js';

const GOLDEN = join(REPO_ROOT, 'test/flink-sql/golden');

describe('Flink\'s planner accepts every golden script', () => {
    let gateway: string;
    // Planning a batch file sink already creates its staging folder at the sink's path: plan into a temporary folder.
    const outputs = mkdtempSync(join(tmpdir(), 'flowline-flink-plan-'));
    before(async () => {
        gateway = (await flinkClusterForTests()).sqlGatewayUrl;
    });
    after(() => rmSync(outputs, { recursive: true, force: true }));
    for (const file of readdirSync(GOLDEN).filter((f) => f.endsWith('.flow')).sort()) {
        it(`plans every pipeline of ${file}`, async () => {
            const { graphs } = await loadLogicalGraphs(join(GOLDEN, file));
            for (const graph of graphs) {
                const { statements, diagnostics } = translatePipeline(graph, {
                    csvHeader: readCsvHeader, sinkPathOverride: (node) => (node.config.kind === 'sink' && node.config.path ? join(outputs, node.id.replace(/\W+/g, '_')) : undefined)
                });
                assert.deepEqual(diagnostics, []);
                const plan = await explainScript(gateway, statements);
                assert.match(plan, /== Optimized Physical Plan ==/, `${graph.pipeline}: Flink printed no plan`);
            }
        });
    }
});

/**
 * Every aggregate function gives the same result on Flink as on the local runtime: the pipeline of
 * test/flink/fixtures/aggregates runs on both (test/flink-sql/pipeline-parity.ts) and each sink's
 * records are the same multiset.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { flinkClusterForTests } from '../support/flink-cluster.js';
import { REPO_ROOT } from '../support/run-cli.js';
import { comparePipelineOnFlink } from '../flink-sql/pipeline-parity.js';

const work = mkdtempSync(join(tmpdir(), 'flowline-flink-aggregates-'));
after(() => rmSync(work, { recursive: true, force: true }));

it('count, sum, avg, min, max, first, last, collect and count(distinct) agree with Flink over groups with nulls', { timeout: 300_000 }, async () => {
    const cluster = await flinkClusterForTests();
    await comparePipelineOnFlink(cluster, work, join(REPO_ROOT, 'test/flink/fixtures/aggregates'), 'aggregates.flow', 'Aggregates');
});

/**
 * What the Jobs view and the skipped-rows warning say about a job's sources and sinks, from the
 * real payloads of a run: the metrics push messages and the final summary of `flowline run
 * --status json` over a CSV file with bad rows.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { JobDetails, JobMetricsMessage, RunSummaryEvent } from '../../protocol/cluster-api.js';
import {
    applyConnectorCounters, badRowsDescription, connectorCountsMarkdown, skippedRowsWarning
} from '../../client/src/views/connector-counts.js';
import { runCli } from '../support/run-cli.js';

let metrics: JobMetricsMessage[];
let summary: RunSummaryEvent;

before(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowline-client-counts-'));
    writeFileSync(path.join(dir, 'orders.csv'), 'id,amount\n1,10\n2,x\n3,30\n4,40,extra\n5,50\n');
    writeFileSync(path.join(dir, 'p.flow'), [
        'pipeline Orders {',
        '    mode batch',
        '    source orders: { id: long, amount: long } = csv("orders.csv") { onError skip }',
        '    sink orders -> jsonl("out.jsonl")',
        '}'
    ].join('\n'));
    const result = await runCli(['run', 'p.flow', '--status', 'json'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const events = result.stderr.trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    metrics = events.filter((e): e is JobMetricsMessage => e.type === 'metrics');
    summary = events.at(-1) as RunSummaryEvent;
});

/** Job details as the store holds them before any counter arrived. */
function detailsWithoutCounters(state: JobDetails['state']): JobDetails {
    return { name: 'Orders', state, sources: [], sinks: [] } as unknown as JobDetails;
}

test('the job store takes the counters of the last metrics push message into the job details', () => {
    const details = detailsWithoutCounters('FINISHED');
    for (const message of metrics) applyConnectorCounters(details, message);
    assert.deepEqual(details.sources, summary.sources);
    assert.deepEqual(details.sinks, summary.sinks);
    assert.deepEqual(details.sources.map((s) => [s.name, s['read-records'], s['skipped-records'], s['dead-lettered-records']]), [['orders', 5, 2, 0]]);
});

test('a metrics message without counters (an older cluster) leaves the known counters alone', () => {
    const details = detailsWithoutCounters('RUNNING');
    applyConnectorCounters(details, metrics.at(-1)!);
    applyConnectorCounters(details, { sources: undefined, sinks: undefined } as unknown as JobMetricsMessage);
    assert.equal(details.sources.length, 1);
});

test('a job row says how many rows were skipped, and its tooltip what each source read and each sink wrote', () => {
    const details = detailsWithoutCounters('FINISHED');
    applyConnectorCounters(details, metrics.at(-1)!);
    assert.equal(badRowsDescription(details), '2 rows skipped');
    assert.equal(connectorCountsMarkdown(details), [
        '- source orders (orders.csv): 5 read, 2 skipped, 0 dead-lettered',
        '- sink 1 (orders) -> out.jsonl: 3 written'
    ].join('\n'));
});

test('a finished job that skipped rows gets a warning naming the source and the count; one that skipped none gets none', () => {
    const details = detailsWithoutCounters('FINISHED');
    applyConnectorCounters(details, metrics.at(-1)!);
    assert.equal(skippedRowsWarning(details), 'Job Orders finished with 2 bad rows skipped (onError skip): orders skipped 2 of 5 (orders.csv).');
    const clean = { ...details, sources: details.sources.map((s) => ({ ...s, 'skipped-records': 0 })) };
    assert.equal(skippedRowsWarning(clean), undefined);
    assert.equal(badRowsDescription(clean), '');
});

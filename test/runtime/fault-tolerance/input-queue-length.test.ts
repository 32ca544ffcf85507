/**
 * Flink's buffers.inputQueueLength through the REST API (GET
 * /jobs/:jid/vertices/:vid/subtasks/:index/metrics), and what it guards: after a barrier's
 * alignment released the batches it held back, an input task must work its queue off, not take
 * a few messages per turn while a source in the same thread refills it as fast (the queue then
 * stayed near its 16 credits for the rest of the run, and every queued row outlived the young
 * generation: stream-task.ts, runInputs). A keyed job at p=2 on two TaskManager threads, a
 * checkpoint every 100ms, its sources as fast as they go: each aggregate subtask aligns a
 * same-thread source's channel with another thread's. Sampled after a few checkpoints, the
 * aggregate's input queue must stay low. (At p=1 an aggregate has one input channel: alignment
 * holds nothing back, and the test could not fail.)
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CheckpointingStatistics } from '../../../protocol/checkpoints.js';
import type { AggregatedMetric, JobDetails, JobSubmitResponse, MetricValues } from '../../../protocol/cluster-api.js';
import { runCli } from '../../support/run-cli.js';
import { FIXTURES, startCluster, type RunningCluster } from '../cluster-harness.js';

const FIXTURE = path.join(FIXTURES, 'fault-tolerance', 'queue-length.flow');
/** Metrics reports to sample (one per 500 ms). */
const SAMPLES = 12;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the input queue length of a subtask (Flink\'s buffers.inputQueueLength) over REST', () => {
    let cluster: RunningCluster;
    let jobId: string;
    let aggregateVertex: string;
    /** The aggregate's input queue length, sampled once per metrics report after the first checkpoints. */
    const samples: number[] = [];

    before(async () => {
        // One TaskManager thread: the source and the aggregate share it, as the queue problem needs.
        cluster = await startCluster(['--taskmanagers', '2', '--slots', '1']);
        const graph = JSON.parse((await runCli(['graph', FIXTURE])).stdout) as unknown;
        const submitted = await cluster.api<JobSubmitResponse>('POST', '/jobs', graph);
        assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
        jobId = submitted.body.jobid;
        let details: JobDetails;
        do {
            await sleep(100);
            details = (await cluster.api<JobDetails>('GET', `/jobs/${jobId}`)).body;
        } while (details.state !== 'RUNNING' || details.vertices.some((v) => v.status !== 'RUNNING'));
        aggregateVertex = details.vertices.find((v) => v.nodeIds?.some((n) => n.endsWith('aggregate')))?.id ?? details.vertices[1].id;
        // A few checkpoints first: each one's alignment holds batches back and releases them.
        for (;;) {
            const stats = (await cluster.api<CheckpointingStatistics>('GET', `/jobs/${jobId}/checkpoints`)).body;
            if (stats.counts.completed >= 2) break;
            await sleep(100);
        }
        const metric = `/jobs/${jobId}/vertices/${encodeURIComponent(aggregateVertex)}/subtasks/0/metrics?get=buffers.inputQueueLength`;
        let last = '';
        for (let polls = 0; samples.length < SAMPLES && polls < SAMPLES * 40; polls++) {
            const answer = (await cluster.api<MetricValues>('GET', metric)).body;
            // A new report every 500 ms; the same report read twice is one sample.
            const report = JSON.stringify((await cluster.api<JobDetails>('GET', `/jobs/${jobId}`)).body.vertices.map((v) => v.metrics['read-records']));
            if (report !== last) {
                last = report;
                samples.push(Number(answer[0].value));
            }
            await sleep(50);
        }
    });
    after(async () => {
        if (jobId) await cluster?.api('PATCH', `/jobs/${jobId}?mode=cancel`);
        await cluster?.stop();
    });

    test('the metric is listed and answered in Flink\'s shape (ids, string values, aggregates over subtasks)', async () => {
        const base = `/jobs/${jobId}/vertices/${encodeURIComponent(aggregateVertex)}`;
        const listed = (await cluster.api<MetricValues>('GET', `${base}/subtasks/0/metrics`)).body;
        assert.ok(listed.some((m) => m.id === 'buffers.inputQueueLength' && m.value === undefined), JSON.stringify(listed));
        assert.ok(listed.some((m) => m.id === 'buffers.outputQueueLength'));
        const values = (await cluster.api<MetricValues>('GET', `${base}/subtasks/0/metrics?get=buffers.inputQueueLength,numRecordsIn,no.such.metric`)).body;
        assert.deepEqual(values.map((m) => m.id), ['buffers.inputQueueLength', 'numRecordsIn']);
        for (const m of values) assert.match(m.value!, /^\d+$/);
        const vertex = (await cluster.api<MetricValues>('GET', `${base}/metrics?get=0.buffers.inputQueueLength`)).body;
        assert.equal(vertex[0].id, '0.buffers.inputQueueLength');
        const aggregated = (await cluster.api<AggregatedMetric[]>('GET', `${base}/subtasks/metrics?get=buffers.inputQueueLength&agg=max,sum`)).body;
        assert.deepEqual(Object.keys(aggregated[0]).sort(), ['id', 'max', 'sum']);
        const missing = await cluster.api('GET', `${base}/subtasks/7/metrics`);
        assert.equal(missing.status, 404);
    });

    test('after checkpoints\' alignments, a same-thread source does not keep the downstream input queue full: it stays low', () => {
        assert.equal(samples.length, SAMPLES, `samples: ${samples.join(', ')}`);
        // Each of the two input channels grants 16 credits. With runInputs reverted to 23ca11f^,
        // 4-7 of 12 samples were 8 or more (17-32), the others 0-7, the queue filling for stretches
        // of the run (measured after main's 100 ms buffer timeout, 52fde28); with the fix every
        // sample was 0-7, mostly 0-2. Three samples at half a channel's credits or more fail.
        const full = samples.filter((n) => n >= 8).length;
        assert.ok(full < 3, `input queue length samples: ${samples.join(', ')}`);
    });
});

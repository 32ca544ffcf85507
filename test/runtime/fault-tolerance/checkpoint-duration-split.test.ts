/**
 * Where a checkpoint's time went (protocol/checkpoints.ts, CheckpointDurationSplit): `GET
 * /jobs/:jid/checkpoints` gives, for each completed checkpoint and each of its vertices, the split
 * of the last acknowledgement (barrier, sync, async, ack) adding up to the end-to-end duration.
 * And the cause of the 1 M-key regression stays fixed: a state file is written with a few turns of
 * the task's event loop however large it is (fs.promises.writeFile needed one turn per 512 KiB,
 * and the input loop's turns can be long). Through the shared.cluster process and its REST API.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CheckpointingStatistics, CheckpointDurationSplit } from '../../../protocol/checkpoints.js';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import { writeStateFile } from '../../../runtime/src/cluster/taskmanager/task-checkpointer.js';
import { runCli } from '../../support/run-cli.js';
import { clusterForFile, FIXTURES, waitForJobEnd } from '../cluster-harness.js';

const FIXTURE = path.join(FIXTURES, 'fault-tolerance', 'counting.flow');

const shared = clusterForFile(['--taskmanagers', '2', '--slots', '1'], 'flowline-checkpoint-split-');

const total = (s: CheckpointDurationSplit): number => s.barrier + s.sync + s.async + s.ack;

test('each completed checkpoint splits its duration into barrier, sync, async and ack, for itself and each vertex', async () => {
    const printed = await runCli(['graph', FIXTURE, '--pipeline', 'Counting']);
    assert.equal(printed.code, 0, printed.stderr);
    const parsed = JSON.parse(printed.stdout) as LogicalGraph | LogicalGraph[];
    const graph = Array.isArray(parsed) ? parsed[0] : parsed;
    const submitted = await shared.cluster.api<{ jobid: string }>('POST', '/jobs', { ...graph, checkpointing: { intervalMs: 50, mode: 'exactly-once', directory: shared.temp } });
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    assert.equal(await waitForJobEnd(shared.push, submitted.body.jobid), 'FINISHED');
    const stats = (await shared.cluster.api<CheckpointingStatistics>('GET', `/jobs/${submitted.body.jobid}/checkpoints`)).body;
    const completed = stats.history.filter((h) => h.status === 'COMPLETED');
    assert.ok(completed.length >= 1, `checkpoints completed while the job ran: ${JSON.stringify(stats.counts)}`);
    for (const h of completed) {
        const split = h.duration_split;
        assert.ok(split, `checkpoint ${h.id} has a duration split`);
        for (const part of Object.values(split)) assert.ok(Number.isInteger(part) && part >= 0, `checkpoint ${h.id}: ${JSON.stringify(split)}`);
        // Rounding each part to whole ms may move the sum by one either way.
        assert.ok(Math.abs(total(split) - h.end_to_end_duration) <= 1, `checkpoint ${h.id}: ${JSON.stringify(split)} adds up to ${h.end_to_end_duration} ms`);
        for (const [vertex, task] of Object.entries(h.tasks)) {
            assert.ok(task.duration_split, `checkpoint ${h.id}, ${vertex} has a duration split`);
            assert.ok(Math.abs(total(task.duration_split) - task.end_to_end_duration) <= 1, `checkpoint ${h.id}, ${vertex}: ${JSON.stringify(task.duration_split)} vs ${task.end_to_end_duration} ms`);
        }
    }
});

test('a large state file is written in a few turns of a busy event loop', async () => {
    // 16 MB: 32 write requests of 512 KiB (fs.promises.writeFile), each waiting for a turn.
    const bytes = Buffer.alloc(16 * 1024 * 1024, 7);
    const file = path.join(shared.temp, 'large.state');
    let turns = 0;
    let written = false;
    // A busy task: each turn of the loop works 100 ms (the input loop's turns reached ~1 s), longer
    // than the disk needs for the whole file, so the turns count the write's requests.
    const busy = (): void => {
        if (written) return;
        turns++;
        const until = performance.now() + 100;
        while (performance.now() < until);
        setImmediate(busy);
    };
    setImmediate(busy);
    await writeStateFile(file, bytes);
    written = true;
    assert.ok(readFileSync(file).equals(bytes), 'the file holds the bytes');
    assert.ok(turns <= 16, `written within ${turns} turns of the loop (one request per 512 KiB would need 32 or more)`);
});

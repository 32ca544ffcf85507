/**
 * `keep ... until t` keeps only its open keys in state: a closed key's row is emitted and the key
 * dropped (a later row of it is late, since its `t` is behind the watermark). Seen through the
 * REST API a user reads: the savepoints of a running job whose every record is a key closing
 * soon after it opens have the same size for the keep operator after 20 times as many keys have
 * closed. Before the keys were dropped, each closed key stayed in state (9+ bytes each).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { JobDetails, PushMessage } from '../../protocol/cluster-api.js';
import { runCli } from '../support/run-cli.js';
import { clusterForFile } from './cluster-harness.js';

const PIPELINE = `pipeline Closing {
    mode streaming
    parallelism 1
    checkpoint every 1h

    source events = datagen(rate: 20000, seed: 5) {
        seq: long = sequence(0)
        price: long = random(1, 100)
        ts: timestamp = timestamp "2026-03-02T09:00:00Z" + 10ms * sequence(0)
        watermark ts - 100ms
    }
    stream best = events
        | map { seq, price, ts, closes: ts + 50ms }
        | keyBy seq
        | keep first by price desc until closes
    sink best -> blackhole
}
`;

interface SavepointSize { closedKeys: number; bytes: number }

const shared = clusterForFile(['--taskmanagers', '1', '--slots', '2'], 'flowline-keep-until-state-');

test('the keep ... until operator\'s state in a savepoint does not grow with the number of keys it closed', { timeout: 300_000 }, async () => {
    const file = path.join(shared.temp, 'closing.flow');
    writeFileSync(file, PIPELINE);
    const running = runCli(['run', file, '--cluster', shared.cluster.hello.url, '--token', shared.cluster.hello.token]);
    const started = await shared.push.waitFor((m: PushMessage) => m.type === 'job-status' && m.status === 'RUNNING');
    const jid = started.jid;
    const keepVertex = async () => (await shared.cluster.api<JobDetails>('GET', `/jobs/${jid}`)).body.vertices.find((v) => v.name.includes('keep'))!;

    /** Waits until the keep operator has emitted (closed) `keys` keys, then takes a savepoint; its size for that vertex. */
    async function savepointAfter(keys: number): Promise<SavepointSize> {
        let closed: number;
        while ((closed = (await keepVertex()).metrics['write-records']) < keys) await new Promise((resolve) => setTimeout(resolve, 50));
        const trigger = await shared.cluster.api<{ 'request-id': string }>('POST', `/jobs/${jid}/savepoints`, { 'target-directory': path.join(shared.temp, 'savepoints'), 'cancel-job': false });
        assert.equal(trigger.status, 202);
        let status: { status: { id: string }; operation?: { location?: string } };
        do {
            await new Promise((resolve) => setTimeout(resolve, 50));
            status = (await shared.cluster.api<typeof status>('GET', `/jobs/${jid}/savepoints/${trigger.body['request-id']}`)).body;
        } while (status.status.id === 'IN_PROGRESS');
        const stats = (await shared.cluster.api<{ history: { is_savepoint: boolean; status: string; external_path?: string; tasks: Record<string, { state_size: number }> }[] }>('GET', `/jobs/${jid}/checkpoints`)).body;
        const entry = stats.history.find((h) => h.is_savepoint && h.external_path === status.operation?.location);
        assert.ok(entry, `the savepoint ${status.operation?.location} is in the checkpoint history`);
        return { closedKeys: closed, bytes: entry.tasks[(await keepVertex()).id].state_size };
    }

    const early = await savepointAfter(2_000);
    const late = await savepointAfter(40_000);
    const cancel = await shared.cluster.api('PATCH', `/jobs/${jid}?mode=cancel`);
    assert.equal(cancel.status, 202);
    await running;
    const closedBetween = late.closedKeys - early.closedKeys;
    // (the counts are the REST metrics' at the trigger, refreshed periodically: roughly the keys closed)
    assert.ok(closedBetween >= 20_000, `${closedBetween} keys closed between the savepoints`);
    console.log(`keep state ${early.bytes} bytes after ${early.closedKeys} keys closed, ${late.bytes} bytes after ${late.closedKeys}`);
    // The open keys' rows (a source batch or so) make up the state either time; one byte per key
    // closed in between would be the state of closed keys, which a dropped key leaves none of.
    assert.ok(late.bytes - early.bytes < closedBetween,
        `keep state ${early.bytes} bytes after ${early.closedKeys} keys closed, ${late.bytes} bytes after ${late.closedKeys}`);
});

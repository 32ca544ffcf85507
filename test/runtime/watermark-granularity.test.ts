/**
 * What docs/language.md says about watermark granularity, through `flowline run`: a source
 * advances its watermark once per batch it emits (1024 records for files), after the batch's
 * records, so lateness is decided per batch: an out-of-order record is late only when an earlier
 * batch already carried a timestamp past it (by more than the delay), never within one batch.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/run-cli.js';

const FILE_BATCH = 1024;
const iso = (ms: number): string => new Date(ms).toISOString();

test('watermarks advance per source batch: out of order within a batch is on time, behind an earlier batch it is late', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowline-watermarks-'));
    // Batch 1: ts 10 s, then ts 1 s (9 s behind, delay 0), then more at 10 s; batch 2 starts with ts 2 s.
    const rows = [{ id: 1, ts: iso(10_000) }, { id: 2, ts: iso(1_000) }];
    for (let id = 3; id <= FILE_BATCH; id++) rows.push({ id, ts: iso(10_000) });
    rows.push({ id: FILE_BATCH + 1, ts: iso(2_000) });
    writeFileSync(path.join(dir, 'events.jsonl'), rows.map((r) => JSON.stringify({ ...r, k: 'a' })).join('\n') + '\n');
    writeFileSync(path.join(dir, 'late.flow'), `pipeline Lateness {
    mode streaming
    parallelism 1
    source events: { id: long, k: string, ts: timestamp } = jsonl("events.jsonl") {
        watermark ts
    }
    stream perSecond = events
        | keyBy k
        | window tumbling 1s on ts
        | aggregate { k, start: window.start, n: count() }
    sink perSecond -> print
    sink perSecond.late -> print
}
`);
    const result = await runCli(['run', path.join(dir, 'late.flow')]);
    assert.equal(result.code, 0, result.stderr);
    const printed = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(printed.filter((r) => 'n' in r), [
        { k: 'a', start: iso(1_000), n: 1 }, // record 2: 9 s out of order, but in the batch that moved the watermark
        { k: 'a', start: iso(10_000), n: FILE_BATCH - 1 }
    ]);
    assert.deepEqual(printed.filter((r) => 'id' in r), [{ id: FILE_BATCH + 1, k: 'a', ts: iso(2_000) }], 'only the record behind an earlier batch is late');
});

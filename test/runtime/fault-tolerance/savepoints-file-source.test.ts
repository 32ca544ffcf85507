/**
 * Rescaling a csv source (issue 12): its state is one position per split (a byte range of the
 * file at the old parallelism), and a restore at another parallelism deals the splits, with
 * their positions, to the new subtasks. A keyed windowed pipeline reading a generated csv file at
 * p=2 fails for good (`restart none`) partway; its last completed checkpoint (a retained
 * checkpoint restores like a savepoint) is resumed at p=1 and at p=4 with `flowline run
 * --from-savepoint`: what the failed job committed plus what the resumed job wrote equals an
 * uninterrupted run's output, so no record was read twice or skipped, whichever subtask reads
 * which split.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deserialize } from 'node:v8';
import type { CheckpointMetadata, SourceReadPosition, SubtaskStateFile } from '../../../protocol/checkpoints.js';
import { runCli } from '../../support/run-cli.js';

const RECORDS = 120_000;
const FAIL_AT = 90_000;

function lines(file: string): string[] {
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : [];
}

/** The input: a seeded csv file of RECORDS events, ten milliseconds apart. */
function writeEvents(file: string): void {
    let seed = 7;
    const next = (n: number): number => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed % n;
    };
    const rows = ['seq,k,v,ts'];
    const start = Date.parse('2026-03-02T09:00:00Z');
    for (let i = 0; i < RECORDS; i++) rows.push(`${i},${next(40)},${1 + next(100)},${new Date(start + 10 * i).toISOString()}`);
    writeFileSync(file, `${rows.join('\n')}\n`);
}

function pipeline(events: string): string {
    return `schema Event {
    seq: long
    k: long
    v: long
    ts: timestamp
}

pipeline FileSplits {
    mode streaming
    parallelism 2
    checkpoint every 20ms
    restart none

    source events: Event = csv(${JSON.stringify(events)}, header: true) { watermark ts - 1s }

    stream checked = events
        | filter fn("gate.mjs", "pass")

    stream perKey = checked
        | keyBy k
        | window tumbling 5s on ts
        | aggregate { k, windowEnd: window.end, n: count(), total: sum(v), last: max(seq) }

    sink perKey -> jsonl("out/per-key.jsonl")
}
`;
}

describe('a csv source restored at another parallelism reads each split on from its position', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'flowline-file-splits-'));
    const events = path.join(root, 'events.csv');
    let expected: string[];
    let checkpoint: string;
    let committedBefore: string[];

    function pipelineIn(name: string, failAt?: number): string {
        const dir = path.join(root, name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, 'pipeline.flow'), pipeline(events));
        writeFileSync(path.join(dir, 'gate.mjs'), failAt === undefined
            ? 'export function pass() { return true; }\n'
            : `export function pass(row) { if (row.seq === ${failAt}) throw new Error('the planned failure'); return true; }\n`);
        return path.join(dir, 'pipeline.flow');
    }

    before(async () => {
        writeEvents(events);
        const whole = pipelineIn('uninterrupted');
        const run = await runCli(['run', whole, '--taskmanagers', '1', '--slots', '4']);
        assert.equal(run.code, 0, run.stderr);
        expected = lines(path.join(root, 'uninterrupted', 'out', 'per-key.jsonl')).sort();

        const failing = pipelineIn('failed', FAIL_AT);
        const failed = await runCli(['run', failing, '--taskmanagers', '1', '--slots', '4', '--checkpoint-dir', path.join(root, 'checkpoints')]);
        assert.equal(failed.code, 1, failed.stderr);
        const [jobFolder] = readdirSync(path.join(root, 'checkpoints'));
        const completed = readdirSync(path.join(root, 'checkpoints', jobFolder)).filter((n) => /^chk-\d+$/.test(n));
        assert.equal(completed.length, 1, 'the failed job retained its last completed checkpoint');
        checkpoint = path.join(root, 'checkpoints', jobFolder, completed[0]);
        committedBefore = lines(path.join(root, 'failed', 'out', 'per-key.jsonl'));
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    test('the checkpoint holds one byte position per split, inside the file', () => {
        const metadata = JSON.parse(readFileSync(path.join(checkpoint, '_metadata'), 'utf8')) as CheckpointMetadata;
        const source = metadata.operators.find((o) => o.uid === 'source/events')!;
        const size = readFileSync(events).length;
        const positions = source.subtasks.map((s) => (deserialize(readFileSync(path.join(checkpoint, s.file))) as SubtaskStateFile).operatorState as SourceReadPosition);
        assert.equal(positions.length, 2);
        assert.ok(positions.some((p) => p.file !== undefined && p.file.offset > 0 && p.file.offset < size), JSON.stringify(positions));
        assert.ok(committedBefore.length < expected.length, `${committedBefore.length} of ${expected.length}`);
    });

    for (const parallelism of [1, 4]) {
        test(`resumed at p=${parallelism}, the failed job's committed output and the resumed job's equal the uninterrupted run's`, async () => {
            const resumed = pipelineIn(`resumed-p${parallelism}`);
            const run = await runCli(['run', resumed, '--taskmanagers', '1', '--slots', '4', '--from-savepoint', checkpoint, '--parallelism', String(parallelism)]);
            assert.equal(run.code, 0, run.stderr);
            assert.deepEqual([...committedBefore, ...lines(path.join(root, `resumed-p${parallelism}`, 'out', 'per-key.jsonl'))].sort(), expected);
        });
    }
});

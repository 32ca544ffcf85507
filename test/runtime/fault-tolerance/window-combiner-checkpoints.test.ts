/**
 * The window combiner in checkpointed jobs (operators/window-combiner.ts, createCombiner in
 * operators/aggregate-combiner.ts), through the CLI and the REST API of a real cluster process:
 * a keyed event-time window aggregation over out-of-order input with late records, checkpointed,
 * is stopped with a savepoint and resumed, or killed by a user function that throws once and
 * restarted from its latest checkpoint, at generated points. Its output must equal, as a multiset
 * of records, the run never interrupted (combiner on) and the run with FLOWLINE_COMBINER=off.
 *
 * The source runs at parallelism 1 and the aggregate at 1 or 2, so each window subtask has one
 * input channel: which records are late is then decided by the source's watermarks alone, the
 * same in every run, and a multiset comparison is exact even with late records.
 *
 * CI runs four cases; FLOWLINE_COMBINER_CHECKPOINT_RUNS=n runs n seeded ones.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { PushMessage } from '../../../protocol/cluster-api.js';
import { seededRandom } from '../../../scripts/seeded-random.js';
import { runCli } from '../../support/run-cli.js';
import { clusterForFile, waitForJobEnd } from '../cluster-harness.js';

type Interruption = 'stop-with-savepoint' | 'udf-throws';
interface Case { seed: number; parallelism: 1 | 2; window: string; interruption: Interruption; afterMs: number; atRecord: number }

const RECORDS = 8000;
const WINDOWS = ['tumbling 1s', 'sliding 2s every 500ms'];

function caseFor(seed: number): Case {
    const next = seededRandom(seed);
    return {
        seed,
        parallelism: next() < 0.5 ? 1 : 2,
        window: WINDOWS[Math.floor(next() * WINDOWS.length)],
        interruption: next() < 0.5 ? 'stop-with-savepoint' : 'udf-throws',
        afterMs: 150 + Math.floor(next() * 700),
        atRecord: 500 + Math.floor(next() * (RECORDS - 1000))
    };
}

function cases(): Case[] {
    const n = Number(process.env.FLOWLINE_COMBINER_CHECKPOINT_RUNS ?? 0);
    if (n > 0) return Array.from({ length: n }, (_, i) => caseFor(2000 + i));
    // CI: both parallelisms, both windows, both interruptions.
    return [
        { ...caseFor(1), parallelism: 1, window: WINDOWS[0], interruption: 'stop-with-savepoint' },
        { ...caseFor(2), parallelism: 2, window: WINDOWS[1], interruption: 'stop-with-savepoint' },
        { ...caseFor(3), parallelism: 1, window: WINDOWS[1], interruption: 'udf-throws' },
        { ...caseFor(4), parallelism: 2, window: WINDOWS[0], interruption: 'udf-throws' }
    ];
}

/** The pipeline of a case: 4 % of the records set back 5 s (late), the others up to 700 ms (within the watermark's delay). */
function pipeline(c: Case): string {
    return `pipeline CombinedWindows {
    mode streaming
    parallelism 1
    checkpoint every 100ms
    restart fixed 3 delay 50ms

    source events = datagen(count: ${RECORDS}, rate: 8000, seed: ${c.seed}) {
        seq: long = sequence(0)
        k: long = random(0, 19)
        v: long = random(1, 100)
        ts: timestamp = timestamp "2026-03-02T09:00:00Z" + 2ms * sequence(0) - (if random(0, 99) < 4 then 5s else 1ms * random(0, 700))
        watermark ts - 1s
    }

    stream checked = events
        | filter fn("chaos.mjs", "pass")

    stream perKey = checked
        | keyBy k
        | window ${c.window} on ts
        | aggregate { k, start: window.start, end: window.end, n: count(), total: sum(v), lo: min(seq), hi: max(seq) }
        | parallelism ${c.parallelism}

    sink perKey -> jsonl("out/per-key.jsonl")
}
`;
}

/** The user function: passes every record; throws once (a marker file remembers it) at `atRecord` when given. */
function chaos(atRecord?: number): string {
    if (atRecord === undefined) return 'export function pass() { return true; }\n';
    return [
        "import { existsSync, writeFileSync } from 'node:fs';",
        "const marker = new URL('./failed.marker', import.meta.url);",
        'export function pass(row) {',
        `    if (row.seq === ${atRecord} && !existsSync(marker)) {`,
        "        writeFileSync(marker, 'thrown');",
        "        throw new Error('planned failure');",
        '    }',
        '    return true;',
        '}',
        ''
    ].join('\n');
}

function lines(file: string): string[] {
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

describe('the window combiner in checkpointed jobs: stopped and resumed, or killed and restarted, at generated points over late and out-of-order input', () => {
    const shared = clusterForFile(['--taskmanagers', '2', '--slots', '2'], 'flowline-combiner-checkpoints-');

    /** A folder with the case's pipeline and user function; its output file. */
    function folder(c: Case, name: string, atRecord?: number): { file: string; out: string } {
        const dir = path.join(shared.temp, `seed-${c.seed}`, name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, 'chaos.mjs'), chaos(atRecord));
        writeFileSync(path.join(dir, 'windows.flow'), pipeline(c));
        return { file: path.join(dir, 'windows.flow'), out: path.join(dir, 'out', 'per-key.jsonl') };
    }

    function cli(args: string[]): ReturnType<typeof runCli> {
        return runCli([...args, '--cluster', shared.cluster.hello.url, '--token', shared.cluster.hello.token]);
    }

    for (const c of cases()) {
        const at = c.interruption === 'stop-with-savepoint' ? `stopped after ${c.afterMs} ms and resumed` : `killed at record ${c.atRecord} and restarted`;
        test(`seed ${c.seed}: window ${c.window} at p=${c.parallelism}, ${at}: the output equals the uninterrupted run's and the run's without the combiner`, async () => {
            const whole = folder(c, 'uninterrupted');
            const run = await cli(['run', whole.file]);
            assert.equal(run.code, 0, run.stderr);
            const expected = lines(whole.out).sort();
            const off = folder(c, 'combiner-off');
            const reference = await runCli(['run', off.file], { env: { FLOWLINE_COMBINER: 'off' } });
            assert.equal(reference.code, 0, reference.stderr);
            assert.deepEqual(expected, lines(off.out).sort(), 'with and without the combiner');
            assert.match(reference.stdout + reference.stderr, /late records dropped: [1-9]/, 'the generated input has late records');

            let got: string[];
            if (c.interruption === 'stop-with-savepoint') {
                const stopped = folder(c, 'stopped');
                const known = new Set(shared.push.messages.map((m) => m.jid));
                const running = cli(['run', stopped.file]);
                const started = await shared.push.waitFor((m: PushMessage) => m.type === 'job-status' && m.status === 'RUNNING' && !known.has(m.jid));
                await new Promise((resolve) => setTimeout(resolve, c.afterMs));
                const stop = await cli(['stop', started.jid!, '--savepoint', path.join(shared.temp, `seed-${c.seed}`, 'savepoints')]);
                assert.equal((await running).code, 0);
                if (stop.code !== 0) {
                    // The job ended before the savepoint was taken: nothing to resume, its output is whole.
                    assert.equal(await waitForJobEnd(shared.push, started.jid!), 'FINISHED', stop.stderr);
                    got = lines(stopped.out);
                } else {
                    const resumed = folder(c, 'resumed');
                    const resume = await cli(['run', resumed.file, '--from-savepoint', stop.stdout.trim()]);
                    assert.equal(resume.code, 0, resume.stderr);
                    got = [...lines(stopped.out), ...lines(resumed.out)];
                }
            } else {
                const killed = folder(c, 'killed', c.atRecord);
                const restarted = await cli(['run', killed.file]);
                assert.equal(restarted.code, 0, restarted.stderr);
                assert.ok(existsSync(path.join(path.dirname(killed.file), 'failed.marker')), 'the user function threw');
                got = lines(killed.out);
            }
            assert.deepEqual(got.sort(), expected);
        });
    }
});

/**
 * The window combiner in checkpointed jobs and in the attempts restored from their checkpoints and
 * savepoints (operators/window-combiner.ts, checkpoint/restored-watermarks.ts), through the CLI
 * and the REST API of a real cluster process: a keyed event-time window aggregation over
 * out-of-order input with late records (some within the allowed lateness: late firings), its late
 * records to a `.late` sink, checkpointed, is stopped with a savepoint (drained or not) and
 * resumed, at the same or another parallelism, or killed by a user function that throws once and
 * restarted from its latest checkpoint, at generated points. The restored attempts combine too.
 * Its results and late records must equal, as multisets, the run never interrupted and the run
 * with FLOWLINE_COMBINER=off; a resumed run, the same run resumed from the same savepoint with
 * FLOWLINE_COMBINER=off.
 *
 * The source runs at parallelism 1. With one sending subtask (the filter before the keyBy) each
 * window subtask has one input channel: which records are late is then decided by the source's
 * watermarks alone, the same in every run, and a multiset comparison is exact even with late
 * records. With two senders the receivers' watermark is the lower of two channels', which depends
 * on timing: those cases generate no record behind the watermark (every one is on time at any
 * receiver), and change the senders' parallelism on resume.
 *
 * CI runs the cases below; FLOWLINE_COMBINER_CHECKPOINT_RUNS=n runs n seeded ones.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { CheckpointMetadata } from '../../../protocol/checkpoints.js';
import type { PushMessage } from '../../../protocol/cluster-api.js';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import { seededRandom } from '../../../scripts/seeded-random.js';
import { runCli } from '../../support/run-cli.js';
import { clusterForFile, waitForJobEnd } from '../cluster-harness.js';

type Interruption = 'stop-with-savepoint' | 'stop-with-drain' | 'udf-throws';
/** Parallelism of the senders (the filter before the keyBy) and of the window aggregate. */
interface Shape { senders: 1 | 2; windows: 1 | 2 }
interface Case {
    seed: number; window: string; allowedLatenessMs: number; interruption: Interruption;
    /** The first run's shape, and the resumed run's (a savepoint may be restored at other parallelisms). */
    first: Shape; resumed: Shape;
    afterMs: number; atRecord: number;
}

const RECORDS = 8000;
const WINDOWS = ['tumbling 1s', 'sliding 2s every 500ms', 'cumulate 2s every 500ms'];

function caseFor(seed: number): Case {
    const next = seededRandom(seed);
    const shape = (): Shape => ({ senders: next() < 0.7 ? 1 : 2, windows: next() < 0.5 ? 1 : 2 });
    const interruption = (['stop-with-savepoint', 'stop-with-drain', 'udf-throws'] as const)[Math.floor(next() * 3)];
    const first = shape();
    const resumed = interruption === 'udf-throws' ? first : shape();
    return {
        seed, first, resumed, interruption,
        window: WINDOWS[Math.floor(next() * WINDOWS.length)],
        allowedLatenessMs: next() < 0.5 ? 0 : 1500,
        afterMs: 100 + Math.floor(next() * 600),
        atRecord: 500 + Math.floor(next() * (RECORDS - 1000))
    };
}

function cases(): Case[] {
    const n = Number(process.env.FLOWLINE_COMBINER_CHECKPOINT_RUNS ?? 0);
    if (n > 0) return Array.from({ length: n }, (_, i) => caseFor(2000 + i));
    const one = (windows: 1 | 2): Shape => ({ senders: 1, windows });
    const two = (windows: 1 | 2): Shape => ({ senders: 2, windows });
    // CI: both parallelisms, rescaled 1->2 and 2->1 (windows and senders), every window kind,
    // allowed lateness, the three interruptions.
    return [
        { ...caseFor(1), window: WINDOWS[0], allowedLatenessMs: 0, interruption: 'stop-with-savepoint', first: one(1), resumed: one(1) },
        { ...caseFor(2), window: WINDOWS[1], allowedLatenessMs: 1500, interruption: 'stop-with-savepoint', first: one(2), resumed: one(2) },
        { ...caseFor(3), window: WINDOWS[1], allowedLatenessMs: 0, interruption: 'udf-throws', first: one(1), resumed: one(1) },
        { ...caseFor(4), window: WINDOWS[0], allowedLatenessMs: 1500, interruption: 'udf-throws', first: one(2), resumed: one(2) },
        { ...caseFor(5), window: WINDOWS[2], allowedLatenessMs: 1500, interruption: 'stop-with-savepoint', first: one(2), resumed: one(1) },
        { ...caseFor(6), window: WINDOWS[0], allowedLatenessMs: 0, interruption: 'stop-with-savepoint', first: one(1), resumed: one(2) },
        { ...caseFor(7), window: WINDOWS[2], allowedLatenessMs: 0, interruption: 'stop-with-drain', first: one(2), resumed: one(1) },
        { ...caseFor(8), window: WINDOWS[1], allowedLatenessMs: 0, interruption: 'stop-with-savepoint', first: two(2), resumed: one(1) },
        { ...caseFor(9), window: WINDOWS[2], allowedLatenessMs: 1500, interruption: 'stop-with-savepoint', first: one(1), resumed: two(2) }
    ];
}

/** Late records only when every run of the case has one sender (see the file comment). */
function hasLateInput(c: Case): boolean {
    return c.first.senders === 1 && c.resumed.senders === 1;
}

/**
 * The pipeline of a case. With late input 3 % of the records are set back 5 s (late, dropped to
 * `.late`), 3 % 1-2.5 s (behind the watermark's 1 s delay: late, some within the allowed lateness),
 * the others up to 700 ms (within the delay); without, only the last.
 */
function pipeline(c: Case, shape: Shape): string {
    const late = hasLateInput(c) ? 3 : 0;
    // first and last follow the order records arrive in: the same in every run with one sender only.
    const firstLast = hasLateInput(c) ? ', f: first(seq), l: last(seq)' : '';
    return `pipeline CombinedWindows {
    mode streaming
    parallelism 1
    checkpoint every 100ms
    restart fixed 3 delay 50ms

    source events = datagen(count: ${RECORDS}, rate: 8000, seed: ${c.seed}) {
        seq: long = sequence(0)
        k: long = random(0, 19)
        v: long = random(1, 100)
        ts: timestamp = timestamp "2026-03-02T09:00:00Z" + 2ms * sequence(0) - (if random(0, 99) < ${late} then 5s else if random(0, 99) < ${late * 2} then 1ms * random(1000, 2500) else 1ms * random(0, 700))
        watermark ts - 1s
    }

    stream checked = events
        | filter fn("chaos.mjs", "pass")
        | parallelism ${shape.senders}

    stream perKey = checked
        | keyBy k
        | window ${c.window} on ts
        | aggregate { k, start: window.start, end: window.end, n: count(), total: sum(v), lo: min(seq), hi: max(seq)${firstLast} }
        | parallelism ${shape.windows}

    sink perKey -> jsonl("out/per-key.jsonl")
    sink perKey.late -> jsonl("out/late.jsonl")
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

/** What a run wrote: window results and late records. */
interface Output { results: string[]; late: string[] }

function sorted(parts: Output[]): Output {
    return { results: parts.flatMap((p) => p.results).sort(), late: parts.flatMap((p) => p.late).sort() };
}

describe('the window combiner in checkpointed jobs and in the attempts restored from them: stopped and resumed (drained, rescaled), or killed and restarted, at generated points over late and out-of-order input', () => {
    const shared = clusterForFile(['--taskmanagers', '2', '--slots', '2'], 'flowline-combiner-checkpoints-');

    /**
     * A folder with the case's pipeline (of `shape`) and user function; the file to run: the
     * pipeline's graph as JSON with the allowed lateness set on its window (the language has no
     * syntax for it), else the .flow file.
     */
    async function folder(c: Case, name: string, shape: Shape, atRecord?: number): Promise<{ file: string; output(): Output }> {
        const dir = path.join(shared.temp, `seed-${c.seed}`, name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, 'chaos.mjs'), chaos(atRecord));
        const flow = path.join(dir, 'windows.flow');
        writeFileSync(flow, pipeline(c, shape));
        const output = (): Output => ({ results: lines(path.join(dir, 'out', 'per-key.jsonl')), late: lines(path.join(dir, 'out', 'late.jsonl')) });
        if (c.allowedLatenessMs === 0) return { file: flow, output };
        const graph = await runCli(['graph', flow, '--format', 'json']);
        assert.equal(graph.code, 0, graph.stderr);
        const parsed = JSON.parse(graph.stdout) as LogicalGraph;
        for (const node of parsed.nodes) if (node.config.kind === 'aggregate') node.config.allowedLatenessMs = c.allowedLatenessMs;
        const json = path.join(dir, 'windows.json');
        writeFileSync(json, JSON.stringify(parsed));
        return { file: json, output };
    }

    function cli(args: string[]): ReturnType<typeof runCli> {
        return runCli([...args, '--cluster', shared.cluster.hello.url, '--token', shared.cluster.hello.token]);
    }

    /** Runs in this process's own local cluster with FLOWLINE_COMBINER=off (the planner reads it when the job is submitted). */
    function withoutCombiner(args: string[]): ReturnType<typeof runCli> {
        return runCli(args, { env: { FLOWLINE_COMBINER: 'off' } });
    }

    for (const c of cases()) {
        const shape = (s: Shape): string => `${s.senders} sender${s.senders > 1 ? 's' : ''} and p=${s.windows}`;
        const rescaled = c.resumed.senders !== c.first.senders || c.resumed.windows !== c.first.windows ? ` at ${shape(c.resumed)}` : '';
        const at = c.interruption === 'udf-throws'
            ? `killed at record ${c.atRecord} and restarted`
            : `stopped${c.interruption === 'stop-with-drain' ? ' with --drain' : ''} after ${c.afterMs} ms and resumed${rescaled}`;
        const lateness = c.allowedLatenessMs > 0 ? `, ${c.allowedLatenessMs} ms allowed lateness` : '';
        test(`seed ${c.seed}: window ${c.window}${lateness}, ${shape(c.first)}, ${at}: results and late records equal the uninterrupted run's and the runs' without the combiner`, async () => {
            const whole = await folder(c, 'uninterrupted', c.first);
            const run = await cli(['run', whole.file]);
            assert.equal(run.code, 0, run.stderr);
            const expected = sorted([whole.output()]);
            const off = await folder(c, 'combiner-off', c.first);
            const reference = await withoutCombiner(['run', off.file]);
            assert.equal(reference.code, 0, reference.stderr);
            assert.deepEqual(expected, sorted([off.output()]), `with and without the combiner\n${run.stdout}${run.stderr}`);
            if (hasLateInput(c)) assert.ok(expected.late.length > 0, 'the generated input has late records');

            if (c.interruption === 'udf-throws') {
                const killed = await folder(c, 'killed', c.first, c.atRecord);
                const restarted = await cli(['run', killed.file]);
                assert.equal(restarted.code, 0, restarted.stderr);
                assert.ok(existsSync(path.join(path.dirname(killed.file), 'failed.marker')), 'the user function threw');
                assert.deepEqual(sorted([killed.output()]), expected);
                return;
            }
            const stopped = await folder(c, 'stopped', c.first);
            const known = new Set(shared.push.messages.map((m) => m.jid));
            const running = cli(['run', stopped.file]);
            const started = await shared.push.waitFor((m: PushMessage) => m.type === 'job-status' && m.status === 'RUNNING' && !known.has(m.jid));
            await new Promise((resolve) => setTimeout(resolve, c.afterMs));
            const drain = c.interruption === 'stop-with-drain' ? ['--drain'] : [];
            const stop = await cli(['stop', started.jid!, '--savepoint', path.join(shared.temp, `seed-${c.seed}`, 'savepoints'), ...drain]);
            assert.equal((await running).code, 0);
            if (stop.code !== 0) {
                // The job ended before the savepoint was taken: nothing to resume, its output is whole.
                assert.equal(await waitForJobEnd(shared.push, started.jid!), 'FINISHED', stop.stderr);
                assert.deepEqual(sorted([stopped.output()]), expected);
                return;
            }
            const savepoint = stop.stdout.trim();
            // The savepoint keeps each window subtask's watermark: what the resumed senders' combiners start from.
            const metadata = JSON.parse(readFileSync(path.join(savepoint, '_metadata'), 'utf8')) as CheckpointMetadata;
            const windowState = metadata.operators.find((o) => o.kind === 'aggregate')!;
            assert.equal(windowState.subtasks.length, c.first.windows);
            for (const s of windowState.subtasks) {
                if (c.interruption === 'stop-with-drain') assert.equal(s.watermark, 'Infinity');
                else assert.ok(typeof s.watermark === 'number' || s.watermark === '-Infinity', `subtask ${s.subtask}'s watermark ${String(s.watermark)}`);
            }
            const resumed = await folder(c, 'resumed', c.resumed);
            const resume = await cli(['run', resumed.file, '--from-savepoint', savepoint]);
            assert.equal(resume.code, 0, resume.stderr);
            const resumedOff = await folder(c, 'resumed-combiner-off', c.resumed);
            const resumeOff = await withoutCombiner(['run', resumedOff.file, '--from-savepoint', savepoint]);
            assert.equal(resumeOff.code, 0, resumeOff.stderr);
            assert.deepEqual(sorted([resumed.output()]), sorted([resumedOff.output()]), 'resumed from the same savepoint with and without the combiner');
            if (c.interruption === 'stop-with-drain') {
                // Drained: every window fired before the savepoint, so every record read after it is late.
                assert.equal(resumed.output().results.length, 0);
                assert.ok(resumed.output().late.length > 0, 'the resumed run read records, all late');
            } else {
                assert.deepEqual(sorted([stopped.output(), resumed.output()]), expected);
            }
        });
    }
});

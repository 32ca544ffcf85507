/**
 * Savepoints and rescaling (issue 12), through the CLI and the REST API of a real cluster
 * process: a keyed, windowed streaming pipeline with a file sink is stopped with a savepoint at
 * p=2 (`flowline stop --savepoint`), then resumed (`flowline run --from-savepoint`) at p=1, at
 * p=4 and after a stateless operator was added: what the stopped job committed plus what the
 * resumed job wrote must equal, as a multiset of records, the output of a run never stopped.
 * Savepoints that do not fit the pipeline, or are incomplete or corrupt, are refused with
 * messages that say why and name the operator.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CheckpointingStatistics, CheckpointMetadata } from '../../../protocol/checkpoints.js';
import type { JobDetails, PushMessage } from '../../../protocol/cluster-api.js';
import { runCli, type CliResult } from '../../support/run-cli.js';
import { FIXTURES, startCluster, waitForJobEnd, type PushClient, type RunningCluster } from '../cluster-harness.js';

const FIXTURE = path.join(FIXTURES, 'fault-tolerance', 'savepoints.flow');

function lines(file: string): string[] {
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

describe('savepoints: stop with a savepoint at p=2, resume at another parallelism or after adding a stateless operator', () => {
    let cluster: RunningCluster;
    let push: PushClient;
    const root = mkdtempSync(path.join(tmpdir(), 'flowline-savepoints-'));
    let expected: string[];
    let stoppedJob: string;
    let stop: CliResult;
    let savepoint: string;
    /** What the stopped job committed before its savepoint. */
    let committedBefore: string[];

    /** A copy of the fixture in a folder of its own (its output goes to `<folder>/out`), edited by `edit`. */
    function pipelineIn(name: string, edit: (text: string) => string = (t) => t): { dir: string; file: string } {
        const dir = path.join(root, name);
        mkdirSync(dir, { recursive: true });
        const file = path.join(dir, 'savepoints.flow');
        writeFileSync(file, edit(readFileSync(FIXTURE, 'utf8')));
        return { dir, file };
    }

    function cli(args: string[]): Promise<CliResult> {
        return runCli([...args, '--cluster', cluster.hello.url, '--token', cluster.hello.token]);
    }

    before(async () => {
        cluster = await startCluster(['--taskmanagers', '2', '--slots', '2']);
        push = await cluster.push();
        // The reference: a run never stopped.
        const whole = pipelineIn('uninterrupted');
        const run = await cli(['run', whole.file]);
        assert.equal(run.code, 0, run.stderr);
        expected = lines(path.join(whole.dir, 'out', 'per-key.jsonl')).sort();
        assert.ok(expected.length > 100);

        // The same pipeline, stopped with a savepoint while it runs.
        const stopped = pipelineIn('stopped');
        const known = new Set(push.messages.map((m) => m.jid));
        const running = cli(['run', stopped.file]);
        const started = await push.waitFor((m) => m.type === 'job-status' && m.status === 'RUNNING' && !known.has(m.jid));
        stoppedJob = started.jid;
        await new Promise((resolve) => setTimeout(resolve, 1200));
        stop = await runCli(['stop', stoppedJob, '--savepoint', path.join(root, 'savepoints'), '--cluster', cluster.hello.url, '--token', cluster.hello.token]);
        const ended = await running;
        assert.equal(ended.code, 0, ended.stderr);
        savepoint = stop.stdout.trim();
        committedBefore = lines(path.join(stopped.dir, 'out', 'per-key.jsonl'));
    });
    after(async () => {
        push?.close();
        await cluster?.stop();
        rmSync(root, { recursive: true, force: true });
    });

    test('stopping with a savepoint prints its folder and ends the job FINISHED, its output committed up to the savepoint', async () => {
        assert.equal(stop.code, 0, stop.stderr);
        assert.equal(path.dirname(savepoint), path.join(root, 'savepoints'));
        assert.match(path.basename(savepoint), new RegExp(`^savepoint-${stoppedJob.slice(0, 6)}-[0-9a-f]{12}$`));
        const metadata = JSON.parse(readFileSync(path.join(savepoint, '_metadata'), 'utf8')) as CheckpointMetadata;
        assert.equal(metadata.kind, 'savepoint');
        const aggregate = metadata.operators.find((o) => o.uid === 'perKey/aggregate');
        assert.deepEqual(aggregate?.keyTypes, ['long']);
        assert.deepEqual(aggregate?.subtasks.map((s) => s.keyGroups), [{ start: 0, end: 63 }, { start: 64, end: 127 }]);
        // Every state file is in the savepoint's own folder: it is self-contained.
        for (const op of metadata.operators) for (const s of op.subtasks) assert.ok(existsSync(path.join(savepoint, s.file)), s.file);

        const details = (await cluster.api<JobDetails>('GET', `/jobs/${stoppedJob}`)).body;
        assert.equal(details.state, 'FINISHED');
        const stats = (await cluster.api<CheckpointingStatistics>('GET', `/jobs/${stoppedJob}/checkpoints`)).body;
        assert.equal(stats.latest.savepoint?.checkpoint_type, 'SYNC_SAVEPOINT');
        assert.equal(stats.latest.savepoint?.external_path, savepoint);

        // Part of the output, each record of it a record of the whole run, once; no part file left.
        assert.ok(committedBefore.length > 0 && committedBefore.length < expected.length, `${committedBefore.length} of ${expected.length}`);
        const all = new Set(expected);
        assert.equal(new Set(committedBefore).size, committedBefore.length);
        for (const line of committedBefore) assert.ok(all.has(line), line);
        assert.deepEqual(readdirSync(path.join(root, 'stopped', 'out')), ['per-key.jsonl']);
    });

    for (const parallelism of [1, 4]) {
        test(`resumed at p=${parallelism}, the output of both jobs equals the uninterrupted run's (keyed state split by key group, source splits reassigned)`, async () => {
            const resumed = pipelineIn(`resumed-p${parallelism}`);
            const run = await cli(['run', resumed.file, '--from-savepoint', savepoint, '--parallelism', String(parallelism)]);
            assert.equal(run.code, 0, run.stderr);
            const after = lines(path.join(resumed.dir, 'out', 'per-key.jsonl'));
            assert.deepEqual([...committedBefore, ...after].sort(), expected);
        });
    }

    test('a pipeline with a stateless filter added before the keyBy resumes from the savepoint: operators are matched by uid, not by position', async () => {
        const edited = pipelineIn('filter-added', (t) => t.replace('stream perKey = events\n', 'stream perKey = events\n        | filter v > 0\n'));
        const graph = await runCli(['graph', edited.file]);
        assert.match(graph.stdout, /"Savepoints\/perKey\/3-aggregate"/, 'the filter shifted the aggregate\'s node id');
        const run = await cli(['run', edited.file, '--from-savepoint', savepoint]);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual([...committedBefore, ...lines(path.join(edited.dir, 'out', 'per-key.jsonl'))].sort(), expected);
    });

    test('a savepoint whose stateful operator the pipeline no longer has is refused, naming it, unless --allow-non-restored-state', async () => {
        const renamed = pipelineIn('operator-removed', (t) => t.replaceAll('perKey', 'totals'));
        const refused = await cli(['run', renamed.file, '--from-savepoint', savepoint]);
        assert.equal(refused.code, 1);
        assert.equal(refused.stderr.trim(),
            `flowline: Cannot restore from ${savepoint}: it holds state of operator 'perKey/aggregate' (aggregate, Savepoints/perKey/2-aggregate in the savepoint), ` +
            'which the pipeline no longer has. Run with --allow-non-restored-state (allowNonRestoredState=true) to start without that state.');
        const allowed = await cli(['run', renamed.file, '--from-savepoint', savepoint, '--allow-non-restored-state']);
        assert.equal(allowed.code, 0, allowed.stderr);
        // The sources went on from the savepoint; the aggregate started empty.
        assert.ok(lines(path.join(renamed.dir, 'out', 'per-key.jsonl')).length > 0);
    });

    test('a savepoint whose keyed operator is now keyed by another type is refused, naming the operator and both types', async () => {
        const stringKeys = pipelineIn('key-type-changed', (t) => t.replace('stream perKey = events\n', 'stream perKey = events\n        | map { seq, k: cast(k as string), v, ts }\n'));
        const refused = await cli(['run', stringKeys.file, '--from-savepoint', savepoint]);
        assert.equal(refused.code, 1, refused.stderr);
        assert.equal(refused.stderr.trim(),
            `flowline: Cannot restore from ${savepoint}: the key of operator 'perKey/aggregate' (aggregate, Savepoints/perKey/2-aggregate in the savepoint) changed type: ` +
            'its state is keyed by (long), the pipeline keys it by (string) now. Keyed state cannot be read under another key type.');
    });

    test('a savepoint whose window aggregate is now a session window is refused: the operators\' states have other shapes', async () => {
        const sessions = pipelineIn('window-changed', (t) => t.replace('window tumbling 5s on ts', 'window session gap 5s on ts'));
        const refused = await cli(['run', sessions.file, '--from-savepoint', savepoint]);
        assert.equal(refused.code, 1, refused.stderr);
        assert.equal(refused.stderr.trim(),
            `flowline: Cannot restore from ${savepoint}: operator 'perKey/aggregate' (aggregate, Savepoints/perKey/2-aggregate in the savepoint) kept the state of ` +
            "an operator 'aggregate' (tumbling); the pipeline has an operator 'aggregate' (session) there now (Savepoints/perKey/2-aggregate), whose state has another shape.");
    });

    test('an incomplete or corrupt savepoint folder is refused (REST 400) with a message saying what is missing or wrong', async () => {
        const printed = await runCli(['graph', pipelineIn('corrupt').file]);
        const graph = JSON.parse(printed.stdout) as unknown;
        const submit = async (folder: string): Promise<string> => {
            const answer = await cluster.api<{ errors: string[] }>('POST', `/jobs?savepointPath=${encodeURIComponent(folder)}`, graph);
            assert.equal(answer.status, 400, JSON.stringify(answer.body));
            return answer.body.errors[0];
        };
        const copy = (name: string): string => {
            const folder = path.join(root, 'broken', name);
            cpSync(savepoint, folder, { recursive: true });
            return folder;
        };
        const noMetadata = copy('no-metadata');
        rmSync(path.join(noMetadata, '_metadata'));
        assert.equal(await submit(noMetadata), `Cannot restore from ${noMetadata}: ${noMetadata} is not a completed checkpoint or savepoint: it has no _metadata file.`);

        const missing = copy('missing-state');
        rmSync(path.join(missing, 'Savepoints_perKey_2-aggregate-1.state'));
        assert.equal(await submit(missing),
            `Cannot restore from ${missing}: it is incomplete: the state file Savepoints_perKey_2-aggregate-1.state of operator Savepoints/perKey/2-aggregate (subtask 2) is missing.`);

        const truncated = copy('truncated-state');
        const size = readFileSync(path.join(truncated, 'Savepoints_source_events-0.state')).length;
        truncateSync(path.join(truncated, 'Savepoints_source_events-0.state'), 10);
        assert.equal(await submit(truncated),
            `Cannot restore from ${truncated}: it is corrupt: the state file Savepoints_source_events-0.state of operator Savepoints/source/events has 10 bytes, _metadata says ${size}.`);

        const garbled = copy('garbled-metadata');
        writeFileSync(path.join(garbled, '_metadata'), '{"formatVersion": 1, "operators": ');
        assert.match(await submit(garbled), new RegExp(`^Cannot restore from ${garbled}: ${garbled}/_metadata is corrupt: not valid JSON`));
    });

    test('a savepoint of a running job (POST /jobs/:jid/savepoints) leaves it running; its trigger answers in Flink\'s shape', async () => {
        const dir = pipelineIn('intermediate');
        const known = new Set(push.messages.map((m) => m.jid));
        const running = cli(['run', dir.file]);
        const started = await push.waitFor((m: PushMessage) => m.type === 'job-status' && m.status === 'RUNNING' && !known.has(m.jid));
        await new Promise((resolve) => setTimeout(resolve, 500));
        const trigger = await cluster.api<{ 'request-id': string }>('POST', `/jobs/${started.jid}/savepoints`, { 'target-directory': path.join(root, 'intermediate-savepoints'), 'cancel-job': false });
        assert.equal(trigger.status, 202);
        let status: { status: { id: string }; operation?: { location?: string } };
        do {
            await new Promise((resolve) => setTimeout(resolve, 100));
            status = (await cluster.api<typeof status>('GET', `/jobs/${started.jid}/savepoints/${trigger.body['request-id']}`)).body;
        } while (status.status.id === 'IN_PROGRESS');
        assert.ok(status.operation?.location && existsSync(path.join(status.operation.location, '_metadata')), JSON.stringify(status));
        // The job went on to its end, with the whole output.
        assert.equal(await waitForJobEnd(push, started.jid), 'FINISHED');
        assert.equal((await running).code, 0);
        assert.deepEqual(lines(path.join(dir.dir, 'out', 'per-key.jsonl')).sort(), expected);
    });

    test('stopping with --drain first ends event time: every window fires, so the committed counts add up to every record the source read; without it, records still in open windows are in the savepoint, not the output', async () => {
        /** Stops a fresh run of the fixture with a savepoint; its committed total of `n` and the records its source read. */
        async function stopRun(name: string, extra: string[]): Promise<{ counted: number; read: number }> {
            const dir = pipelineIn(name);
            const known = new Set(push.messages.map((m) => m.jid));
            const running = cli(['run', dir.file]);
            const started = await push.waitFor((m: PushMessage) => m.type === 'job-status' && m.status === 'RUNNING' && !known.has(m.jid));
            await new Promise((resolve) => setTimeout(resolve, 800));
            const stopped = await cli(['stop', started.jid, '--savepoint', path.join(root, `${name}-savepoints`), ...extra]);
            assert.equal(stopped.code, 0, stopped.stderr);
            assert.equal((await running).code, 0);
            const details = (await cluster.api<JobDetails>('GET', `/jobs/${started.jid}`)).body;
            const read = details.vertices.find((v) => v.name.includes('events'))!.metrics['write-records'];
            const counted = lines(path.join(dir.dir, 'out', 'per-key.jsonl')).reduce((sum, line) => sum + (JSON.parse(line) as { n: number }).n, 0);
            return { counted, read };
        }
        const drained = await stopRun('drained', ['--drain']);
        assert.ok(drained.read > 0 && drained.read < 16000, `read ${drained.read} of 16000 before the savepoint`);
        assert.equal(drained.counted, drained.read, 'with --drain every record read is in a fired window');
        const kept = await stopRun('not-drained', []);
        assert.ok(kept.counted < kept.read, `without --drain the open windows' records stay in the savepoint (${kept.counted} counted of ${kept.read} read)`);
    });
});

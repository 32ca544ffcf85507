/**
 * A restore that fails in the task (issue 12): the savepoint passed the submit-time check (its
 * files are all there, of the sizes `_metadata` lists), but a state file cannot be deserialised or
 * holds a shape the operator cannot read. Through the CLI and the REST API of a real cluster:
 *
 * - from `--from-savepoint`: the job ends FAILED at its first attempt (not RESTARTING for ever),
 *   the message naming the operator (uid, name, .flow line) and the savepoint;
 * - from the job's own checkpoint (a restart after a failure): the restart strategy counts it
 *   (`restart fixed 1` fails the job at once), and the default strategy, which restarts without
 *   limit, ends the job after the checkpoint failed to restore twice.
 */
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { serialize } from 'node:v8';
import { after, before, describe, test } from 'node:test';
import type { CheckpointMetadata } from '../../../protocol/checkpoints.js';
import type { JobDetails, JobExceptions } from '../../../protocol/cluster-api.js';
import { runCli, type CliResult } from '../../support/run-cli.js';
import { FIXTURES, startCluster, type RunningCluster } from '../cluster-harness.js';

const FIXTURE_DIR = path.join(FIXTURES, 'fault-tolerance');
const AGGREGATE_FILE = 'RestoreFailure_perKey_2-aggregate-0.state';
/** The aggregate as the messages name it: uid, name, where it is written (`file`, line 23 unless the header grew), node id. */
function aggregateIn(file: string, line = 23): string {
    return `'perKey/aggregate' (window tumbling aggregate at ${file}:${line}:11, node RestoreFailure/perKey/2-aggregate)`;
}
/** Far beyond what a failing job takes (about a second per restart); a job restarting for ever never ends. */
const BOUND_MS = 30_000;

/**
 * The user function of the own-checkpoint runs: at record 1500 (after a few checkpoints) it blocks
 * the TaskManager thread, so no checkpoint completes, until the test damaged the latest one and
 * wrote `go`; then it throws, once.
 */
const DAMAGING_CHAOS = `import { existsSync, writeFileSync } from 'node:fs';
const here = (name) => new URL('./' + name, import.meta.url);
export function pass(row) {
    if (row.seq === 1500 && !existsSync(here('failed.marker'))) {
        writeFileSync(here('failed.marker'), 'thrown');
        writeFileSync(here('waiting'), '');
        const sleeper = new Int32Array(new SharedArrayBuffer(4));
        while (!existsSync(here('go'))) Atomics.wait(sleeper, 0, 0, 10);
        throw new Error('planned failure after its checkpoint was damaged');
    }
    return true;
}
`;

/** Overwrites a file's bytes after its v8 header with 0xff, keeping its size: it passes the submit-time size check but cannot be read. */
function garble(file: string): void {
    const bytes = readFileSync(file);
    bytes.fill(0xff, 2);
    writeFileSync(file, bytes);
}

describe('a restore that fails in the task ends the job with a message naming the operator', () => {
    let cluster: RunningCluster;
    const root = mkdtempSync(path.join(tmpdir(), 'flowline-restore-failure-'));
    /** A completed checkpoint of an earlier run, used as the savepoint to start from. */
    let savepoint: string;

    function pipelineIn(name: string, chaos?: string, edit: (text: string) => string = (t) => t): { dir: string; file: string } {
        const dir = path.join(root, name);
        mkdirSync(dir, { recursive: true });
        const file = path.join(dir, 'restore-failure.flow');
        writeFileSync(file, edit(readFileSync(path.join(FIXTURE_DIR, 'restore-failure.flow'), 'utf8')));
        if (chaos) writeFileSync(path.join(dir, 'chaos.mjs'), chaos);
        else copyFileSync(path.join(FIXTURE_DIR, 'chaos.mjs'), path.join(dir, 'chaos.mjs'));
        return { dir, file };
    }

    /** Runs `flowline run` on the cluster; resolves with its result, the job's id and how long it took. */
    async function runOnCluster(args: string[], whileRunning?: () => Promise<void>): Promise<{ result: CliResult; jobId: string; ms: number }> {
        const jobs = async (): Promise<string[]> => (await cluster.api<{ jobs: { id: string }[] }>('GET', '/jobs')).body.jobs.map((j) => j.id);
        const known = new Set(await jobs());
        const started = Date.now();
        const running = runCli(['run', ...args, '--cluster', cluster.hello.url, '--token', cluster.hello.token]);
        await whileRunning?.();
        const result = await running;
        const ms = Date.now() - started;
        const jobId = (await jobs()).find((id) => !known.has(id));
        assert.ok(jobId, result.stderr);
        return { result, jobId, ms };
    }

    async function exceptionsOf(jobId: string): Promise<JobExceptions> {
        return (await cluster.api<JobExceptions>('GET', `/jobs/${jobId}/exceptions`)).body;
    }

    before(async () => {
        cluster = await startCluster(['--taskmanagers', '1', '--slots', '2']);
        // The savepoint: the last checkpoint of a run to its end (checkpoints stay after the job).
        const first = pipelineIn('first');
        const run = await runCli(['run', first.file, '--checkpoint-dir', path.join(first.dir, 'checkpoints')]);
        assert.equal(run.code, 0, run.stderr);
        const [jobFolder] = readdirSync(path.join(first.dir, 'checkpoints'));
        const [checkpoint] = readdirSync(path.join(first.dir, 'checkpoints', jobFolder)).filter((f) => f.startsWith('chk-'));
        savepoint = path.join(first.dir, 'checkpoints', jobFolder, checkpoint);
        assert.ok(existsSync(path.join(savepoint, AGGREGATE_FILE)));
    });
    after(async () => {
        await cluster?.stop();
        rmSync(root, { recursive: true, force: true });
    });

    /** A copy of the savepoint whose aggregate state `damage` changed. */
    function damagedSavepoint(name: string, damage: (folder: string) => void): string {
        const folder = path.join(root, 'savepoints', name);
        cpSync(savepoint, folder, { recursive: true });
        damage(folder);
        return folder;
    }

    test('a savepoint whose state file is unreadable on disk fails the job at its first attempt (FAILED, not RESTARTING), naming the operator, its line and the savepoint', { timeout: BOUND_MS * 2 }, async () => {
        const broken = damagedSavepoint('garbled', (folder) => garble(path.join(folder, AGGREGATE_FILE)));
        const resumed = pipelineIn('resume-garbled');
        const { result, jobId, ms } = await runOnCluster([resumed.file, '--from-savepoint', broken]);
        assert.equal(result.code, 1, result.stderr);
        assert.ok(ms < BOUND_MS, `${ms} ms`);
        const message = `Could not restore operator ${aggregateIn(resumed.file)} from savepoint ${broken}: its state file ${AGGREGATE_FILE} cannot be read ` +
            '(Error: Unable to deserialize cloned data.). The job fails instead of restarting: a restart would restore the same savepoint. ' +
            'Start it from another savepoint, or without --from-savepoint.';
        assert.ok(result.stderr.includes(`StateRestoreException: ${message}`), result.stderr);

        const details = (await cluster.api<JobDetails>('GET', `/jobs/${jobId}`)).body;
        assert.equal(details.state, 'FAILED');
        assert.equal(details.timestamps.RESTARTING ?? 0, 0, 'the job never restarted');
        const exceptions = await exceptionsOf(jobId);
        assert.equal(exceptions.exceptionHistory.entries.length, 1, JSON.stringify(exceptions.exceptionHistory.entries.map((e) => [e.exceptionName, e.taskName, e.message.slice(0, 300)])));
        const [entry] = exceptions.exceptionHistory.entries;
        assert.equal(entry.exceptionName, 'StateRestoreException');
        assert.equal(entry.message, message);
        assert.equal(entry.nodeId, 'RestoreFailure/perKey/2-aggregate');
        assert.equal(entry.location?.range.start.line, 22);
        assert.equal(entry.outcome, 'failed');
        assert.equal(entry.attempt, 0);
        assert.ok(exceptions['root-exception']?.startsWith(`StateRestoreException: ${message}`), exceptions['root-exception'] ?? '');
    });

    test('a savepoint whose state has a shape the operator cannot read fails the job the same way, saying what the operator could not read', { timeout: BOUND_MS * 2 }, async () => {
        const broken = damagedSavepoint('other-shape', (folder) => {
            // A readable state file of the size _metadata now lists, but not a window aggregate's state.
            const bytes = serialize({ operatorId: 'RestoreFailure/perKey/2-aggregate', subtask: 0, operatorState: { watermark: 0 } });
            writeFileSync(path.join(folder, AGGREGATE_FILE), bytes);
            const metadata = JSON.parse(readFileSync(path.join(folder, '_metadata'), 'utf8')) as CheckpointMetadata;
            metadata.operators.find((o) => o.uid === 'perKey/aggregate')!.subtasks[0].stateSize = statSync(path.join(folder, AGGREGATE_FILE)).size;
            writeFileSync(path.join(folder, '_metadata'), JSON.stringify(metadata));
        });
        const resumed = pipelineIn('resume-other-shape');
        const { result, jobId, ms } = await runOnCluster([resumed.file, '--from-savepoint', broken]);
        assert.equal(result.code, 1, result.stderr);
        assert.ok(ms < BOUND_MS, `${ms} ms`);
        const entries = (await exceptionsOf(jobId)).exceptionHistory.entries;
        const entry = entries.find((e) => e.exceptionName === 'StateRestoreException');
        assert.ok(entry, JSON.stringify(entries.map((e) => e.message)));
        assert.match(entry.message, new RegExp(`^Could not restore operator ${escape(aggregateIn(resumed.file))} from savepoint ${escape(broken)}: the operator cannot read its state \\(TypeError: .+\\)\\. The job fails instead of restarting`));
        assert.ok(result.stderr.includes(entry.message), result.stderr);
        assert.equal((await cluster.api<JobDetails>('GET', `/jobs/${jobId}`)).body.state, 'FAILED');
    });

    /**
     * Runs the pipeline (with `edit`) on the cluster; at record 1500 its user function blocks until
     * the test garbled the aggregate's state in the latest checkpoint, then throws: the restart
     * restores that checkpoint.
     */
    async function runWithDamagedCheckpoint(name: string, edit: (text: string) => string): Promise<{ result: CliResult; jobId: string; ms: number; checkpoint: string; file: string }> {
        const dir = pipelineIn(name, DAMAGING_CHAOS, edit);
        const checkpoints = path.join(dir.dir, 'checkpoints');
        let checkpoint = '';
        const run = await runOnCluster([dir.file, '--checkpoint-dir', checkpoints], async () => {
            while (!existsSync(path.join(dir.dir, 'waiting'))) await new Promise((resolve) => setTimeout(resolve, 20));
            // The TaskManager thread is blocked: no checkpoint completes until `go`.
            const [jobFolder] = readdirSync(checkpoints);
            const completed = readdirSync(path.join(checkpoints, jobFolder)).filter((f) => /^chk-\d+$/.test(f));
            assert.equal(completed.length, 1, completed.join(', '));
            checkpoint = path.join(checkpoints, jobFolder, completed[0]);
            garble(path.join(checkpoint, AGGREGATE_FILE));
            writeFileSync(path.join(dir.dir, 'go'), '');
        });
        return { ...run, checkpoint, file: dir.file };
    }

    test('a checkpoint of the job\'s own that cannot be restored counts as a failure under the restart strategy: with restart fixed 1 the job then fails', { timeout: BOUND_MS * 2 }, async () => {
        const { result, jobId, ms, checkpoint, file } = await runWithDamagedCheckpoint('fixed-1', (t) => t.replace('checkpoint every 100ms', 'checkpoint every 100ms\n    restart fixed 1 delay 50ms'));
        assert.equal(result.code, 1, result.stderr);
        assert.ok(ms < BOUND_MS, `${ms} ms`);
        const id = Number(/chk-(\d+)$/.exec(checkpoint)![1]);
        const entries = (await exceptionsOf(jobId)).exceptionHistory.entries.slice().reverse();
        assert.deepEqual(entries.map((e) => [e.exceptionName, e.attempt, e.outcome]), [['OperatorError', 0, 'restarted'], ['StateRestoreException', 1, 'failed']]);
        assert.equal(entries[1].message, `Could not restore operator ${aggregateIn(file, 24)} from checkpoint ${id} (${checkpoint}): its state file ${AGGREGATE_FILE} cannot be read ` +
            '(Error: Unable to deserialize cloned data.). The job fails: its restart strategy allows no more restarts.');
        assert.ok(result.stderr.includes(entries[1].message), result.stderr);
        assert.equal((await cluster.api<JobDetails>('GET', `/jobs/${jobId}`)).body.state, 'FAILED');
    });

    test('under the default strategy (restarts without limit) the job ends FAILED once its checkpoint failed to restore twice', { timeout: BOUND_MS * 2 }, async () => {
        const { result, jobId, ms, checkpoint, file } = await runWithDamagedCheckpoint('default-strategy', (t) => t);
        assert.equal(result.code, 1, result.stderr);
        assert.ok(ms < BOUND_MS, `${ms} ms`);
        const id = Number(/chk-(\d+)$/.exec(checkpoint)![1]);
        const entries = (await exceptionsOf(jobId)).exceptionHistory.entries.slice().reverse();
        assert.deepEqual(entries.map((e) => [e.exceptionName, e.attempt, e.outcome]),
            [['OperatorError', 0, 'restarted'], ['StateRestoreException', 1, 'restarted'], ['StateRestoreException', 2, 'failed']]);
        const head = `Could not restore operator ${aggregateIn(file)} from checkpoint ${id} (${checkpoint}): its state file ${AGGREGATE_FILE} cannot be read (Error: Unable to deserialize cloned data.).`;
        assert.equal(entries[1].message, `${head} The job restarts as its restart strategy says; if checkpoint ${id} fails to restore again, the job fails.`);
        assert.equal(entries[2].message, `${head} Checkpoint ${id} failed to restore 2 times: the job fails instead of restarting again (a restart would read the same files).`);
        assert.equal((await cluster.api<JobDetails>('GET', `/jobs/${jobId}`)).body.state, 'FAILED');
    });
});

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

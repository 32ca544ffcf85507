/**
 * The exception history over REST (GET /jobs/:jid/exceptions, Flink's shape): a failure that
 * arrives while the job already fails is listed under the entry of the failure being handled
 * (`concurrentExceptions`), not as an entry of its own, so the history says what happened once.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { JobExceptions, JobsOverview } from '../../protocol/cluster-api.js';
import { runCli } from '../support/run-cli.js';
import { clusterForFile, FIXTURES } from './cluster-harness.js';

describe('the exception history of a failed job', () => {
    // Both subtasks of the filter in one TaskManager thread: each takes its first batch before the
    // JobManager's cancel can reach it, so both throw.
    const files = clusterForFile(['--taskmanagers', '1', '--slots', '2'], 'flowline-exception-history-');

    test('a second subtask failing while the job already fails is a concurrent exception of the first failure, not a second entry', async () => {
        const { cluster } = files;
        const result = await runCli(['run', path.join(FIXTURES, 'both-subtasks-fail.flow'), '--cluster', cluster.hello.url, '--token', cluster.hello.token]);
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, /division by zero/);
        const jobs = (await cluster.api<JobsOverview>('GET', '/jobs/overview')).body.jobs;
        assert.equal(jobs.length, 1);
        const exceptions = (await cluster.api<JobExceptions>('GET', `/jobs/${jobs[0].jid}/exceptions`)).body;
        const entries = exceptions.exceptionHistory.entries;
        assert.equal(entries.length, 1, JSON.stringify(entries.map((e) => [e.taskName, e.message])));
        const [root] = entries;
        assert.equal(root.outcome, 'failed');
        assert.match(root.message, /both-subtasks-fail\.flow:13:\d+: error in filter: division by zero/);
        const concurrent = root.concurrentExceptions ?? [];
        assert.equal(concurrent.length, 1, 'the other subtask threw too');
        assert.match(concurrent[0].message, /division by zero/);
        const subtasks = [root.taskName, concurrent[0].taskName].map((name) => name?.match(/\((\d)\/2\)$/)?.[1]).sort();
        assert.deepEqual(subtasks, ['1', '2'], `${root.taskName} / ${concurrent[0].taskName}`);
        assert.equal(exceptions['root-exception'], root.stacktrace);
    });
});

/**
 * `flowline run x.flow | head -3`: when the reader of stdout goes away, the jobs are cancelled
 * at once and the command exits quietly with 141 (128 + SIGPIPE, as a shell reports `| head`),
 * however much output was still to come and whether the job runs in this process or on a
 * running cluster.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/run-cli.js';
import { FIXTURES, startCluster } from './cluster-harness.js';

interface ClosedRun { code: number | null; stderr: string; msAfterClose: number }

/** Runs `flowline run ...args`, reads `lines` lines of stdout, then closes the pipe like `head` does. */
async function runAndCloseStdout(args: string[], lines: number): Promise<ClosedRun> {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'flowline.js'), 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const reader = createInterface({ input: child.stdout });
    let seen = 0;
    await new Promise<void>((resolve) => reader.on('line', () => { if (++seen === lines) resolve(); }));
    reader.close();
    child.stdout.destroy();
    const closedAt = Date.now();
    const code = await exit;
    return { code, stderr, msAfterClose: Date.now() - closedAt };
}

// Before the fix a job with more records to print waited for stdout to drain forever, and the
// cancellation gave up after 10 s with a CancellationTimeoutException. The bound sits below those
// 10 s, not near the ~0.3 s an idle machine takes: a loaded 2-core CI machine took 4 s.
const PROMPTLY_MS = 9000;

test('a closed stdout cancels a job with much more to print promptly and quietly: exit code 141', async () => {
    const result = await runAndCloseStdout([path.join(FIXTURES, 'many-rows-print.flow')], 3);
    assert.equal(result.code, 141, result.stderr);
    assert.ok(result.msAfterClose < PROMPTLY_MS, `exited ${result.msAfterClose} ms after stdout closed`);
    assert.equal(result.stderr, '', 'nothing on stderr: no EPIPE, no CancellationTimeoutException');
});

test('a closed stdout cancels an endless streaming job promptly: exit code 141', async () => {
    const result = await runAndCloseStdout([path.join(FIXTURES, 'endless-print.json')], 3);
    assert.equal(result.code, 141, result.stderr);
    assert.ok(result.msAfterClose < PROMPTLY_MS, `exited ${result.msAfterClose} ms after stdout closed`);
    assert.equal(result.stderr, '');
});

test('a closed stdout cancels a job on a running cluster too, which stays up for the next job', async () => {
    const cluster = await startCluster(['--taskmanagers', '1', '--slots', '1']);
    try {
        const args = [path.join(FIXTURES, 'many-rows-print.json'), '--cluster', cluster.hello.url, '--token', cluster.hello.token];
        const result = await runAndCloseStdout(args, 3);
        assert.equal(result.code, 141, result.stderr);
        assert.ok(result.msAfterClose < PROMPTLY_MS, `exited ${result.msAfterClose} ms after stdout closed`);
        const res = await fetch(`${cluster.hello.url}/jobs/overview`, { headers: { authorization: `Bearer ${cluster.hello.token}` } });
        const overview = await res.json() as { jobs: { state: string }[] };
        assert.deepEqual(overview.jobs.map((j) => j.state), ['CANCELED']);
    } finally {
        await cluster.stop();
    }
});

/**
 * The buffer timeout (Flink's execution.buffer-timeout.interval, 100 ms): a streaming task that
 * waits (here a source pacing itself to a rate) still sends its partly filled output batches, so
 * records behind a keyed exchange reach the sink as they come. Before, a rate-limited source's
 * records waited until 1,024 had gathered per channel or the input ended: an endless job at 10
 * records a second printed nothing for minutes, and the results view filled only at a job's end.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/run-cli.js';
import { FIXTURES } from './cluster-harness.js';

// Two channels fill a batch of 1,024 each in 205 s at 10 records a second; a loaded CI machine
// starts a run in a few seconds.
const FIRST_UPDATE_WITHIN_MS = 60_000;

test('an endless streaming job prints the updates of a keyed aggregate behind a paced source as they come, not when a batch fills', async () => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'flowline.js'), 'run', path.join(FIXTURES, 'paced-keyed-updates.flow')],
        { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const lines: string[] = [];
    try {
        await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no update printed within ${FIRST_UPDATE_WITHIN_MS} ms (${lines.length} lines; stderr: ${stderr})`)), FIRST_UPDATE_WITHIN_MS);
            createInterface({ input: child.stdout }).on('line', (line) => {
                lines.push(line);
                // Two updates of the same customer: the table moves while the job runs.
                if (lines.length >= 6) { clearTimeout(timer); resolve(); }
            });
        });
    } finally {
        child.kill('SIGINT');
        await exited;
    }
    const updates = lines.map((line) => JSON.parse(line.replace(/^\d+> /, '')) as { customer: string; orders: number });
    assert.ok(updates.every((u) => ['ada', 'grace', 'linus'].includes(u.customer) && u.orders >= 1), lines.join('\n'));
    assert.ok(updates.some((u) => u.orders >= 2), `a customer's count was updated: ${lines.join(' | ')}`);
});

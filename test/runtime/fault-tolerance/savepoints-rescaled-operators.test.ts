/**
 * Savepoint rescaling of the keyed operators beyond the plain aggregate and window (issue 12):
 * count windows, OVER, a Top-N per window with ties, an aggregate over updates and `keep ...
 * until` (its open keys, their closing times and its watermark) each split their state by key group. A pipeline with all four (test/runtime/fixtures/fault-tolerance/
 * rescaled-operators.flow) is stopped with a savepoint at p=2 and resumed at p=1 and at p=4,
 * through the CLI of a real cluster process: what the stopped job committed plus what the
 * resumed job wrote equals, per operator, the output of a run never stopped (as a multiset of
 * records; for the updating aggregate, as its final table: the last row of each key). A Top-N
 * per window ranks a window as soon as the watermark completes it, so its buffer is mostly empty
 * at a savepoint: how buffered rows are dealt by key group is checked on generated rows in
 * test/runtime-operators/state-key-groups.property.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { JobDetails } from '../../../protocol/cluster-api.js';
import { runCli, type CliResult } from '../../support/run-cli.js';
import { FIXTURES, startCluster, type PushClient, type RunningCluster } from '../cluster-harness.js';

const FIXTURE = path.join(FIXTURES, 'fault-tolerance', 'rescaled-operators.flow');
const APPEND_OUTPUTS = ['count-windows.jsonl', 'over.jsonl', 'window-top-n.jsonl', 'keep-until.jsonl'];
const UPDATING_OUTPUT = 'updating-aggregate.jsonl';

function lines(file: string): string[] {
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

/** The table an upsert file describes: the last line of each key `g`, sorted. */
function finalTable(updates: string[]): string[] {
    const latest = new Map<unknown, string>();
    for (const line of updates) latest.set((JSON.parse(line) as { g: unknown }).g, line);
    return [...latest.values()].sort();
}

describe('savepoints rescale count windows, OVER, Top-N per window, aggregates over updates and keep ... until by key group', () => {
    let cluster: RunningCluster;
    let push: PushClient;
    const root = mkdtempSync(path.join(tmpdir(), 'flowline-savepoints-rescaled-'));
    let uninterrupted: string;
    let stopped: string;
    let savepoint: string;

    function pipelineIn(name: string): { dir: string; file: string } {
        const dir = path.join(root, name);
        mkdirSync(dir, { recursive: true });
        const file = path.join(dir, 'rescaled-operators.flow');
        writeFileSync(file, readFileSync(FIXTURE, 'utf8'));
        return { dir, file };
    }

    function cli(args: string[]): Promise<CliResult> {
        return runCli([...args, '--cluster', cluster.hello.url, '--token', cluster.hello.token]);
    }

    before(async () => {
        cluster = await startCluster(['--taskmanagers', '2', '--slots', '4']);
        push = await cluster.push();
        const whole = pipelineIn('uninterrupted');
        const run = await cli(['run', whole.file]);
        assert.equal(run.code, 0, run.stderr);
        uninterrupted = whole.dir;

        const stoppedPipeline = pipelineIn('stopped');
        const known = new Set(push.messages.map((m) => m.jid));
        const running = cli(['run', stoppedPipeline.file]);
        const started = await push.waitFor((m) => m.type === 'job-status' && m.status === 'RUNNING' && !known.has(m.jid));
        // Stopped once the source has made some of its records (not at a fixed delay: under load
        // a job can start late and a fixed delay can outlast its bounded input).
        for (let read = 0; read < 3000;) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            const details = (await cluster.api<JobDetails>('GET', `/jobs/${started.jid}`)).body;
            read = details.vertices.find((v) => v.name.includes('events'))?.metrics['write-records'] ?? 0;
        }
        const stop = await cli(['stop', started.jid, '--savepoint', path.join(root, 'savepoints')]);
        assert.equal(stop.code, 0, stop.stderr);
        assert.equal((await running).code, 0);
        savepoint = stop.stdout.trim();
        stopped = stoppedPipeline.dir;
    });
    after(async () => {
        push?.close();
        await cluster?.stop();
        rmSync(root, { recursive: true, force: true });
    });

    for (const parallelism of [1, 4]) {
        test(`resumed at p=${parallelism}, each operator's output of both jobs equals the uninterrupted run's`, async () => {
            const resumed = pipelineIn(`resumed-p${parallelism}`);
            const run = await cli(['run', resumed.file, '--from-savepoint', savepoint, '--parallelism', String(parallelism)]);
            assert.equal(run.code, 0, run.stderr);
            for (const output of APPEND_OUTPUTS) {
                const expected = lines(path.join(uninterrupted, 'out', output)).sort();
                const before = lines(path.join(stopped, 'out', output));
                assert.ok(expected.length > 0 && before.length < expected.length, `${output}: ${before.length} of ${expected.length} before the savepoint`);
                assert.deepEqual([...before, ...lines(path.join(resumed.dir, 'out', output))].sort(), expected, output);
            }
            const updates = [...lines(path.join(stopped, 'out', UPDATING_OUTPUT)), ...lines(path.join(resumed.dir, 'out', UPDATING_OUTPUT))];
            assert.deepEqual(finalTable(updates), finalTable(lines(path.join(uninterrupted, 'out', UPDATING_OUTPUT))), UPDATING_OUTPUT);
        });
    }
});

/**
 * The Jobs view's Checkpoints section, computed on GET /jobs/:jid/checkpoints payloads captured
 * from the local cluster (test/client/fixtures/): a streaming job checkpointing every 300 ms, and
 * the same job with a 40 ms checkpoint timeout, so that some checkpoints expire.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CheckpointingStatistics } from '../../protocol/checkpoints.js';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import { describeCheckpointSummary, summarizeCheckpoints } from '../../protocol/fault-tolerance-text.js';
import { checkpointRows, checkpointsDescription } from '../../client/src/views/checkpoint-rows.js';
import { REPO_ROOT } from '../support/run-cli.js';

const payload = (name: string): CheckpointingStatistics =>
    JSON.parse(readFileSync(join(REPO_ROOT, 'test/client/fixtures', name), 'utf8')) as CheckpointingStatistics;

const running = payload('checkpoints-running.json');
const timingOut = payload('checkpoints-timing-out.json');

test('a running job\'s section names its last completed checkpoint with its age, duration and size', () => {
    const completedAt = running.latest.completed!.latest_ack_timestamp;
    assert.equal(checkpointsDescription(running, completedAt + 2100), '13 completed · last #13 2.1s ago');
    assert.deepEqual(checkpointRows(running, completedAt + 2100).map((r) => `${r.label}: ${r.description}`), [
        'Last completed: #13 · 2.1s ago',
        'Duration: 66ms',
        'Size: 593 B',
        'Counts: 13 completed · 0 in progress · 0 failed'
    ]);
    const [last, duration] = checkpointRows(running, completedAt);
    assert.match(last.tooltip ?? '', /\/project\/\.flowline\/checkpoints\/[0-9a-f]{32}\/chk-13$/);
    assert.equal(duration.tooltip, 'From trigger to the last acknowledgement. Over the completed checkpoints: min 24ms, avg 59ms, max 96ms');
});

test('failed checkpoints are counted and the last failure is shown with its message, as a warning', () => {
    const now = timingOut.latest.completed!.latest_ack_timestamp + 500;
    assert.equal(checkpointsDescription(timingOut, now), '12 completed · 10 failed · last #22 0.5s ago');
    const failure = checkpointRows(timingOut, now).find((r) => r.label === 'Last failure');
    assert.ok(failure?.warning);
    assert.match(failure.description, /^#12 · \d+\.\ds ago: Checkpoint expired before completing \(timeout 40 ms\)\.$/);
});

test('the terminal line of flowline run says the same as the view', () => {
    const now = running.latest.completed!.latest_ack_timestamp + 2100;
    assert.equal(describeCheckpointSummary(summarizeCheckpoints(running), now), 'checkpoints: 13 completed, 0 failed | last #13 2.1s ago, took 66ms, 593 B');
});

test('before the first checkpoint completes the section says so', () => {
    const empty: CheckpointingStatistics = { ...running, counts: { ...running.counts, completed: 0, total: 1, in_progress: 1 }, latest: { completed: null, savepoint: null, failed: null, restored: null }, history: [] };
    assert.equal(checkpointsDescription(empty, Date.now()), '0 completed · none completed yet');
    assert.deepEqual(checkpointRows(empty, Date.now()).map((r) => `${r.label}: ${r.description}`), ['Last completed: none yet', 'Counts: 0 completed · 1 in progress · 0 failed']);
});

test('the job graph\'s header shows the pipeline\'s settings, and the job\'s last checkpoint while it runs', async () => {
    const { jobText, settingsText } = await import('../../client/src/webviews/job-graph/browser/graph-header.js');
    const graph: LogicalGraph = { version: 1, pipeline: 'P', mode: 'streaming', parallelism: 2, nodes: [], edges: [], location: { uri: 'file:///p.flow', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } };
    assert.equal(settingsText(graph), '');
    assert.equal(settingsText({ ...graph, checkpointing: { intervalMs: 10_000, mode: 'exactly-once' }, restartStrategy: { kind: 'fixed-delay', attempts: 3, delayMs: 1000 } }),
        'checkpoint every 10s, exactly once · restart: fixed delay: up to 3 restarts, 1s apart');
    assert.equal(settingsText({ ...graph, checkpointing: { intervalMs: 500, mode: 'at-least-once' } }),
        'checkpoint every 500ms, at least once · restart: fixed delay: restarts without limit, 1s apart');
    const details = { state: 'RUNNING' } as never;
    const now = running.latest.completed!.latest_ack_timestamp + 2100;
    assert.equal(jobText({ details, vertices: [], checkpoints: running }, now), 'Job RUNNING · checkpoint #13 2.1s ago (66ms, 593 B)');
    assert.equal(jobText({ details, vertices: [] }, now), 'Job RUNNING');
    assert.match(jobText({ details, vertices: [], checkpoints: timingOut }, now), / · 10 failed$/);
});

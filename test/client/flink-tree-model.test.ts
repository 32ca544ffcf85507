/**
 * The Flink rows of the Cluster and Jobs views, built from answers captured from a real Flink
 * 2.3.0 session cluster (test/fixtures/flink-rest/running: one TaskManager with 4 slots, two
 * streaming Flink SQL jobs at parallelism 2, each [Source: src -> Calc] feeding a sink vertex).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readFlinkSnapshot, type FlinkClusterSnapshot, type FlinkJobPlan } from '../../client/src/flink/flink-cluster-snapshot.js';
import { flinkJobDrawing } from '../../client/src/flink/flink-job-drawing.js';
import { clusterRow, jobRow, slotRows, subtaskRows, taskManagerRow, vertexRow } from '../../client/src/flink/flink-tree-model.js';
import { loadFlinkRecording, recordedReader } from '../support/flink-rest-recording.js';

const recording = loadFlinkRecording('running');
const answer = <T>(path: string): T => recording.answers[path] as T;
const read = (): Promise<FlinkClusterSnapshot> => readFlinkSnapshot(recording.restUrl, recordedReader(recording.answers));

describe('the Flink cluster rows of the Cluster view', () => {
    test('the cluster row names the Flink version, its address and the slots in use', async () => {
        const row = clusterRow(await read());
        assert.equal(row.label, 'Flink 2.3.0');
        assert.match(row.description, /^127\.0\.0\.1:\d+ · 1 TaskManager · 4\/4 slots used$/);
    });

    test('each slot of the TaskManager shows the job and the subtask index it runs, with their state', async () => {
        const snapshot = await read();
        const tm = snapshot.taskManagers[0];
        assert.equal(taskManagerRow(snapshot, tm).description, '4/4 slots used');
        const rows = slotRows(snapshot, tm);
        assert.equal(rows.length, 4);
        const jobs = answer<{ jobs: { jid: string; name: string }[] }>('/jobs/overview').jobs;
        for (const job of jobs) {
            const ofJob = rows.filter((r) => r.jid === job.jid);
            // Parallelism 2 on one TaskManager: two slots, holding subtask #0 and #1 of every vertex.
            assert.deepEqual(ofJob.map((r) => r.description), [`${job.name} #0 · RUNNING`, `${job.name} #1 · RUNNING`]);
            for (const [i, row] of ofJob.entries()) {
                assert.equal(row.state, 'RUNNING');
                assert.equal(row.contextValue, 'flink.slot.allocated');
                // The tooltip lists one subtask of each of the job's two vertices.
                assert.equal(row.tooltip.split('\n').filter((l) => l.endsWith(`#${i}: RUNNING`)).length, 2, row.tooltip);
            }
        }
    });

    test('a TaskManager with free slots lists them as free after the allocated ones', async () => {
        const snapshot = await read();
        const tm = structuredClone(snapshot.taskManagers[0]);
        tm.allocatedSlots = tm.allocatedSlots!.slice(0, 2);
        tm.freeSlots = 2;
        const rows = slotRows(snapshot, tm);
        assert.deepEqual(rows.map((r) => r.description.endsWith('RUNNING') ? 'job' : r.description), ['job', 'job', 'free', 'free']);
        assert.deepEqual(rows.map((r) => r.label), ['Slot 0', 'Slot 1', 'Slot 2', 'Slot 3']);
    });
});

describe('the Flink jobs of the Jobs view', () => {
    test('a running job shows its state, its vertices with parallelism, state counts, records and back-pressure, and its subtasks', async () => {
        const snapshot = await read();
        assert.equal(snapshot.jobs.length, 2);
        const job = snapshot.jobs.find((j) => j.overview.name.endsWith('.counts'))!;
        const row = jobRow(snapshot, job, snapshot.readAt);
        assert.match(row.description, /^RUNNING · \d+\.\d s$/);
        assert.equal(row.contextValue, 'flink.job.running');
        const vertices = job.details!.vertices.map((v) => vertexRow(snapshot, job, v));
        assert.deepEqual(vertices.map((v) => v.label), ['Source: src[4] +1', 'GroupAggregate[7] +2']);
        for (const v of vertices) {
            assert.match(v.description, /^p=2 · 2 RUNNING · (out \d+|in \d+ · out \d+) · back-pressure OK$/, v.description);
            assert.equal(v.state, 'RUNNING');
        }
        // The source vertex shows no "in": it reads from no other vertex.
        assert.match(vertices[0].description, /· out \d+ ·/);
        const aggregate = job.details!.vertices[1];
        const subtasks = subtaskRows(snapshot, job, aggregate);
        const tmId = snapshot.taskManagers[0].id;
        assert.deepEqual(subtasks.map((s) => s.label), ['#0', '#1']);
        for (const s of subtasks) assert.match(s.description, new RegExp(`^RUNNING · ${tmId.replace(/\./g, '\\.')} · in \\d+ · out \\d+ · back-pressure OK$`));
        // The counts are Flink's own: the aggregate read what the source vertex wrote, per subtask.
        const details = answer<{ subtasks: { metrics: { 'read-records': number } }[] }>(`/jobs/${job.overview.jid}/vertices/${aggregate.id}`);
        assert.equal(subtasks[0].description.match(/in (\d+)/)![1], String(details.subtasks[0].metrics['read-records']));
    });

    test('an ended job is read once: later snapshots take it from the cache', async () => {
        const answers = structuredClone(recording.answers);
        const overview = answers['/jobs/overview'] as { jobs: { jid: string; state: string }[] };
        overview.jobs[0].state = 'CANCELED';
        (answers[`/jobs/${overview.jobs[0].jid}`] as { state: string }).state = 'CANCELED';
        const ended = new Map();
        const first = await readFlinkSnapshot(recording.restUrl, recordedReader(answers), ended);
        assert.equal(ended.size, 1);
        delete answers[`/jobs/${overview.jobs[0].jid}`];
        const second = await readFlinkSnapshot(recording.restUrl, recordedReader(answers), ended);
        assert.equal(second.jobs.find((j) => j.overview.jid === overview.jobs[0].jid)!.details!.state, 'CANCELED');
        assert.equal(jobRow(second, second.jobs.find((j) => j.overview.state === 'CANCELED')!, Date.now()).contextValue, 'flink.job.done');
        assert.equal(first.jobs.length, second.jobs.length);
    });
});

describe('a Flink job in the job graph view', () => {
    test('draws a box per vertex of the job\'s plan, an arrow per input with its ship strategy, and each box\'s state, records and back-pressure', async () => {
        const snapshot = await read();
        const job = snapshot.jobs.find((j) => j.overview.name.endsWith('.counts'))!;
        const plan = answer<FlinkJobPlan>(`/jobs/${job.overview.jid}/plan`);
        const drawing = flinkJobDrawing(plan, job);
        const source = job.details!.vertices[0];
        const aggregate = job.details!.vertices[1];
        assert.deepEqual(drawing.graph.nodes.map((n) => [n.label, n.shape, n.parallelism]).sort(),
            [[source.name, 'source', 2], [aggregate.name, 'sink', 2]].sort());
        assert.deepEqual(drawing.graph.edges.map((e) => [e.source, e.target, e.label]), [[source.id, aggregate.id, 'HASH']]);
        assert.equal(drawing.graph.nodes.find((n) => n.id === aggregate.id)!.detail, 'GroupAggregate → Calc → counts[9]: Writer');
        assert.deepEqual(drawing.states[source.id], {
            state: 'RUNNING', recordsIn: undefined, recordsOut: source.metrics['write-records'], recordsPerSecond: undefined, backpressure: 'ok', watermark: null
        });
        assert.equal(drawing.states[aggregate.id].recordsIn, aggregate.metrics['read-records']);
    });
});

describe('a running Flink job\'s graph shows Flink\'s live metrics (test/fixtures/flink-rest/live: a datagen source at parallelism 2 feeding a window aggregate and print sink)', () => {
    const live = loadFlinkRecording('live');
    const liveAnswer = <T>(path: string): T => live.answers[path] as T;

    test('each box shows its records/s summed over its subtasks (a sink vertex its input rate) and its lowest input watermark (none for a source)', async () => {
        const snapshot = await readFlinkSnapshot(live.restUrl, recordedReader(live.answers));
        const job = snapshot.jobs.find((j) => j.overview.name === 'LiveCounts')!;
        assert.equal(job.overview.state, 'RUNNING');
        const drawing = flinkJobDrawing(liveAnswer<FlinkJobPlan>(`/jobs/${job.overview.jid}/plan`), job);
        const [source, window] = job.details!.vertices;
        const metrics = (vid: string) => liveAnswer<{ id: string; sum: number }[]>(`/jobs/${job.overview.jid}/vertices/${vid}/subtasks/metrics?get=numRecordsInPerSecond,numRecordsOutPerSecond`);
        const sourceOut = metrics(source.id).find((m) => m.id === 'numRecordsOutPerSecond')!.sum;
        const windowIn = metrics(window.id).find((m) => m.id === 'numRecordsInPerSecond')!.sum;
        assert.ok(sourceOut > 0 && windowIn > 0, 'the captured job was moving records');
        assert.equal(drawing.states[source.id].recordsPerSecond, sourceOut);
        assert.equal(drawing.states[source.id].watermark, null, 'a source has no input watermark');
        assert.equal(drawing.states[window.id].recordsPerSecond, windowIn, 'the window-and-print vertex sends nothing on: its rate is its input');
        const watermarks = liveAnswer<{ id: string; value: string }[]>(`/jobs/${job.overview.jid}/vertices/${window.id}/watermarks`).map((w) => Number(w.value));
        assert.equal(watermarks.length, 2, 'one input watermark per subtask');
        assert.equal(drawing.states[window.id].watermark, Math.min(...watermarks));
        assert.equal(new Date(drawing.states[window.id].watermark!).toISOString().slice(0, 4), '2024', 'the event time of the generated rows');
    });

    test('a vertex whose subtasks have no watermark yet (Flink reports Long.MIN_VALUE) shows none, and a job whose metrics do not answer shows none either', async () => {
        const answers = structuredClone(live.answers);
        const job = (answers['/jobs/overview'] as { jobs: { jid: string }[] }).jobs[0];
        const vertices = (answers[`/jobs/${job.jid}`] as { vertices: { id: string }[] }).vertices;
        answers[`/jobs/${job.jid}/vertices/${vertices[1].id}/watermarks`] = [
            { id: '0.currentInputWatermark', value: '-9223372036854775808' }, { id: '1.currentInputWatermark', value: '1704067200000' }];
        delete answers[`/jobs/${job.jid}/vertices/${vertices[0].id}/subtasks/metrics?get=numRecordsInPerSecond,numRecordsOutPerSecond`];
        const snapshot = await readFlinkSnapshot(live.restUrl, recordedReader(answers));
        const drawing = flinkJobDrawing(live.answers[`/jobs/${job.jid}/plan`] as FlinkJobPlan, snapshot.jobs[0]);
        assert.equal(drawing.states[vertices[1].id].watermark, null);
        assert.equal(drawing.states[vertices[0].id].recordsPerSecond, undefined);
        assert.ok(drawing.states[vertices[0].id].recordsOut !== undefined, 'the summary counts are still shown');
    });
});

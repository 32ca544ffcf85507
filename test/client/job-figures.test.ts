/**
 * The figures the status bar, the Jobs view and the graph overlay derive from a job, computed
 * on what a real local cluster's REST API answers for a running streaming job
 * (endless-half-filtered: [datagen -> filter] -HASH-> [reduce -> blackhole]; the source emits
 * 2000 records/s, the filter chained to it keeps about half).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { JobDetails, VertexDetails } from '../../protocol/cluster-api.js';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import { isSourceVertex } from '../../protocol/cluster-api.js';
import { jobDuration, sourceRecordsPerSecond, subtaskRecords } from '../../client/src/cluster/job-figures.js';
import { graphAt } from '../../client/src/webviews/job-graph/browser/graph-levels.js';
import { nodeState } from '../../client/src/webviews/job-graph/browser/job-state-overlay.js';
import { graphFixture, startCluster, type RunningCluster } from '../runtime/cluster-harness.js';

describe('figures of a running streaming job, from the REST API', () => {
    let cluster: RunningCluster;
    let graph: LogicalGraph;
    let jid: string;
    let details: JobDetails;
    let vertices: VertexDetails[];

    const readVertices = (ids: string[]): Promise<VertexDetails[]> => Promise.all(ids.map(async (id) =>
        (await cluster.api<VertexDetails>('GET', `/jobs/${jid}/vertices/${encodeURIComponent(id)}`)).body));
    const counts = (vs: VertexDetails[]): string => JSON.stringify(vs.map((v) => v.subtasks.map((s) => [s.metrics['read-records'], s.metrics['write-records']])));
    // The job and its vertices come from separate requests: a metrics report landing between them
    // would make them disagree. Take a snapshot only when the counts did not move around the job's.
    const read = async (): Promise<void> => {
        for (let attempt = 0; attempt < 50; attempt++) {
            details = (await cluster.api<JobDetails>('GET', `/jobs/${jid}`)).body;
            const ids = details.vertices.map((v) => v.id);
            const before = await readVertices(ids);
            details = (await cluster.api<JobDetails>('GET', `/jobs/${jid}`)).body;
            vertices = await readVertices(ids);
            if (counts(before) === counts(vertices)) return;
        }
    };

    before(async () => {
        cluster = await startCluster(['--taskmanagers', '2', '--slots', '1']);
        graph = graphFixture('endless-half-filtered.json');
        jid = (await cluster.api<{ jobid: string }>('POST', '/jobs', graph)).body.jobid;
        // Wait until every subtask reported a rate (metrics are pushed about once a second).
        for (let i = 0; i < 100; i++) {
            await read();
            if (vertices.every((v) => v.subtasks.every((s) => s.metrics['write-records-per-second'] > 0))) break;
            await sleep(200);
        }
    });
    after(async () => {
        await cluster.api('PATCH', `/jobs/${jid}?mode=cancel`);
        await cluster.stop();
    });

    test('the source vertex is the one whose head is the graph\'s source node', () => {
        const sourceNodes = new Set(graph.nodes.filter((n) => n.config.kind === 'source').map((n) => n.id));
        for (const v of details.vertices) assert.equal(isSourceVertex(details, v.id), sourceNodes.has(v.nodeIds[0]), v.name);
        assert.equal(details.vertices.filter((v) => isSourceVertex(details, v.id)).length, 1);
    });

    test('the status bar rate is what the sources emit: not their vertex\'s out rate (after the chained filter), not a sum over every vertex', () => {
        const sourceNode = graph.nodes.find((n) => n.config.kind === 'source')!.id;
        const source = vertices.find((v) => details.vertices.find((d) => d.id === v.id)!.nodeIds[0] === sourceNode)!;
        const emitted = source.subtasks.reduce((sum, s) => sum + s.metrics.sourceRecordsPerSecond!, 0);
        const vertexOut = source.subtasks.reduce((sum, s) => sum + s.metrics['write-records-per-second'], 0);
        const rate = sourceRecordsPerSecond(vertices);
        assert.equal(rate, emitted);
        // Only source subtasks report a source rate.
        for (const v of vertices.filter((x) => x !== source)) assert.ok(v.subtasks.every((s) => s.metrics.sourceRecordsPerSecond === null));
        // The filter chained after the source keeps k < 5 of k in 0..9: about half, over the same interval.
        const kept = vertexOut / rate;
        assert.ok(kept > 0.35 && kept < 0.65, `the source vertex sends ${vertexOut}/s of the ${rate}/s its source emits`);
        const everyVertex = vertices.flatMap((v) => v.subtasks).reduce((sum, s) => sum + s.metrics['read-records-per-second'] + s.metrics['write-records-per-second'], 0);
        assert.notEqual(rate, everyVertex);
    });

    test('a source subtask shows only records out; other subtasks show in and out', () => {
        for (const v of vertices) {
            const source = isSourceVertex(details, v.id);
            for (const s of v.subtasks) {
                const text = subtaskRecords(s, source);
                if (source) assert.match(text, /^out \d+$/);
                else assert.match(text, /^in \d+ · out \d+$/);
                if (source) assert.equal(s.metrics['read-records'], 0, 'a source reads no records from the network');
            }
        }
    });

    test('on the logical graph each operator shows only the counts its vertex has at that end of the chain', () => {
        const drawn = graphAt('logical', graph);
        const states = new Map(drawn.nodes.map((n) => [n.nodeIds[0], nodeState(n, { details, vertices })!]));
        const byKind = (kind: string): string => graph.nodes.find((n) => n.config.kind === kind)!.id;
        const [sourceVertex, keyedVertex] = details.vertices;
        // [datagen -> filter]: the source has no "in" and, chained before the tail, no "out" of its own.
        assert.equal(states.get(byKind('source'))!.recordsIn, undefined);
        assert.equal(states.get(byKind('source'))!.recordsOut, undefined);
        assert.equal(states.get(byKind('filter'))!.recordsIn, undefined);
        assert.equal(states.get(byKind('filter'))!.recordsOut, sourceVertex.metrics['write-records']);
        // [reduce -> blackhole]: in at the head, out at the tail, each once.
        assert.equal(states.get(byKind('aggregate'))!.recordsIn, keyedVertex.metrics['read-records']);
        assert.equal(states.get(byKind('aggregate'))!.recordsOut, undefined);
        assert.equal(states.get(byKind('sink'))!.recordsIn, undefined);
        assert.equal(states.get(byKind('sink'))!.recordsOut, keyedVertex.metrics['write-records']);
        // The job level draws whole vertices: a source vertex shows out, the other in and out.
        const job = graphAt('job', graph).nodes.map((n) => nodeState(n, { details, vertices })!);
        assert.deepEqual(job.map((s) => [s.recordsIn !== undefined, s.recordsOut !== undefined]), [[false, true], [true, true]]);
    });

    test('a running job\'s duration keeps counting from the moment REST answered; an ended job\'s does not', () => {
        assert.equal(details.state, 'RUNNING');
        assert.equal(jobDuration(details, details.now), details.duration);
        assert.equal(jobDuration(details, details.now + 2500), details.duration + 2500);
        const ended: JobDetails = { ...details, state: 'CANCELED' };
        assert.equal(jobDuration(ended, details.now + 2500), details.duration);
    });
});

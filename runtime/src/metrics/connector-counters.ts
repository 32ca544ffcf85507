/**
 * What each source read and each sink wrote, and the late records dropped, summed over subtasks
 * from their latest metrics, for GET /jobs/:jid, the push channel and the final summary of
 * `flowline run`. A source is the head
 * of its vertex's chain (its task counts what the source emitted) and a sink its tail (the
 * vertex's write-records are what it wrote).
 */
import type { SinkCounters, SourceCounters, SubtaskMetrics } from '../../../protocol/cluster-api.js';
import type { JobMaster } from '../cluster/job-master.js';

/** Per source and per sink of `job`, in the order of its nodes, and the job's late records dropped. */
export function connectorCounters(job: JobMaster): { sources: SourceCounters[]; sinks: SinkCounters[]; 'late-records-dropped': number } {
    const sources: SourceCounters[] = [];
    const sinks: SinkCounters[] = [];
    // Late records a window dropped because nothing reads its `.late` side output: counted so no
    // record disappears without the user seeing it.
    let lateRecordsDropped = 0;
    for (const vertex of job.jobGraph.vertices) {
        const subtasks = job.executionGraph.subtasks.get(vertex.id) ?? [];
        const metrics = subtasks.map((s) => s.metrics);
        const sum = (value: (m: SubtaskMetrics) => number): number => metrics.reduce((acc, m) => acc + value(m), 0);
        const complete = subtasks.length > 0 && subtasks.every((s) => s.isTerminal);
        const head = vertex.nodes[0];
        const tail = vertex.nodes[vertex.nodes.length - 1];
        lateRecordsDropped += sum((m) => m.lateRecordsDropped);
        if (head.config.kind === 'source') {
            const skipped = sum((m) => m.skippedRecords);
            const deadLettered = sum((m) => m.deadLetteredRecords);
            sources.push({
                id: head.id, name: head.config.sourceName, connector: head.config.connector, path: head.config.path ?? null,
                // Rows read: those the source emitted plus the bad rows it skipped or dead-lettered.
                'read-records': sum((m) => m.sourceRecords ?? 0) + skipped + deadLettered,
                'skipped-records': skipped, 'dead-lettered-records': deadLettered, complete
            });
        }
        if (tail.config.kind === 'sink') {
            sinks.push({
                id: tail.id, description: tail.description, connector: tail.config.connector, path: tail.config.path ?? null,
                'write-records': sum((m) => m['write-records']), complete,
                ...(job.checkpoints ? { delivery: sinkDelivery(tail.config.connector) } : {})
            });
        }
    }
    const order = new Map(job.graph.nodes.map((n, i) => [n.id, i]));
    const byGraphOrder = (a: { id: string }, b: { id: string }): number => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0);
    return { sources: sources.sort(byGraphOrder), sinks: sinks.sort(byGraphOrder), 'late-records-dropped': lateRecordsDropped };
}

/**
 * What a sink of a checkpointed job guarantees after a restart: csv/jsonl commit their parts with
 * the checkpoints (exactly once); print and collect hand records on at once, so records after the
 * last completed checkpoint are handed on again after a restart (at least once); blackhole keeps nothing.
 */
function sinkDelivery(connector: string): 'exactly-once' | 'at-least-once' {
    return connector === 'print' || connector === 'collect' ? 'at-least-once' : 'exactly-once';
}

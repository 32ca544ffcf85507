/**
 * The JobManager's taps: which are open on which job, the most recent records each sampled (a
 * ring of TAP_BUFFER_SIZE, numbered by `seq`), and their counts. TaskManagers sample; this side
 * numbers, keeps and announces what they send (`tap-records` push messages), and closes a job's
 * taps when the job ends (`tap-closed`).
 */
import { randomBytes } from 'node:crypto';
import type { PushMessage, TapInfo, TapRecords, TapRequest, TappedRecord } from '../../../protocol/cluster-api.js';
import { DEFAULT_TAP_RATE, MAX_TAP_RATE, TAP_BUFFER_SIZE } from '../../../protocol/cluster-api.js';
import type { JobMaster } from './job-master.js';
import { checkTapFilter, resolveTapTarget, TapTargetError } from './tap-target.js';
import type { TapBatch, TapSpec } from './taskmanager-protocol.js';

/** A tap request that cannot be served; `status` is the REST status to answer with. */
export class TapError extends Error {
    constructor(readonly status: 400 | 404 | 409, message: string) {
        super(message);
        this.name = 'TapError';
    }
}

interface Tap {
    info: TapInfo;
    records: TappedRecord[];
    lastSeq: number;
}

export class JobTaps {
    /** Every tap ever opened, by job then tap id (closed ones stay readable, as the jobs do). */
    private readonly byJob = new Map<string, Map<string, Tap>>();

    /**
     * @param sendToTaskManagers delivers a message to TaskManagers (by index)
     * @param notify announces push messages
     */
    constructor(
        private readonly sendToTaskManagers: (taskManagers: Set<number>, message: { type: 'tap-open'; tap: TapSpec } | { type: 'tap-close'; jobId: string; tapId: string }) => void,
        private readonly notify: (message: PushMessage) => void
    ) {}

    open(job: JobMaster, request: TapRequest): TapInfo {
        if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new TapError(400, 'The body must be a JSON object: { stream?, nodeId?, recordsPerSecond?, filter? }.');
        if (job.status !== 'RUNNING') throw new TapError(409, `Job ${job.id} is ${job.status}: only a RUNNING job can be tapped.`);
        const rate = request.recordsPerSecond ?? DEFAULT_TAP_RATE;
        if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > MAX_TAP_RATE) {
            throw new TapError(400, `recordsPerSecond must be a number above 0 and at most ${MAX_TAP_RATE}, not ${JSON.stringify(request.recordsPerSecond)}.`);
        }
        let target;
        let filter;
        try {
            target = resolveTapTarget(job.graph, request);
            filter = request.filter === undefined || request.filter === null ? undefined : checkTapFilter(request.filter, target.fields);
        } catch (error) {
            if (error instanceof TapTargetError) throw new TapError(400, error.message);
            throw error;
        }
        const info: TapInfo = {
            id: randomBytes(8).toString('hex'), jid: job.id, nodeId: target.nodeId, stream: target.stream, fields: target.fields,
            recordsPerSecond: rate, filter: filter ?? null, open: true, seen: 0, matched: 0, sampled: 0, 'start-time': Date.now()
        };
        const taps = this.byJob.get(job.id) ?? new Map<string, Tap>();
        this.byJob.set(job.id, taps);
        taps.set(info.id, { info, records: [], lastSeq: 0 });
        // Each TaskManager running the node samples its share of the rate, so the job as a whole stays within it.
        const taskManagers = runningNode(job, info.nodeId);
        const spec: TapSpec = { tapId: info.id, jobId: job.id, nodeId: info.nodeId, recordsPerSecond: rate / Math.max(1, taskManagers.size), filter };
        this.sendToTaskManagers(taskManagers, { type: 'tap-open', tap: spec });
        return { ...info };
    }

    /** Closes a tap (no-op when already closed); returns its final info. */
    close(job: JobMaster, tapId: string, reason: 'closed' | 'job-ended' = 'closed'): TapInfo {
        const tap = this.get(job.id, tapId);
        if (tap.info.open) {
            tap.info.open = false;
            this.sendToTaskManagers(runningNode(job, tap.info.nodeId), { type: 'tap-close', jobId: job.id, tapId });
            const { seen, matched, sampled } = tap.info;
            this.notify({ type: 'tap-closed', jid: job.id, tapId, reason, seen, matched, sampled });
        }
        return { ...tap.info };
    }

    /** The job ended: its open taps close. */
    jobEnded(job: JobMaster): void {
        for (const tap of this.byJob.get(job.id)?.values() ?? []) if (tap.info.open) this.close(job, tap.info.id, 'job-ended');
    }

    /** The open taps of a job. */
    list(jobId: string): TapInfo[] {
        return [...this.byJob.get(jobId)?.values() ?? []].filter((t) => t.info.open).map((t) => ({ ...t.info }));
    }

    /** The tap and its kept records with seq above `since`. */
    read(jobId: string, tapId: string, since = 0): TapRecords {
        const tap = this.get(jobId, tapId);
        return { ...tap.info, records: tap.records.filter((r) => r.seq > since), 'last-seq': tap.lastSeq };
    }

    /** Records a TaskManager sampled. */
    onBatches(batches: TapBatch[]): void {
        for (const batch of batches) {
            const tap = this.byJob.get(batch.jobId)?.get(batch.tapId);
            // Records sent before the TaskManager learnt of the close are dropped.
            if (!tap || !tap.info.open) continue;
            tap.info.seen += batch.seen;
            tap.info.matched += batch.matched;
            tap.info.sampled += batch.sampled;
            const records = batch.records.map((r) => ({ seq: ++tap.lastSeq, subtask: r.subtask, record: r.record }));
            tap.records.push(...records);
            if (tap.records.length > TAP_BUFFER_SIZE) tap.records.splice(0, tap.records.length - TAP_BUFFER_SIZE);
            const { seen, matched, sampled } = tap.info;
            this.notify({ type: 'tap-records', jid: batch.jobId, tapId: batch.tapId, nodeId: tap.info.nodeId, records, seen, matched, sampled });
        }
    }

    private get(jobId: string, tapId: string): Tap {
        const tap = this.byJob.get(jobId)?.get(tapId);
        if (!tap) throw new TapError(404, `Tap ${tapId} not found in job ${jobId}.`);
        return tap;
    }
}

/** The TaskManagers (indexes) running subtasks of the vertex that holds `nodeId` (slot k runs subtask k). */
function runningNode(job: JobMaster, nodeId: string): Set<number> {
    const vertex = job.jobGraph.vertices.find((v) => v.nodes.some((n) => n.id === nodeId));
    const slots = vertex ? job.slots.slice(0, vertex.parallelism) : job.slots;
    return new Set(slots.map((s) => s.taskManager));
}

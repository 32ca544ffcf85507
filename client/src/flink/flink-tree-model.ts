/**
 * The rows the Cluster and Jobs views show for a Flink cluster, from one snapshot: the cluster,
 * its TaskManagers and their slots (free, or the job and subtasks they hold); its jobs, their
 * vertices (parallelism, subtask state counts, records, back-pressure) and subtasks. The same
 * state names (Flink's) and figures as the local cluster's rows; the views turn a row into a
 * TreeItem with the state's icon. No vscode import: unit tests read rows built from answers
 * captured from a real Flink.
 */
import type { ExecutionState, JobStatus } from '../../../protocol/cluster-api.js';
import { TERMINAL_JOB_STATES } from '../../../protocol/cluster-api.js';
import { recordsInOut } from '../cluster/job-figures.js';
import { aggregateState, countStates } from '../cluster/execution-states.js';
import { formatDuration } from '../views/figure-format.js';
import type { FlinkClusterSnapshot, FlinkExecutionState, FlinkJob, FlinkSubtask, FlinkTaskManagerDetails, FlinkVertexSummary } from './flink-cluster-snapshot.js';

/** What one tree row shows. */
export interface FlinkRow {
    /** Stable across polls, so VS Code keeps the row's expansion and selection. */
    id: string;
    label: string;
    description: string;
    tooltip: string;
    /** The state whose icon the row shows; rows without one name a codicon in `icon`. */
    state?: FlinkExecutionState | JobStatus;
    icon?: string;
    /** The view item context (menus): flink.cluster, flink.taskmanager, flink.slot.free|allocated, flink.job.running|done, ... */
    contextValue: string;
    /** The Flink job the row belongs to, for the job's actions. */
    jid?: string;
}

/** A subtask held in a slot. */
export interface HeldSubtask { vertex: string; subtask: FlinkSubtask }

/** The cluster's own row: version, address, TaskManagers and slots in use. */
export function clusterRow(snapshot: FlinkClusterSnapshot): FlinkRow {
    const { overview } = snapshot;
    const used = overview['slots-total'] - overview['slots-available'];
    const host = new URL(snapshot.restUrl).host;
    return {
        id: `flink:${snapshot.restUrl}`,
        label: `Flink ${overview['flink-version']}`,
        description: `${host} · ${plural(overview.taskmanagers, 'TaskManager')} · ${used}/${overview['slots-total']} slots used`,
        tooltip: `Apache Flink ${overview['flink-version']} at ${snapshot.restUrl}\nTaskManagers: ${overview.taskmanagers}\nSlots: ${overview['slots-total']}, free: ${overview['slots-available']}\nRunning jobs: ${overview['jobs-running']}`,
        icon: 'cloud',
        contextValue: 'flink.cluster'
    };
}

/** The row of the Jobs view that holds the Flink cluster's jobs. */
export function jobsRootRow(snapshot: FlinkClusterSnapshot): FlinkRow {
    const running = snapshot.jobs.filter((j) => !TERMINAL_JOB_STATES.includes(j.overview.state)).length;
    return {
        id: `flink-jobs:${snapshot.restUrl}`,
        label: `Flink ${snapshot.overview['flink-version']}`,
        description: `${new URL(snapshot.restUrl).host} · ${plural(snapshot.jobs.length, 'job')}${running > 0 ? `, ${running} running` : ''}`,
        tooltip: `Jobs of the Flink cluster at ${snapshot.restUrl}`,
        icon: 'cloud',
        contextValue: 'flink.cluster'
    };
}

/** A TaskManager's row. */
export function taskManagerRow(snapshot: FlinkClusterSnapshot, tm: FlinkTaskManagerDetails): FlinkRow {
    return {
        id: `flink:${snapshot.restUrl}:tm:${tm.id}`,
        label: tm.id,
        description: `${tm.slotsNumber - tm.freeSlots}/${tm.slotsNumber} slots used`,
        tooltip: `${tm.id} (${tm.path})\nSlots: ${tm.slotsNumber}, free: ${tm.freeSlots}\nCPU cores: ${tm.hardware.cpuCores}`,
        icon: 'server',
        contextValue: 'flink.taskmanager'
    };
}

/**
 * A TaskManager's slots: the allocated ones in the order Flink lists them, then the free ones.
 * Flink does not number slots in its REST API, so the rows are numbered in that order. With
 * slot sharing (one slot sharing group, as Flink SQL jobs have) a slot runs one subtask index of
 * every vertex of its job; the job's slots on a TaskManager hold, in order, the subtask indices
 * that run there, in order.
 */
export function slotRows(snapshot: FlinkClusterSnapshot, tm: FlinkTaskManagerDetails): FlinkRow[] {
    const rows: FlinkRow[] = [];
    const seenOfJob = new Map<string, number>();
    const allocated = tm.allocatedSlots ?? [];
    allocated.forEach((slot, index) => {
        const nth = seenOfJob.get(slot.jobId) ?? 0;
        seenOfJob.set(slot.jobId, nth + 1);
        const job = snapshot.jobs.find((j) => j.overview.jid === slot.jobId);
        const held = job ? subtasksInSlot(job, tm.id, nth) : [];
        const name = job?.overview.name ?? slot.jobId;
        const state = held.length > 0 ? slotState(held) : undefined;
        rows.push({
            id: `flink:${snapshot.restUrl}:slot:${tm.id}:${index}`,
            label: `Slot ${index}`,
            description: state ? `${name} #${held[0].subtask.subtask} · ${state}` : name,
            tooltip: [`Slot ${index} of ${tm.id}`, `Job ${name} (${slot.jobId})`, ...held.map((h) => `${h.vertex} #${h.subtask.subtask}: ${h.subtask.status}`)].join('\n'),
            state,
            icon: state ? undefined : 'circle-large-filled',
            contextValue: 'flink.slot.allocated',
            jid: slot.jobId
        });
    });
    for (let index = allocated.length; index < tm.slotsNumber; index++) {
        rows.push({
            id: `flink:${snapshot.restUrl}:slot:${tm.id}:${index}`,
            label: `Slot ${index}`,
            description: 'free',
            tooltip: `Slot ${index} of ${tm.id}: free`,
            icon: 'circle-large-outline',
            contextValue: 'flink.slot.free'
        });
    }
    return rows;
}

/** The state of a slot's subtasks together, as a vertex's is derived (RECONCILING shows as such). */
function slotState(held: HeldSubtask[]): FlinkExecutionState {
    if (held.some((h) => h.subtask.status === 'RECONCILING')) return 'RECONCILING';
    return aggregateState(countStates(held.map((h) => h.subtask.status as ExecutionState)));
}

/** The subtasks the `nth` slot of a job on a TaskManager holds (see {@link slotRows}). */
export function subtasksInSlot(job: FlinkJob, tmId: string, nth: number): HeldSubtask[] {
    const onTm: HeldSubtask[] = [];
    for (const vertex of job.vertices.values()) {
        for (const subtask of vertex.subtasks) if (subtask['taskmanager-id'] === tmId) onTm.push({ vertex: vertex.name, subtask });
    }
    const indices = [...new Set(onTm.map((h) => h.subtask.subtask))].sort((a, b) => a - b);
    const mine = indices[nth];
    return mine === undefined ? [] : onTm.filter((h) => h.subtask.subtask === mine);
}

/** A job's row: name, state and duration. */
export function jobRow(snapshot: FlinkClusterSnapshot, job: FlinkJob, nowMs: number): FlinkRow {
    const { overview } = job;
    const ended = TERMINAL_JOB_STATES.includes(overview.state);
    const duration = formatDuration(ended || overview['start-time'] <= 0 ? overview.duration : overview.duration + Math.max(0, nowMs - snapshot.readAt));
    return {
        id: `flink:${snapshot.restUrl}:job:${overview.jid}`,
        label: overview.name,
        description: `${overview.state} · ${duration}`,
        tooltip: `${overview.name}\nFlink job ${overview.jid}\nState: ${overview.state}\nDuration: ${duration}`,
        state: overview.state,
        contextValue: ended ? 'flink.job.done' : 'flink.job.running',
        jid: overview.jid
    };
}

/** A vertex's row: parallelism, subtasks per state, records in/out and back-pressure. */
export function vertexRow(snapshot: FlinkClusterSnapshot, job: FlinkJob, vertex: FlinkVertexSummary): FlinkRow {
    const counts = Object.entries(vertex.tasks).filter(([, n]) => n > 0).map(([state, n]) => `${n} ${state}`).join(', ');
    const records = recordsInOut(vertex.metrics, isFlinkSource(vertex));
    const level = job.backpressure.get(vertex.id)?.['backpressure-level'];
    const backpressure = level ? `back-pressure ${level.toUpperCase()}` : '';
    return {
        id: `flink:${snapshot.restUrl}:vertex:${job.overview.jid}:${vertex.id}`,
        label: shortName(vertex.name),
        description: [`p=${vertex.parallelism}`, counts, records, backpressure].filter(Boolean).join(' · '),
        tooltip: [vertex.name, `Parallelism ${vertex.parallelism}`, counts, `Records ${records}`, backpressure].filter(Boolean).join('\n'),
        state: vertex.status,
        contextValue: 'flink.vertex',
        jid: job.overview.jid
    };
}

/** The subtasks of a vertex: state, TaskManager, records and back-pressure. */
export function subtaskRows(snapshot: FlinkClusterSnapshot, job: FlinkJob, vertex: FlinkVertexSummary): FlinkRow[] {
    const details = job.vertices.get(vertex.id);
    const levels = job.backpressure.get(vertex.id)?.subtasks ?? [];
    return (details?.subtasks ?? []).map((subtask) => {
        const io = subtask.metrics ? recordsInOut(subtask.metrics, isFlinkSource(vertex)) : '';
        const level = levels.find((l) => l.subtask === subtask.subtask)?.['backpressure-level'];
        return {
            id: `flink:${snapshot.restUrl}:subtask:${job.overview.jid}:${vertex.id}:${subtask.subtask}`,
            label: `#${subtask.subtask}`,
            description: [subtask.status, subtask['taskmanager-id'], io, level ? `back-pressure ${level.toUpperCase()}` : ''].filter(Boolean).join(' · '),
            tooltip: [`${vertex.name} (${subtask.subtask + 1}/${vertex.parallelism})`, `State: ${subtask.status}`, `TaskManager: ${subtask['taskmanager-id']}`,
                io ? `Records ${io}` : '', level ? `Back-pressure: ${level.toUpperCase()}` : ''].filter(Boolean).join('\n'),
            state: subtask.status,
            contextValue: 'flink.subtask',
            jid: job.overview.jid
        };
    });
}

/**
 * Whether a Flink vertex starts with a source (it reads no records from the network). Flink
 * names a source vertex `Source: ...`.
 */
export function isFlinkSource(vertex: { name: string }): boolean {
    return vertex.name.startsWith('Source: ');
}

/** Flink SQL vertex names list every chained operator: the head and how many follow. */
function shortName(name: string): string {
    const operators = name.split(' -> ');
    return operators.length > 1 ? `${operators[0]} +${operators.length - 1}` : name;
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A row with its children: the Flink part of a view, built once per snapshot. */
export interface FlinkTreeNode { row: FlinkRow; children: FlinkTreeNode[] }

/** The Cluster view's Flink part: the cluster → TaskManagers → slots. */
export function clusterTree(snapshot: FlinkClusterSnapshot): FlinkTreeNode {
    return {
        row: clusterRow(snapshot),
        children: snapshot.taskManagers.map((tm) => ({
            row: taskManagerRow(snapshot, tm),
            children: slotRows(snapshot, tm).map((row) => ({ row, children: [] }))
        }))
    };
}

/** The Jobs view's Flink part: the cluster → jobs → vertices → subtasks. */
export function jobsTree(snapshot: FlinkClusterSnapshot, nowMs: number): FlinkTreeNode {
    return {
        row: jobsRootRow(snapshot),
        children: snapshot.jobs.map((job) => ({
            row: jobRow(snapshot, job, nowMs),
            children: (job.details?.vertices ?? []).map((vertex) => ({
                row: vertexRow(snapshot, job, vertex),
                children: subtaskRows(snapshot, job, vertex).map((row) => ({ row, children: [] }))
            }))
        }))
    };
}

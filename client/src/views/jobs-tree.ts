/**
 * The Jobs view: each job (state, duration, bad rows skipped or dead-lettered; its tooltip lists
 * what each source read and each sink wrote) → its Checkpoints section when it takes checkpoints
 * (checkpoint-rows.ts: last completed, duration, size, counts, failures) and its vertices (parallelism, state counts,
 * records/s) → their subtasks (ExecutionState icon, TaskManager, records in/out). Labels stay
 * short (name, subtask index) so rows fit the default side bar; the figures go in the
 * description and the tooltip. Redrawn when the job store changes, which the push channel
 * drives, and once a second while a job runs, so its duration ticks. After the local jobs, the
 * Flink cluster's (client/src/flink/, polled by FlinkMonitor while the view shows).
 */
import * as vscode from 'vscode';
import type { ExecutionState, JobVertexSummary, SubtaskInfo } from '../../../protocol/cluster-api.js';
import { isSourceVertex, TERMINAL_JOB_STATES } from '../../../protocol/cluster-api.js';
import { jobDuration, recordsInOut, subtaskRecords } from '../cluster/job-figures.js';
import type { JobStore, TrackedJob } from '../cluster/job-store.js';
import type { FlinkMonitor } from '../flink/flink-monitor.js';
import { flinkRootNodes, flinkTreeItem, type FlinkViewNode } from '../flink/flink-tree-item.js';
import { jobsTree } from '../flink/flink-tree-model.js';
import { badRowsDescription, connectorCountsMarkdown } from './connector-counts.js';
import { checkpointRows, checkpointsDescription, type CheckpointRow } from './checkpoint-rows.js';
import { formatDuration, formatRate, stateIcon } from './execution-state-icons.js';
import { RefreshThrottle } from './refresh-throttle.js';

/** How often a running job's duration is redrawn. */
const TICK_MS = 1000;
/** Vertex names longer than this show their head operator and how many follow it. */
const MAX_LABEL = 28;

type JobsNode =
    | { kind: 'job'; job: TrackedJob }
    | { kind: 'checkpoints'; job: TrackedJob }
    | { kind: 'checkpoint-row'; job: TrackedJob; row: CheckpointRow; index: number }
    | { kind: 'vertex'; job: TrackedJob; vertex: JobVertexSummary }
    | { kind: 'subtask'; job: TrackedJob; vertex: JobVertexSummary; subtask: SubtaskInfo }
    | FlinkViewNode;

/** Tree data of the Jobs view. */
export class JobsTreeProvider implements vscode.TreeDataProvider<JobsNode>, vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<JobsNode | undefined>();
    readonly onDidChangeTreeData = this.changeEmitter.event;
    private readonly subscriptions: vscode.Disposable[];
    private readonly throttle = new RefreshThrottle(400, () => this.changeEmitter.fire(undefined));
    /** Runs while any job runs; stopped when none does. */
    private ticker: ReturnType<typeof setInterval> | undefined;

    constructor(private readonly store: JobStore, private readonly flink: FlinkMonitor) {
        this.subscriptions = [
            store.onDidChange(() => {
                this.throttle.request();
                this.updateTicker();
            }),
            flink.onDidChange(() => this.throttle.request())
        ];
    }

    /** True while the duration ticker runs (for the in-host tests). */
    get ticking(): boolean { return this.ticker !== undefined; }

    getChildren(node?: JobsNode): JobsNode[] {
        if (!node) {
            const local: JobsNode[] = this.store.all().filter((job) => job.details).map((job) => ({ kind: 'job', job }));
            return [...local, ...flinkRootNodes(this.flink.last, (snapshot) => jobsTree(snapshot, Date.now()))];
        }
        if (node.kind === 'flink') return node.node.children.map((child) => ({ kind: 'flink', node: child }));
        if (node.kind === 'job') {
            const vertices: JobsNode[] = (node.job.details?.vertices ?? []).map((vertex) => ({ kind: 'vertex', job: node.job, vertex }));
            return node.job.checkpoints ? [{ kind: 'checkpoints', job: node.job }, ...vertices] : vertices;
        }
        if (node.kind === 'checkpoints') {
            return node.job.checkpoints ? checkpointRows(node.job.checkpoints, Date.now()).map((row, index) => ({ kind: 'checkpoint-row', job: node.job, row, index })) : [];
        }
        if (node.kind === 'vertex') {
            const details = node.job.vertices.get(node.vertex.id);
            return (details?.subtasks ?? []).map((subtask) => ({ kind: 'subtask', job: node.job, vertex: node.vertex, subtask }));
        }
        return [];
    }

    getTreeItem(node: JobsNode): vscode.TreeItem {
        switch (node.kind) {
            case 'job': return jobItem(node.job);
            case 'checkpoints': return checkpointsItem(node.job);
            case 'checkpoint-row': return checkpointRowItem(node.job, node.row, node.index);
            case 'vertex': return vertexItem(node.job, node.vertex);
            case 'subtask': return subtaskItem(node.job, node.vertex, node.subtask);
            case 'flink': return flinkTreeItem(node.node);
        }
    }

    private updateTicker(): void {
        const running = this.store.all().some((job) => job.details && !TERMINAL_JOB_STATES.includes(job.details.state));
        if (running && !this.ticker) {
            this.ticker = setInterval(() => this.throttle.request(), TICK_MS);
        } else if (!running && this.ticker) {
            clearInterval(this.ticker);
            this.ticker = undefined;
        }
    }

    dispose(): void {
        if (this.ticker) clearInterval(this.ticker);
        this.ticker = undefined;
        this.throttle.dispose();
        for (const s of this.subscriptions) s.dispose();
        this.changeEmitter.dispose();
    }
}

function jobItem(job: TrackedJob): vscode.TreeItem {
    const details = job.details!;
    const item = new vscode.TreeItem(details.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `job:${job.jid}`;
    const duration = formatDuration(jobDuration(details, Date.now()));
    const bad = badRowsDescription(details);
    item.description = `${details.state} · ${duration}${bad !== '' ? ` · ${bad}` : ''}`;
    item.tooltip = new vscode.MarkdownString(
        `**${details.name}** (${details.mode})\n\nJob id \`${job.jid}\`\n\nState: ${details.state}\n\nDuration: ${duration}` +
        `\n\n${connectorCountsMarkdown(details)}`
    );
    item.iconPath = stateIcon(details.state);
    item.contextValue = TERMINAL_JOB_STATES.includes(details.state) ? 'job.done' : 'job.running';
    return item;
}

function checkpointsItem(job: TrackedJob): vscode.TreeItem {
    const item = new vscode.TreeItem('Checkpoints', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `checkpoints:${job.jid}`;
    item.description = job.checkpoints ? checkpointsDescription(job.checkpoints, Date.now()) : '';
    item.iconPath = new vscode.ThemeIcon('save-all');
    item.contextValue = 'checkpoints';
    return item;
}

function checkpointRowItem(job: TrackedJob, row: CheckpointRow, index: number): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = `checkpoints:${job.jid}:${index}`;
    item.description = row.description;
    item.tooltip = row.tooltip ?? row.description;
    if (row.warning) item.iconPath = new vscode.ThemeIcon('warning');
    return item;
}

/** A vertex's label: its name, or for a long chain its head operator and how many follow. */
export function shortVertexLabel(name: string): string {
    if (name.length <= MAX_LABEL) return name;
    const operators = name.split(' -> ');
    const head = operators[0].length > MAX_LABEL ? `${operators[0].slice(0, MAX_LABEL - 1)}…` : operators[0];
    return operators.length > 1 ? `${head} +${operators.length - 1}` : head;
}

function vertexItem(job: TrackedJob, vertex: JobVertexSummary): vscode.TreeItem {
    const item = new vscode.TreeItem(shortVertexLabel(vertex.name), vscode.TreeItemCollapsibleState.Expanded);
    item.id = `vertex:${job.jid}:${vertex.id}`;
    const counts = Object.entries(vertex.tasks).filter(([, n]) => n > 0).map(([state, n]) => `${n} ${state}`).join(', ');
    const subtasks = job.vertices.get(vertex.id)?.subtasks ?? [];
    const rate = subtasks.reduce((sum, s) => sum + (s.metrics?.['write-records-per-second'] ?? 0), 0);
    const source = job.details !== undefined && isSourceVertex(job.details, vertex.id);
    const records = recordsInOut(vertex.metrics, source);
    item.description = `p=${vertex.parallelism} · ${counts}${rate > 0 ? ` · ${formatRate(rate)} rec/s` : ''}`;
    item.iconPath = stateIcon(vertex.status);
    item.tooltip = [vertex.name, `Parallelism ${vertex.parallelism}`, counts, `Records ${records}`, rate > 0 ? `${formatRate(rate)} records/s out` : '']
        .filter(Boolean).join('\n');
    item.contextValue = 'vertex';
    return item;
}

function subtaskItem(job: TrackedJob, vertex: JobVertexSummary, subtask: SubtaskInfo): vscode.TreeItem {
    const item = new vscode.TreeItem(`#${subtask.subtask}`, vscode.TreeItemCollapsibleState.None);
    item.id = `subtask:${job.jid}:${vertex.id}:${subtask.subtask}`;
    const io = subtaskRecords(subtask, job.details !== undefined && isSourceVertex(job.details, vertex.id));
    item.description = [subtask.status, subtask['taskmanager-id'], io].filter(Boolean).join(' · ');
    item.iconPath = stateIcon(subtask.status as ExecutionState);
    // Flink's buffers.inputQueueLength / outputQueueLength (a Flink cluster's subtask metrics have no such field).
    const metrics = subtask.metrics as Partial<SubtaskInfo['metrics']> | undefined;
    const queues = typeof metrics?.inputQueueLength === 'number' && typeof metrics.outputQueueLength === 'number'
        ? `\nQueued: ${metrics.inputQueueLength} messages in, ${metrics.outputQueueLength} out waiting for credit` : '';
    item.tooltip = `${vertex.name} (${subtask.subtask + 1}/${vertex.parallelism})\nState: ${subtask.status}\nTaskManager: ${subtask['taskmanager-id']}${io ? `\nRecords ${io}` : ''}${queues}`;
    item.contextValue = 'subtask';
    return item;
}

/**
 * The Jobs view: each job (state, duration, bad rows skipped or dead-lettered; its tooltip lists
 * what each source read and each sink wrote) → its vertices (parallelism, state counts,
 * records/s) → their subtasks (ExecutionState icon, TaskManager, records in/out). Redrawn when
 * the job store changes, which the push channel drives.
 */
import * as vscode from 'vscode';
import type { ExecutionState, JobVertexSummary, SubtaskInfo } from '../../../protocol/cluster-api.js';
import { TERMINAL_JOB_STATES } from '../../../protocol/cluster-api.js';
import type { JobStore, TrackedJob } from '../cluster/job-store.js';
import { badRowsDescription, connectorCountsMarkdown } from './connector-counts.js';
import { formatDuration, formatRate, stateIcon } from './execution-state-icons.js';
import { RefreshThrottle } from './refresh-throttle.js';

type JobsNode =
    | { kind: 'job'; job: TrackedJob }
    | { kind: 'vertex'; job: TrackedJob; vertex: JobVertexSummary }
    | { kind: 'subtask'; job: TrackedJob; vertex: JobVertexSummary; subtask: SubtaskInfo };

/** Tree data of the Jobs view. */
export class JobsTreeProvider implements vscode.TreeDataProvider<JobsNode>, vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<JobsNode | undefined>();
    readonly onDidChangeTreeData = this.changeEmitter.event;
    private readonly subscription: vscode.Disposable;
    private readonly throttle = new RefreshThrottle(400, () => this.changeEmitter.fire(undefined));

    constructor(private readonly store: JobStore) {
        this.subscription = store.onDidChange(() => this.throttle.request());
    }

    getChildren(node?: JobsNode): JobsNode[] {
        if (!node) return this.store.all().filter((job) => job.details).map((job) => ({ kind: 'job', job }));
        if (node.kind === 'job') return (node.job.details?.vertices ?? []).map((vertex) => ({ kind: 'vertex', job: node.job, vertex }));
        if (node.kind === 'vertex') {
            const details = node.job.vertices.get(node.vertex.id);
            return (details?.subtasks ?? []).map((subtask) => ({ kind: 'subtask', job: node.job, vertex: node.vertex, subtask }));
        }
        return [];
    }

    getTreeItem(node: JobsNode): vscode.TreeItem {
        switch (node.kind) {
            case 'job': return jobItem(node.job);
            case 'vertex': return vertexItem(node.job, node.vertex);
            case 'subtask': return subtaskItem(node.vertex, node.subtask);
        }
    }

    dispose(): void {
        this.throttle.dispose();
        this.subscription.dispose();
        this.changeEmitter.dispose();
    }
}

function jobItem(job: TrackedJob): vscode.TreeItem {
    const details = job.details!;
    const item = new vscode.TreeItem(details.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `job:${job.jid}`;
    const bad = badRowsDescription(details);
    item.description = `${details.state} · ${formatDuration(details.duration)}${bad !== '' ? ` · ${bad}` : ''}`;
    item.tooltip = new vscode.MarkdownString(
        `**${details.name}** (${details.mode})\n\nJob id \`${job.jid}\`\n\nState: ${details.state}\n\nDuration: ${formatDuration(details.duration)}` +
        `\n\n${connectorCountsMarkdown(details)}`
    );
    item.iconPath = stateIcon(details.state);
    item.contextValue = TERMINAL_JOB_STATES.includes(details.state) ? 'job.done' : 'job.running';
    return item;
}

function vertexItem(job: TrackedJob, vertex: JobVertexSummary): vscode.TreeItem {
    const item = new vscode.TreeItem(vertex.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `vertex:${job.jid}:${vertex.id}`;
    const counts = Object.entries(vertex.tasks).filter(([, n]) => n > 0).map(([state, n]) => `${n} ${state}`).join(', ');
    const subtasks = job.vertices.get(vertex.id)?.subtasks ?? [];
    const rate = subtasks.reduce((sum, s) => sum + (s.metrics?.['write-records-per-second'] ?? 0), 0);
    item.description = `p=${vertex.parallelism} · ${counts}${rate > 0 ? ` · ${formatRate(rate)} rec/s` : ''}`;
    item.iconPath = stateIcon(vertex.status);
    item.tooltip = `${vertex.name}\nParallelism ${vertex.parallelism}\n${counts}`;
    item.contextValue = 'vertex';
    return item;
}

function subtaskItem(vertex: JobVertexSummary, subtask: SubtaskInfo): vscode.TreeItem {
    const item = new vscode.TreeItem(`#${subtask.subtask} ${subtask.status}`, vscode.TreeItemCollapsibleState.None);
    const m = subtask.metrics;
    const io = m ? `in ${m['read-records']} · out ${m['write-records']}` : '';
    item.description = `${subtask['taskmanager-id']} · ${io}`;
    item.iconPath = stateIcon(subtask.status as ExecutionState);
    item.tooltip = `${vertex.name} (${subtask.subtask + 1}/${vertex.parallelism})\nState: ${subtask.status}\nTaskManager: ${subtask['taskmanager-id']}\n${io}`;
    item.contextValue = 'subtask';
    return item;
}

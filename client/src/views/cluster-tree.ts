/**
 * The Cluster view: TaskManagers → their slots, each free or showing the job and the subtasks
 * it holds (short in the row, listed in the tooltip). Read from REST (/taskmanagers, /taskmanagers/:id) when the cluster starts and when
 * a job changes state; never on a timer. Beside the local cluster, the Flink cluster the editor
 * deploys to (its rows come from client/src/flink/, polled by FlinkMonitor while the view shows).
 */
import * as vscode from 'vscode';
import type { SubtaskInfo, TaskManagerDetails } from '../../../protocol/cluster-api.js';
import { aggregateState, countStates, type JobStore, type TrackedJob } from '../cluster/job-store.js';
import type { LocalClusterManager } from '../cluster/local-cluster-manager.js';
import { flinkRootNodes, flinkTreeItem, type FlinkViewNode } from '../flink/flink-tree-item.js';
import type { FlinkMonitor } from '../flink/flink-monitor.js';
import { clusterTree } from '../flink/flink-tree-model.js';
import { stateIcon } from './execution-state-icons.js';
import { RefreshThrottle } from './refresh-throttle.js';

type ClusterNode =
    | { kind: 'taskmanager'; tm: TaskManagerDetails }
    | { kind: 'slot'; tm: TaskManagerDetails; index: number }
    | FlinkViewNode;

/** Tree data of the Cluster view. */
export class ClusterTreeProvider implements vscode.TreeDataProvider<ClusterNode>, vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<ClusterNode | undefined>();
    readonly onDidChangeTreeData = this.changeEmitter.event;
    private taskManagers: TaskManagerDetails[] = [];
    private readonly subscriptions: vscode.Disposable[] = [];
    private readonly throttle = new RefreshThrottle(300, () => void this.reload());

    constructor(private readonly cluster: LocalClusterManager, private readonly store: JobStore, private readonly log: vscode.OutputChannel,
        private readonly flink: FlinkMonitor) {
        this.subscriptions.push(
            cluster.onDidChange(() => this.throttle.request()),
            store.onDidChangeState(() => this.throttle.request()),
            flink.onDidChange(() => this.changeEmitter.fire(undefined))
        );
    }

    getChildren(node?: ClusterNode): ClusterNode[] {
        if (!node) {
            const local: ClusterNode[] = this.taskManagers.map((tm) => ({ kind: 'taskmanager', tm }));
            return [...local, ...flinkRootNodes(this.flink.last, clusterTree)];
        }
        if (node.kind === 'flink') return node.node.children.map((child) => ({ kind: 'flink', node: child }));
        if (node.kind === 'taskmanager') {
            return Array.from({ length: node.tm.slotsNumber }, (_, index) => ({ kind: 'slot', tm: node.tm, index }));
        }
        return [];
    }

    getTreeItem(node: ClusterNode): vscode.TreeItem {
        if (node.kind === 'flink') return flinkTreeItem(node.node);
        if (node.kind === 'taskmanager') {
            const item = new vscode.TreeItem(node.tm.id, vscode.TreeItemCollapsibleState.Expanded);
            item.id = `tm:${node.tm.id}`;
            item.description = `${node.tm.slotsNumber - node.tm.freeSlots}/${node.tm.slotsNumber} slots used`;
            item.iconPath = new vscode.ThemeIcon('server');
            item.tooltip = `${node.tm.id} (${node.tm.path})\nSlots: ${node.tm.slotsNumber}, free: ${node.tm.freeSlots}`;
            item.contextValue = 'taskmanager';
            return item;
        }
        return this.slotItem(node.tm, node.index);
    }

    dispose(): void {
        this.throttle.dispose();
        for (const s of this.subscriptions) s.dispose();
        this.changeEmitter.dispose();
    }

    private slotItem(tm: TaskManagerDetails, index: number): vscode.TreeItem {
        const item = new vscode.TreeItem(`Slot ${index}`, vscode.TreeItemCollapsibleState.None);
        item.id = `slot:${tm.id}:${index}`;
        const allocation = tm.allocatedSlots.find((s) => s.slotIndex === index);
        const job = allocation ? this.store.get(allocation.jobId) : undefined;
        if (!allocation) {
            item.description = 'free';
            item.iconPath = new vscode.ThemeIcon('circle-large-outline');
            item.contextValue = 'slot.free';
            return item;
        }
        const held = job ? subtasksInSlot(job, tm, index) : [];
        const name = job?.details?.name ?? allocation.jobId;
        // Short enough for the default side bar: the job, the subtask index the slot runs (slot
        // sharing: one index of every vertex) and their combined state; the tooltip lists them.
        const state = held.length > 0 ? aggregateState(countStates(held.map((h) => h.subtask.status))) : undefined;
        item.description = state ? `${name} #${held[0].subtask.subtask} · ${state}` : name;
        item.iconPath = state ? stateIcon(state) : new vscode.ThemeIcon('circle-large-filled');
        item.tooltip = [`Slot ${index} of ${tm.id}`, `Job ${name} (${allocation.jobId})`, ...held.map((h) => `${h.vertex} #${h.subtask.subtask}: ${h.subtask.status}`)].join('\n');
        item.contextValue = 'slot.allocated';
        return item;
    }

    private async reload(): Promise<void> {
        const rest = this.cluster.connection?.rest;
        if (!rest) {
            this.taskManagers = [];
            this.changeEmitter.fire(undefined);
            return;
        }
        try {
            const list = await rest.taskManagers();
            this.taskManagers = await Promise.all(list.taskmanagers.map((tm) => rest.taskManager(tm.id)));
        } catch (err) {
            this.log.appendLine(`[cluster] could not read TaskManagers: ${err instanceof Error ? err.message : String(err)}`);
        }
        this.changeEmitter.fire(undefined);
    }
}

/**
 * The subtasks a slot holds. With slot sharing (as in Flink) one slot runs the same subtask
 * index of every vertex of a job; the TaskManager's slots of a job, in slot order, hold that
 * job's subtask indices on the TaskManager, in index order.
 */
function subtasksInSlot(job: TrackedJob, tm: TaskManagerDetails, slotIndex: number): { vertex: string; subtask: SubtaskInfo }[] {
    const slotsOfJob = tm.allocatedSlots.filter((s) => s.jobId === job.jid).map((s) => s.slotIndex).sort((a, b) => a - b);
    const onTm = [...job.vertices.values()].flatMap((v) => v.subtasks.filter((s) => s['taskmanager-id'] === tm.id).map((subtask) => ({ vertex: v.name, subtask })));
    const indices = [...new Set(onTm.map((h) => h.subtask.subtask))].sort((a, b) => a - b);
    const mine = indices[slotsOfJob.indexOf(slotIndex)];
    return mine === undefined ? [] : onTm.filter((h) => h.subtask.subtask === mine);
}

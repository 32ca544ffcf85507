/**
 * The Flink part of the Cluster and Jobs views as tree nodes and items: the same state icons as
 * the local cluster's rows. A Flink that was set up but does not answer shows one row saying so.
 */
import * as vscode from 'vscode';
import { stateIcon } from '../views/execution-state-icons.js';
import type { FlinkClusterSnapshot } from './flink-cluster-snapshot.js';
import type { FlinkReading } from './flink-monitor.js';
import type { FlinkTreeNode } from './flink-tree-model.js';

/** A view's node for a Flink row. */
export interface FlinkViewNode { kind: 'flink'; node: FlinkTreeNode }

/** The Flink root node of a view for the monitor's last reading (none when no Flink is set up). */
export function flinkRootNodes(reading: FlinkReading, build: (snapshot: FlinkClusterSnapshot) => FlinkTreeNode): FlinkViewNode[] {
    if (reading.kind === 'snapshot') return [{ kind: 'flink', node: build(reading.snapshot) }];
    if (reading.kind === 'unreachable') {
        const { endpoints, message } = reading;
        return [{
            kind: 'flink',
            node: {
                row: {
                    id: `flink-unreachable:${endpoints.restUrl}`,
                    label: 'Flink',
                    description: `not answering at ${new URL(endpoints.restUrl).host}`,
                    tooltip: `No Flink answers at ${endpoints.restUrl} (from the ${endpoints.from}): ${message}`,
                    icon: 'debug-disconnect',
                    contextValue: 'flink.unreachable'
                },
                children: []
            }
        }];
    }
    return [];
}

/** The TreeItem of a Flink row; rows with children start expanded, except ended jobs. */
export function flinkTreeItem(node: FlinkTreeNode): vscode.TreeItem {
    const { row } = node;
    const collapsed = node.children.length === 0 ? vscode.TreeItemCollapsibleState.None
        : row.contextValue === 'flink.job.done' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
    const item = new vscode.TreeItem(row.label, collapsed);
    item.id = row.id;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.iconPath = row.state ? stateIcon(row.state) : new vscode.ThemeIcon(row.icon ?? 'circle-outline');
    item.contextValue = row.contextValue;
    if (row.contextValue === 'flink.unreachable') {
        item.command = { title: 'Why?', command: 'flowline.explainFlinkUnreachable' };
    }
    return item;
}

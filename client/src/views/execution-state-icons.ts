/**
 * Icons for Flink's job and execution states, in the colours Flink's web UI uses for them
 * (running blue, finished green, failed red, canceled grey, scheduled/deploying amber).
 */
import * as vscode from 'vscode';
import type { ExecutionState, JobStatus } from '../../../protocol/cluster-api.js';

export { formatDuration, formatRate } from './figure-format.js';

const ICONS: Record<ExecutionState | JobStatus, [string, string | undefined]> = {
    CREATED: ['circle-outline', 'disabledForeground'],
    SCHEDULED: ['clock', 'charts.yellow'],
    DEPLOYING: ['loading~spin', 'charts.yellow'],
    INITIALIZING: ['loading~spin', 'charts.yellow'],
    RUNNING: ['sync~spin', 'charts.blue'],
    FINISHED: ['pass-filled', 'charts.green'],
    CANCELING: ['loading~spin', 'disabledForeground'],
    CANCELLING: ['loading~spin', 'disabledForeground'],
    CANCELED: ['circle-slash', 'disabledForeground'],
    FAILED: ['error', 'charts.red'],
    FAILING: ['error', 'charts.red'],
    RESTARTING: ['debug-restart', 'charts.orange'],
    SUSPENDED: ['debug-pause', 'charts.orange'],
    RECONCILING: ['loading~spin', 'charts.orange']
};

/** The themed icon of a job or execution state. */
export function stateIcon(state: ExecutionState | JobStatus): vscode.ThemeIcon {
    const [icon, color] = ICONS[state] ?? ['question', undefined];
    return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

/**
 * Icons for Flink's job and execution states, in the colours Flink's web UI uses for them
 * (running blue, finished green, failed red, canceled grey, scheduled/deploying amber).
 */
import * as vscode from 'vscode';
import type { ExecutionState, JobStatus } from '../../../protocol/cluster-api.js';

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

/** "1.2 s", "3 min 4 s": durations as Flink's UI writes them. */
export function formatDuration(ms: number): string {
    if (ms < 0) return '-';
    if (ms < 1000) return `${ms} ms`;
    const s = Math.floor(ms / 1000);
    if (s < 60) return `${(ms / 1000).toFixed(1)} s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m} min ${s % 60} s`;
    return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Records per second, compact: 950, 12.3K, 4.5M. */
export function formatRate(perSecond: number): string {
    if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)}M`;
    if (perSecond >= 1e4) return `${(perSecond / 1e3).toFixed(1)}K`;
    return perSecond.toFixed(perSecond < 10 ? 1 : 0);
}

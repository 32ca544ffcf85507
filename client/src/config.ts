/**
 * Typed access to the `flowline.*` settings (declared in package.json `contributes.configuration`).
 * Values are read on every access so a changed setting takes effect without a reload.
 */
import * as vscode from 'vscode';

/** Runtime mode for pipelines that do not say `mode` themselves. */
export type DefaultMode = 'automatic' | 'batch' | 'streaming';

/** The `flowline.*` settings, typed. */
export class Config {
    static readonly section = 'flowline';

    private get cfg(): vscode.WorkspaceConfiguration {
        return vscode.workspace.getConfiguration(Config.section);
    }

    /** TaskManagers the local cluster starts with. */
    get taskManagers(): number { return this.cfg.get<number>('cluster.taskManagers', 2); }

    /** Slots per TaskManager. */
    get slotsPerTaskManager(): number { return this.cfg.get<number>('cluster.slotsPerTaskManager', 2); }

    /** REST port of the local cluster; 0 = any free port. */
    get restPort(): number { return this.cfg.get<number>('cluster.restPort', 0); }

    get defaultMode(): DefaultMode { return this.cfg.get<DefaultMode>('run.defaultMode', 'automatic'); }

    /** Debounce of the job graph after an edit, in ms. */
    get graphUpdateDelay(): number { return this.cfg.get<number>('graph.updateDelay', 300); }

    /** Rows per page of the results view. */
    get resultsPageSize(): number { return this.cfg.get<number>('results.pageSize', 100); }

    /** Records per second (per TaskManager) a Peek Records tap samples. */
    get peekRecordsPerSecond(): number { return this.cfg.get<number>('peek.recordsPerSecond', 10); }

    /** REST URL of the Flink cluster to deploy to and show ('' = the local Flink of `flowline flink start`). */
    get flinkRestUrl(): string { return this.cfg.get<string>('flink.restUrl', '').trim(); }

    /** URL of that Flink's SQL Gateway ('' = the local Flink's). */
    get flinkSqlGatewayUrl(): string { return this.cfg.get<string>('flink.sqlGatewayUrl', '').trim(); }

    /** Whether a change of `event` changes which Flink cluster the editor talks to. */
    static affectsFlink(event: vscode.ConfigurationChangeEvent): boolean {
        return ['flink.restUrl', 'flink.sqlGatewayUrl'].some((key) => event.affectsConfiguration(`${Config.section}.${key}`));
    }

    /** Whether a change of `event` needs the local cluster restarted to take effect. */
    static affectsCluster(event: vscode.ConfigurationChangeEvent): boolean {
        return ['cluster.taskManagers', 'cluster.slotsPerTaskManager', 'cluster.restPort']
            .some((key) => event.affectsConfiguration(`${Config.section}.${key}`));
    }
}

/**
 * Every command of the extension, by id (the ids contributed in package.json). Each entry is a
 * factory that receives the extension's context and returns the handler.
 */
import * as vscode from 'vscode';
import type { FlowlineContext } from '../flowline-context.js';
import { debugPipeline } from './debug-pipeline.js';
import { deployToFlink } from './deploy-to-flink.js';
import { explainRestricted } from './explain-restricted-mode.js';
import { cancelFlinkJob, explainFlinkUnreachableCommand, openFlinkWebUi } from './flink-job-actions.js';
import { openResults } from './open-results.js';
import { peekRecords } from './peek-records.js';
import { runPipeline } from './run-pipeline.js';
import { showFlinkSql } from './show-flink-sql.js';
import { showJobGraph } from './show-job-graph.js';
import { startCluster } from './start-cluster.js';
import { stopCluster } from './stop-cluster.js';
import { stopJob } from './stop-job.js';

type CommandFactory = (ctx: FlowlineContext) => (...args: never[]) => unknown;

const COMMANDS: Record<string, CommandFactory> = {
    'flowline.runPipeline': runPipeline,
    'flowline.debugPipeline': debugPipeline,
    'flowline.stopJob': stopJob,
    'flowline.showJobGraph': showJobGraph,
    'flowline.openResults': openResults,
    'flowline.peekRecords': peekRecords,
    'flowline.startCluster': startCluster,
    'flowline.stopCluster': stopCluster,
    'flowline.explainRestrictedMode': explainRestricted,
    'flowline.showFlinkSql': showFlinkSql,
    'flowline.deployToFlink': deployToFlink,
    'flowline.openFlinkWebUi': openFlinkWebUi,
    'flowline.cancelFlinkJob': cancelFlinkJob,
    'flowline.explainFlinkUnreachable': explainFlinkUnreachableCommand
};

/** Registers every command of the table. */
export function registerCommands(ctx: FlowlineContext): void {
    for (const [id, factory] of Object.entries(COMMANDS)) {
        ctx.track(vscode.commands.registerCommand(id, factory(ctx) as (...args: unknown[]) => unknown));
    }
}

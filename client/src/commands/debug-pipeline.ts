/**
 * Debug Pipeline: starts a `flowline` debug session on the pipeline a CodeLens names (or the one
 * at the cursor), as F5 does without a launch.json.
 */
import * as vscode from 'vscode';
import { launchConfigurationFor } from '../debugging/flow-launch-configuration.js';
import type { FlowlineContext } from '../flowline-context.js';
import { ensureTrustedForRun } from '../trust/restricted-mode.js';
import { resolvePipelineTarget } from './pipeline-target.js';

/** Debugs the pipeline given by a CodeLens (uri, name) or the one at the cursor. */
export function debugPipeline(_ctx: FlowlineContext) {
    return async (uri?: unknown, pipelineName?: unknown): Promise<boolean> => {
        if (!(await ensureTrustedForRun())) return false;
        const target = await resolvePipelineTarget(uri, pipelineName, true);
        if (!target?.pipeline) return false;
        // The adapter reads the file from disk.
        if (target.document.isDirty) await target.document.save();
        const folder = vscode.workspace.getWorkspaceFolder(target.document.uri);
        return vscode.debug.startDebugging(folder, launchConfigurationFor(target.document.uri.fsPath, target.pipeline));
    };
}

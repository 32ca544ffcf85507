/**
 * Launch configurations of the `flowline` debug type. F5 on a .flow file without a launch.json
 * debugs the pipeline under the cursor (asking which one when the cursor is in none and the file
 * has several); a launch.json entry without `pipeline` is completed the same way. The Run and
 * Debug view's dynamic list offers one configuration per pipeline of the active file. Nothing
 * starts in Restricted Mode: a debug session runs the pipeline like Run does.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolvePipelineTarget } from '../commands/pipeline-target.js';
import type { Config } from '../config.js';
import { findPipelines } from '../editor/pipeline-code-lens.js';
import { FLOW_LANGUAGE_ID } from '../language/flow-language-client.js';
import { ensureTrustedForRun } from '../trust/restricted-mode.js';
import { FLOWLINE_DEBUG_TYPE, isEmptyConfiguration, launchConfigurationFor, launchConfigurationProblems, type FlowLaunchConfiguration } from './flow-launch-configuration.js';

/** Completes and checks `flowline` launch configurations. */
export class FlowDebugConfigurationProvider implements vscode.DebugConfigurationProvider {
    constructor(private readonly config: Config) {}

    /** F5 without launch.json: the active .flow file; `${file}` is substituted later. */
    async resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, debugConfiguration: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
        if (!(await ensureTrustedForRun())) return undefined;
        const config = debugConfiguration as FlowLaunchConfiguration;
        if (isEmptyConfiguration(config)) {
            const editor = vscode.window.activeTextEditor;
            if (editor?.document.languageId !== FLOW_LANGUAGE_ID) {
                void vscode.window.showErrorMessage('Open a .flow file to debug one of its pipelines, or add a "flowline" configuration to launch.json.');
                return undefined;
            }
            return { type: FLOWLINE_DEBUG_TYPE, request: 'launch', name: 'Debug Pipeline', program: editor.document.uri.fsPath };
        }
        return config;
    }

    /** After `${file}` & co. are substituted: the pipeline (asked for if needed) and the cluster size. */
    async resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, debugConfiguration: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
        const config = { ...debugConfiguration } as FlowLaunchConfiguration;
        if (typeof config.program === 'string' && config.program !== '' && !path.isAbsolute(config.program)) {
            const base = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
            if (base) config.program = path.join(base, config.program);
        }
        const problems = launchConfigurationProblems(config);
        if (problems.length > 0) {
            void vscode.window.showErrorMessage(`The launch configuration "${config.name}" cannot start: ${problems.join(' ')}`);
            return undefined;
        }
        // A test debugs its own pipeline (the one its `for` names).
        if (config.test === undefined && (typeof config.pipeline !== 'string' || config.pipeline === '')) {
            const target = await resolvePipelineTarget(vscode.Uri.file(config.program!), undefined, true);
            if (!target?.pipeline) return undefined; // told the user, or the Quick Pick was dismissed
            config.pipeline = target.pipeline;
            if (config.name === 'Debug Pipeline') config.name = `Debug ${target.pipeline}`;
        }
        config.taskManagers ??= this.config.taskManagers;
        config.slots ??= this.config.slotsPerTaskManager;
        return config;
    }

}

/**
 * The Run and Debug view's dynamic list: one configuration per pipeline of the active file. A
 * provider of its own, because VS Code calls `resolve…` on every provider of the type.
 */
export const dynamicFlowDebugConfigurations: vscode.DebugConfigurationProvider = {
    async provideDebugConfigurations(): Promise<vscode.DebugConfiguration[]> {
        const document = vscode.window.activeTextEditor?.document;
        if (document?.languageId !== FLOW_LANGUAGE_ID) return [];
        const pipelines = await findPipelines(document);
        return pipelines.map((p) => launchConfigurationFor(document.uri.fsPath, p.name));
    }
};

/**
 * Everything the `flowline` debug type needs in the extension host: the adapter process, the
 * launch configurations (F5 and the dynamic list) and the values shown on hover while paused.
 */
import * as vscode from 'vscode';
import type { FlowlineContext } from '../flowline-context.js';
import { FLOW_LANGUAGE_ID } from '../language/flow-language-client.js';
import { FlowDebugAdapterFactory } from './flow-debug-adapter-factory.js';
import { dynamicFlowDebugConfigurations, FlowDebugConfigurationProvider } from './flow-debug-configuration-provider.js';
import { FlowEvaluatableExpressionProvider } from './flow-evaluatable-expressions.js';
import { FLOWLINE_DEBUG_TYPE } from './flow-launch-configuration.js';

/** Registers the debug type's providers. */
export function registerDebugging(ctx: FlowlineContext): void {
    const configurations = new FlowDebugConfigurationProvider(ctx.config);
    ctx.track(vscode.debug.registerDebugAdapterDescriptorFactory(FLOWLINE_DEBUG_TYPE, new FlowDebugAdapterFactory(ctx.extensionUri)));
    ctx.track(vscode.debug.registerDebugConfigurationProvider(FLOWLINE_DEBUG_TYPE, configurations));
    ctx.track(vscode.debug.registerDebugConfigurationProvider(FLOWLINE_DEBUG_TYPE, dynamicFlowDebugConfigurations, vscode.DebugConfigurationProviderTriggerKind.Dynamic));
    ctx.track(vscode.languages.registerEvaluatableExpressionProvider({ language: FLOW_LANGUAGE_ID }, new FlowEvaluatableExpressionProvider()));
}

/**
 * Pipeline tests in VS Code's Testing view: the test controller, its discovery through the
 * language server, the Run profile (the bundled CLI), the operator coverage marks and the
 * "Run Test" CodeLens.
 */
import * as vscode from 'vscode';
import type { FlowlineContext } from '../flowline-context.js';
import { FLOW_LANGUAGE_ID } from '../language/flow-language-client.js';
import { OperatorCoverage } from './operator-coverage.js';
import { TestCodeLensProvider } from './test-code-lens.js';
import { TestDebugHandler } from './test-debug-handler.js';
import { TestDiscovery } from './test-discovery.js';
import { TestRunHandler } from './test-run-handler.js';

/** What the extension's API exposes of testing (for the in-host tests). */
export interface FlowlineTesting {
    controller: vscode.TestController;
    discovery: TestDiscovery;
    coverage: OperatorCoverage;
}

/** Registers the controller, its profile, commands and lenses; discovery starts once `serverReady` resolves. */
export function registerTesting(ctx: FlowlineContext, serverReady: Promise<unknown>): FlowlineTesting {
    const controller = ctx.track(vscode.tests.createTestController('flowline', 'Flowline Pipeline Tests'));
    const discovery = ctx.track(new TestDiscovery(controller, ctx.client, ctx.log));
    const coverage = ctx.track(new OperatorCoverage());
    const handler = new TestRunHandler(controller, discovery, coverage, ctx.extensionUri, ctx.log);
    const runProfile = controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, handler.run, true);
    const debugHandler = new TestDebugHandler(controller, discovery);
    const debugProfile = controller.createRunProfile('Debug', vscode.TestRunProfileKind.Debug, debugHandler.run, true);
    // The Refresh button of the Testing view asks the server again for every file.
    controller.refreshHandler = () => discovery.discoverAll();
    void serverReady.then(() => discovery.start()).catch((error: unknown) => {
        ctx.log.appendLine(`[test] discovery did not start: ${error instanceof Error ? error.message : String(error)}`);
    });
    // The CodeLenses' commands start a run of one test through the profile, as the gutter does.
    for (const [command, profile] of [['flowline.runTest', runProfile], ['flowline.debugTest', debugProfile]] as const) {
        ctx.track(vscode.commands.registerCommand(command, async (id?: unknown) => {
            const test = typeof id === 'string' ? discovery.test(id) : undefined;
            if (!test) return;
            const tokens = new vscode.CancellationTokenSource();
            try {
                await profile.runHandler(new vscode.TestRunRequest([test.item], undefined, profile), tokens.token);
            } finally {
                tokens.dispose();
            }
        }));
    }
    ctx.track(vscode.languages.registerCodeLensProvider({ language: FLOW_LANGUAGE_ID }, ctx.track(new TestCodeLensProvider(discovery))));
    return { controller, discovery, coverage };
}

/**
 * The Debug profile of the Testing view (and the "Debug Test" CodeLens): debugs a test under the
 * pipeline debugger, a `flowline` debug session with the launch attribute `test` (the debug
 * adapter builds the test's graph: its given rows in place of the sources). Several requested
 * tests are debugged one after the other. The debugger compares no expectation, so the tests get
 * no outcome from it: the run says so and marks them skipped.
 */
import * as vscode from 'vscode';
import { testLaunchConfigurationFor } from '../debugging/flow-launch-configuration.js';
import { ensureTrustedForRun } from '../trust/restricted-mode.js';
import type { KnownTest, TestDiscovery } from './test-discovery.js';

export class TestDebugHandler {
    constructor(private readonly controller: vscode.TestController, private readonly discovery: TestDiscovery) {}

    /** The profile's run handler. */
    readonly run = async (request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> => {
        if (!(await ensureTrustedForRun())) return;
        const tests = this.discovery.testsOf(request, this.controller);
        if (tests.length === 0) return;
        const run = this.controller.createTestRun(request);
        try {
            for (const test of tests) {
                if (token.isCancellationRequested || run.token.isCancellationRequested) {
                    run.skipped(test.item);
                    continue;
                }
                run.started(test.item);
                await this.debug(test, run);
                run.appendOutput(`Debugged "${test.name}": the debugger compares no expectation; run the test for its outcome.\r\n`, undefined, test.item);
                run.skipped(test.item);
            }
        } finally {
            run.end();
        }
    };

    /** Starts the session and resolves when it ends (or could not start). */
    private async debug(test: KnownTest, run: vscode.TestRun): Promise<void> {
        const folder = vscode.workspace.getWorkspaceFolder(test.uri);
        const configuration = testLaunchConfigurationFor(test.uri.fsPath, test.name);
        let session: vscode.DebugSession | undefined;
        const ended = new Promise<void>((resolve) => {
            const started = vscode.debug.onDidStartDebugSession((s) => {
                if (s.configuration.test === test.name && s.configuration.program === test.uri.fsPath) session ??= s;
            });
            const terminated = vscode.debug.onDidTerminateDebugSession((s) => {
                if (s !== session) return;
                started.dispose();
                terminated.dispose();
                resolve();
            });
            void vscode.debug.startDebugging(folder, configuration, { testRun: run }).then((ok) => {
                if (ok) return;
                started.dispose();
                terminated.dispose();
                resolve();
            });
        });
        await ended;
    }
}

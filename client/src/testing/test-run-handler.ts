/**
 * The Run profile of the Testing view (and the "Run Test" CodeLens): runs the requested tests with
 * the bundled CLI, one `flowline test <file> --reporter json` per file (with `--filter <name>` per
 * test when only some of a file's tests are asked for), and shows each test's outcome. Tests run
 * user functions, so Restricted Mode runs none (as Run Pipeline).
 */
import * as vscode from 'vscode';
import type { PipelineTestResult } from '../../../protocol/pipeline-tests.js';
import { FLOW_LANGUAGE_ID } from '../language/flow-language-client.js';
import { ensureTrustedForRun } from '../trust/restricted-mode.js';
import type { OperatorCoverage } from './operator-coverage.js';
import { bundledCliPath, runCli } from './test-cli-process.js';
import { testCommandArguments } from './test-command-arguments.js';
import type { KnownTest, TestDiscovery } from './test-discovery.js';
import { toRange } from './test-discovery.js';
import { erroredOutcomes, parseTestRunReport, testOutcomes, type TestOutcome } from './test-run-outcomes.js';

/** One CLI invocation: a file and the tests of it whose outcomes it gives. */
interface CliBatch { uri: vscode.Uri; filter?: string; tests: KnownTest[] }

export class TestRunHandler {
    constructor(
        private readonly controller: vscode.TestController,
        private readonly discovery: TestDiscovery,
        private readonly coverage: OperatorCoverage,
        private readonly extensionUri: vscode.Uri,
        private readonly log: vscode.OutputChannel
    ) {}

    /** The profile's run handler. */
    readonly run = async (request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> => {
        if (!(await ensureTrustedForRun())) return;
        const tests = this.discovery.testsOf(request, this.controller);
        if (tests.length === 0) return;
        const run = this.controller.createTestRun(request);
        // The run can be cancelled from where it started (the profile's token) or from the Test Results view.
        const cancellation = new vscode.CancellationTokenSource();
        const links = [token.onCancellationRequested(() => cancellation.cancel()), run.token.onCancellationRequested(() => cancellation.cancel())];
        try {
            await this.saveFlowDocuments(run);
            for (const test of tests) run.enqueued(test.item);
            let cli: string;
            try {
                cli = bundledCliPath(this.extensionUri);
            } catch (error) {
                for (const test of tests) run.errored(test.item, new vscode.TestMessage((error as Error).message));
                return;
            }
            const results: PipelineTestResult[] = [];
            this.coverage.clear();
            for (const batch of this.batches(tests)) {
                if (cancellation.token.isCancellationRequested) {
                    for (const test of batch.tests) run.skipped(test.item);
                    continue;
                }
                results.push(...await this.runBatch(cli, batch, run, cancellation.token));
            }
            if (!cancellation.token.isCancellationRequested) this.coverage.show(results, run);
        } finally {
            for (const link of links) link.dispose();
            cancellation.dispose();
            run.end();
        }
    };

    /** A whole file runs in one process; a part of one runs test by test. */
    private batches(tests: KnownTest[]): CliBatch[] {
        const byFile = new Map<string, KnownTest[]>();
        for (const test of tests) byFile.set(test.uri.toString(), [...(byFile.get(test.uri.toString()) ?? []), test]);
        const batches: CliBatch[] = [];
        for (const fileTests of byFile.values()) {
            const uri = fileTests[0].uri;
            if (fileTests.length === this.discovery.testsOfFile(uri).length) batches.push({ uri, tests: fileTests });
            else for (const test of fileTests) batches.push({ uri, filter: test.name, tests: [test] });
        }
        return batches;
    }

    private async runBatch(cli: string, batch: CliBatch, run: vscode.TestRun, token: vscode.CancellationToken): Promise<PipelineTestResult[]> {
        for (const test of batch.tests) run.started(test.item);
        const file = batch.uri.fsPath;
        const cwd = vscode.workspace.getWorkspaceFolder(batch.uri)?.uri.fsPath;
        const outcome = await runCli(cli, testCommandArguments(file, batch.filter), cwd, token, this.log);
        if (outcome.cancelled) {
            for (const test of batch.tests) run.skipped(test.item);
            return [];
        }
        const report = parseTestRunReport(outcome.stdout);
        const requested = batch.tests.map((t) => ({ id: t.item.id, name: t.name }));
        const relative = vscode.workspace.asRelativePath(batch.uri);
        const outcomes = report
            ? testOutcomes(report, requested, relative, outcome.stderr)
            : erroredOutcomes(requested, `flowline test ${relative} exited with ${outcome.code ?? 'a signal'} without a report: ${outcome.stderr.trim() || outcome.stdout.trim() || 'no output'}`);
        for (const result of outcomes) this.show(result, run);
        // Only the requested tests count for coverage: a filter may match more names than asked.
        const names = new Set(batch.tests.map((t) => t.name));
        return report ? report.tests.filter((t) => names.has(t.name)) : [];
    }

    private show(outcome: TestOutcome, run: vscode.TestRun): void {
        const test = this.discovery.test(outcome.id);
        if (!test) return;
        const messages = outcome.messages.map((m) => {
            const message = m.expected !== undefined && m.actual !== undefined
                ? vscode.TestMessage.diff(m.text, m.expected, m.actual)
                : new vscode.TestMessage(m.text);
            message.location = m.location
                ? new vscode.Location(vscode.Uri.parse(m.location.uri), toRange(m.location.range))
                : new vscode.Location(test.uri, test.item.range ?? new vscode.Range(0, 0, 0, 0));
            return message;
        });
        if (outcome.status === 'passed') run.passed(test.item, outcome.durationMs);
        else if (outcome.status === 'failed') run.failed(test.item, messages, outcome.durationMs);
        else run.errored(test.item, messages, outcome.durationMs);
    }

    /** The CLI reads the files from disk: unsaved edits of .flow files are saved first, as a build task would. */
    private async saveFlowDocuments(run: vscode.TestRun): Promise<void> {
        const dirty = vscode.workspace.textDocuments.filter((d) => d.languageId === FLOW_LANGUAGE_ID && d.isDirty);
        const saved = await Promise.all(dirty.map((d) => d.save()));
        const unsaved = dirty.filter((_, i) => !saved[i]);
        if (unsaved.length > 0) run.appendOutput(`Could not save ${unsaved.map((d) => vscode.workspace.asRelativePath(d.uri)).join(', ')}: the tests run on the text on disk.\r\n`);
    }
}

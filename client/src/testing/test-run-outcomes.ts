/**
 * What the Testing view shows for each test after `flowline test --reporter json`: passed, failed
 * (one message per failed `expect`, at its line, with the expected and actual records so VS Code
 * offers its diff) or errored. Pure (no vscode), tested on reports of the real CLI.
 */
import type { PipelineTestResult, TestRunReport } from '../../../protocol/pipeline-tests.js';
import type { SourceLocation } from '../../../protocol/logical-graph.js';

/** A test the user asked to run: its Testing view id and its name in the file. */
export interface RequestedTest {
    id: string;
    name: string;
}

/** One message of a failed or errored test. */
export interface OutcomeMessage {
    text: string;
    /** Both present: VS Code shows a diff of the two. */
    expected?: string;
    actual?: string;
    /** Where the message is shown; the test's own range when absent. */
    location?: SourceLocation;
}

/** The outcome of one requested test. */
export interface TestOutcome {
    id: string;
    status: 'passed' | 'failed' | 'errored';
    durationMs?: number;
    messages: OutcomeMessage[];
}

/**
 * Maps a report to the requested tests. A requested test the report lacks is errored: with what
 * the CLI wrote on stderr when it said something (a file with errors: the checker's messages, and
 * its tests do not run), else because no test has that name any more.
 */
export function testOutcomes(report: TestRunReport, requested: readonly RequestedTest[], file: string, stderr = ''): TestOutcome[] {
    const byName = new Map(report.tests.map((result) => [result.name, result]));
    return requested.map((test) => {
        const result = byName.get(test.name);
        if (!result) {
            const text = stderr.trim()
                ? `flowline test did not run "${test.name}":\n${stderr.trim()}`
                : `flowline test ran no test named "${test.name}" in ${file}: save the file, or check that the test still exists there.`;
            return { id: test.id, status: 'errored', messages: [{ text }] };
        }
        return { id: test.id, status: result.status, durationMs: result.durationMs, messages: messagesOf(result) };
    });
}

/** Every requested test errored with one message (the CLI could not run or its output was not a report). */
export function erroredOutcomes(requested: readonly RequestedTest[], text: string): TestOutcome[] {
    return requested.map((test) => ({ id: test.id, status: 'errored', messages: [{ text }] }));
}

function messagesOf(result: PipelineTestResult): OutcomeMessage[] {
    if (result.status === 'passed') return [];
    const messages: OutcomeMessage[] = result.failures.map((failure) => {
        const withDiff = failure.expected !== undefined && failure.actual !== undefined;
        return {
            // Without both sides VS Code draws no diff: the CLI's textual diff says it instead.
            text: withDiff || !failure.diff ? failure.message : `${failure.message}\n${failure.diff}`,
            expected: withDiff ? failure.expected : undefined,
            actual: withDiff ? failure.actual : undefined,
            location: failure.location
        };
    });
    if (messages.length === 0 || (result.status === 'errored' && result.message)) {
        messages.unshift({ text: result.message ?? `The test ${result.status} without saying why.` });
    }
    return messages;
}

/**
 * Reads the CLI's stdout as a TestRunReport; undefined when it is not one (the CLI then said why
 * on stderr).
 */
export function parseTestRunReport(stdout: string): TestRunReport | undefined {
    let value: unknown;
    try {
        value = JSON.parse(stdout);
    } catch {
        return undefined;
    }
    if (typeof value !== 'object' || value === null || !Array.isArray((value as TestRunReport).tests)) return undefined;
    return value as TestRunReport;
}

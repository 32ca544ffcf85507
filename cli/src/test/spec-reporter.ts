/**
 * The default reporter: one line per test, grouped by file, then each failure with its expect
 * line (`file:line:column`), message and diff, then the totals.
 */
import type { TestRunReport } from '../../../protocol/pipeline-tests.js';
import { displayPath, locationText } from './report-paths.js';

const MARK = { passed: '✓', failed: '✗', errored: '!' } as const;

export function specReport(report: TestRunReport): string {
    const out: string[] = [];
    let file = '';
    for (const test of report.tests) {
        if (test.file !== file) {
            file = test.file;
            out.push(displayPath(file));
        }
        out.push(`  ${MARK[test.status]} ${test.name}${test.status === 'errored' ? ' (could not run)' : ''} (${Math.round(test.durationMs)} ms)`);
    }
    const troubled = report.tests.filter((t) => t.status !== 'passed');
    for (const test of troubled) {
        out.push('', `${MARK[test.status]} ${test.name} (${displayPath(test.file)})`);
        if (test.status === 'errored') out.push(`  ${test.message ?? 'the test could not run'}`);
        for (const failure of test.failures) {
            out.push(`  ${locationText(failure.location)}: ${failure.message}`);
            for (const line of failure.diff.split('\n')) out.push(`    ${line}`);
        }
    }
    for (const note of report.tests.flatMap((t) => (t.status === 'passed' && t.message ? [t.message] : []))) out.push('', note);
    out.push('', `${report.tests.length} test${report.tests.length === 1 ? '' : 's'}: ${report.passed} passed, ${report.failed} failed, ${report.errored} errored (${Math.round(report.durationMs)} ms)`);
    return `${out.join('\n')}\n`;
}

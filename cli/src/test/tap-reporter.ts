/**
 * TAP version 14 (https://testanything.org/tap-version-14-specification.html): a plan, `ok` /
 * `not ok` per test, and a YAML diagnostic block for each failure (the expect line, message,
 * expected, actual and the diff).
 */
import type { TestRunReport } from '../../../protocol/pipeline-tests.js';
import { displayPath, locationText } from './report-paths.js';

/** A YAML block scalar (`|-`) of `text`, indented. */
function yamlBlock(key: string, text: string, indent: string): string[] {
    return [`${indent}${key}: |-`, ...text.split('\n').map((line) => `${indent}  ${line}`)];
}

/** A TAP description may not contain '#' (it starts a directive) unless escaped. */
function description(text: string): string {
    return text.replace(/\\/g, '\\\\').replace(/#/g, '\\#').replace(/\n/g, ' ');
}

export function tapReport(report: TestRunReport): string {
    const out = ['TAP version 14', `1..${report.tests.length}`];
    report.tests.forEach((test, i) => {
        const name = description(`${displayPath(test.file)} > ${test.name}`);
        out.push(`${test.status === 'passed' ? 'ok' : 'not ok'} ${i + 1} - ${name}`);
        if (test.status === 'passed') return;
        out.push('  ---');
        out.push(`  duration_ms: ${Math.round(test.durationMs)}`);
        if (test.status === 'errored') out.push(...yamlBlock('message', test.message ?? 'the test could not run', '  '), '  severity: error');
        test.failures.forEach((failure, f) => {
            out.push(`  failure_${f + 1}:`, `    at: ${JSON.stringify(locationText(failure.location))}`);
            out.push(...yamlBlock('message', failure.message, '    '));
            if (failure.expected !== undefined) out.push(...yamlBlock('expected', failure.expected, '    '));
            if (failure.actual !== undefined) out.push(...yamlBlock('actual', failure.actual, '    '));
            out.push(...yamlBlock('diff', failure.diff, '    '));
        });
        out.push('  ...');
    });
    out.push(`# ${report.passed} passed, ${report.failed} failed, ${report.errored} errored`);
    return `${out.join('\n')}\n`;
}

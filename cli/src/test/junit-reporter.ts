/**
 * JUnit XML as CI systems read it, valid against the Apache Ant JUnit schema (JUnit.xsd of
 * windyroad/JUnit-Schema; test/testing/schema/JUnit.xsd checks it): one <testsuite> per test file
 * in <testsuites>, one <testcase> per test (classname: the pipeline), a failed test's
 * expectations in one <failure> (the schema allows one), an errored test as <error>.
 */
import { hostname } from 'node:os';
import type { PipelineTestResult, TestRunReport } from '../../../protocol/pipeline-tests.js';
import { displayPath, locationText } from './report-paths.js';

function escapeXml(text: string): string {
    // Characters XML 1.0 cannot carry at all are dropped; the rest are escaped.
    // eslint-disable-next-line no-control-regex
    return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
        .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function seconds(ms: number): string {
    return (ms / 1000).toFixed(3);
}

function testcase(test: PipelineTestResult): string {
    const open = `    <testcase name="${escapeXml(test.name)}" classname="${escapeXml(test.pipeline)}" time="${seconds(test.durationMs)}"`;
    if (test.status === 'passed') return `${open}/>`;
    if (test.status === 'errored') {
        return `${open}>\n      <error message="${escapeXml(test.message ?? 'the test could not run')}" type="TestError">${escapeXml(test.message ?? '')}</error>\n    </testcase>`;
    }
    const first = test.failures[0];
    const text = test.failures.map((f) => `${locationText(f.location)}: ${f.message}\n${f.diff}`).join('\n\n');
    return `${open}>\n      <failure message="${escapeXml(first?.message ?? 'failed')}" type="ExpectationFailed">${escapeXml(text)}</failure>\n    </testcase>`;
}

export function junitReport(report: TestRunReport, startedAt: Date): string {
    const files = [...new Set(report.tests.map((t) => t.file))];
    // The schema's timestamp has no zone and no fraction: UTC, to the second.
    const timestamp = startedAt.toISOString().slice(0, 19);
    const host = escapeXml(hostname() || 'localhost');
    const suites = files.map((file, id) => {
        const tests = report.tests.filter((t) => t.file === file);
        const name = escapeXml(displayPath(file));
        const time = seconds(tests.reduce((sum, t) => sum + t.durationMs, 0));
        return [
            `  <testsuite name="${name}" package="${name}" id="${id}" timestamp="${timestamp}" hostname="${host}" tests="${tests.length}" failures="${tests.filter((t) => t.status === 'failed').length}" errors="${tests.filter((t) => t.status === 'errored').length}" skipped="0" time="${time}">`,
            '    <properties/>',
            ...tests.map(testcase),
            '    <system-out/>',
            '    <system-err/>',
            '  </testsuite>'
        ].join('\n');
    });
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join('\n')}${suites.length > 0 ? '\n' : ''}</testsuites>\n`;
}

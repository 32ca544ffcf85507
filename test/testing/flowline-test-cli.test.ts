/**
 * `flowline test` through the real CLI: passing and failing tests (the failure text against a
 * golden file), dead letters, expected failures, watermark steps, snapshots, the reporters (JUnit
 * validated against its XSD with xmllint), file errors and usage errors.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TestRunReport } from '../../protocol/pipeline-tests.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

const FIXTURES = join(REPO_ROOT, 'test', 'testing', 'fixtures');
const GOLDEN = join(REPO_ROOT, 'test', 'testing', 'golden');
const UPDATE_GOLDEN = process.env.FLOWLINE_UPDATE_GOLDEN === '1';

/** Durations change from run to run; everything else in a report must not. */
function withoutDurations(text: string): string {
    return text.replace(/\(\d+ ms\)/g, '(N ms)');
}

function assertGolden(name: string, actual: string): void {
    const path = join(GOLDEN, name);
    if (UPDATE_GOLDEN || !existsSync(path)) writeFileSync(path, actual);
    assert.equal(actual, readFileSync(path, 'utf8'), `differs from the golden file ${path} (FLOWLINE_UPDATE_GOLDEN=1 rewrites it)`);
}

/** A copy of the fixtures in a temporary folder (snapshots are written beside the test files). */
function fixtureCopy(): string {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-test-'));
    cpSync(FIXTURES, dir, { recursive: true });
    return dir;
}

async function jsonReport(args: string[], cwd?: string): Promise<{ code: number | null; report: TestRunReport; stderr: string }> {
    const result = await runCli(['test', ...args, '--reporter', 'json'], { cwd });
    return { code: result.code, report: JSON.parse(result.stdout) as TestRunReport, stderr: result.stderr };
}

describe('flowline test', () => {
    it('passes tests of rows, dead letters, tolerances and an expected failure, and exits 0', async () => {
        const result = await runCli(['test', 'test/testing/fixtures/passing.test.flow']);
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.match(result.stdout, /✓ only orders above 10 count/);
        assert.match(result.stdout, /✓ a bad row of the fixture file is a dead letter/);
        assert.match(result.stdout, /✓ dividing by zero fails the run/);
        assert.match(result.stdout, /3 tests: 3 passed, 0 failed, 0 errored/);
    });

    it('prints each failure with its expect line and a diff of the records, and exits 1', async () => {
        const result = await runCli(['test', 'test/testing/fixtures/failing.test.flow']);
        assert.equal(result.code, 1, result.stderr);
        assertGolden('failing.spec.txt', withoutDurations(result.stdout));
    });

    it('reports the failures as JSON with the expect line, expected and actual records', async () => {
        const { code, report } = await jsonReport(['test/testing/fixtures/failing.test.flow']);
        assert.equal(code, 1);
        assert.deepEqual([report.passed, report.failed, report.errored], [0, 2, 0]);
        const wrongTotal = report.tests.find((t) => t.name === 'a wrong total shows a diff')!;
        assert.equal(wrongTotal.failures.length, 1);
        const failure = wrongTotal.failures[0];
        assert.equal(failure.location.range.start.line + 1, 5);
        assert.match(failure.location.uri, /failing\.test\.flow$/);
        assert.equal(failure.expected, '{ country: "DE", total: 100.0, n: 2 }\n{ country: "FR", total: 12.5, n: 1 }\n{ country: "NL", total: 1.0, n: 1 }');
        assert.equal(failure.actual, '{ country: "DE", total: 90.0, n: 2 }\n{ country: "FR", total: 12.5, n: 1 }');
        // Coverage: the aggregate got records; the dead-letter sink (no bad row) did not.
        assert.ok(wrongTotal.coverage.reachedNodeIds.includes('Spend/perCountry/1-aggregate'), JSON.stringify(wrongTotal.coverage));
        assert.ok(wrongTotal.coverage.nodeIds.length >= wrongTotal.coverage.reachedNodeIds.length);
    });

    it('marks nodes no record reached as not covered', async () => {
        const { report } = await jsonReport(['test/testing/fixtures/passing.test.flow', '--filter', 'only orders above 10']);
        assert.equal(report.tests.length, 1);
        const { nodeIds, reachedNodeIds } = report.tests[0].coverage;
        assert.ok(nodeIds.includes('Spend/sink/1'), JSON.stringify(nodeIds));
        // No row was bad: the dead-letter sink got nothing.
        const deadLetterSink = nodeIds.find((id) => id.startsWith('Spend/sink/') && !reachedNodeIds.includes(id));
        assert.ok(deadLetterSink, `every sink was reached: ${JSON.stringify(reachedNodeIds)}`);
        assert.ok(reachedNodeIds.includes('Spend/source/orders'));
    });

    it('shows what a window emitted before and after each watermark step', async () => {
        const { code, report } = await jsonReport(['test/testing/fixtures/streaming.test.flow']);
        assert.equal(code, 0, JSON.stringify(report, null, 2));
        // The same test with the first step at the window's end: the window fires there already.
        const dir = fixtureCopy();
        try {
            const text = readFileSync(join(dir, 'streaming.test.flow'), 'utf8')
                .replace('then watermark 2026-01-01T10:00:59Z', 'then watermark 2026-01-01T10:01:00Z')
                .replace(/then watermark 2026-01-01T10:01:00Z\n(\s+expect perMinute = values)/, 'then watermark 2026-01-01T10:01:10Z\n$1');
            writeFileSync(join(dir, 'streaming.test.flow'), text);
            const early = await jsonReport(['streaming.test.flow'], dir);
            assert.equal(early.code, 1);
            const failures = early.report.tests[0].failures;
            assert.deepEqual(failures.map((f) => f.location.range.start.line + 1), [11], JSON.stringify(failures, null, 2));
            assert.match(failures[0].message, /expected no records, 1 arrived/);
            assert.equal(failures[0].actual, '{ user: 1, clicks: 2, minute: 2026-01-01T10:00:00Z }');
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it('writes a snapshot on the first run, compares with it after, and rewrites it with --update-snapshots', async () => {
        const dir = fixtureCopy();
        try {
            writeFileSync(join(dir, 'snap.test.flow'), [
                'import "shop.flow"',
                '',
                'test "spend per country" for Spend {',
                '    given orders = values({ id: 1, country: "DE", amount: 50.0 }, { id: 4, country: "FR", amount: 12.5 }, { id: 5, country: "DE", amount: 0.25 })',
                '    expect perCountry matches snapshot',
                '}',
                ''
            ].join('\n'));
            const first = await jsonReport(['snap.test.flow'], dir);
            assert.equal(first.code, 0, JSON.stringify(first.report));
            assert.match(first.report.tests[0].message ?? '', /wrote snapshot/);
            const snapshotPath = (first.report.tests[0].message ?? '').match(/wrote snapshot (\S+)/)![1];
            assert.equal(readFileSync(snapshotPath, 'utf8'), '{"country":"DE","total":50,"n":1}\n{"country":"FR","total":12.5,"n":1}\n');

            const second = await jsonReport(['snap.test.flow'], dir);
            assert.equal(second.code, 0);
            assert.equal(second.report.tests[0].message, undefined);

            writeFileSync(snapshotPath, '{"country":"DE","total":49,"n":1}\n{"country":"FR","total":12.5,"n":1}\n');
            const changed = await jsonReport(['snap.test.flow'], dir);
            assert.equal(changed.code, 1);
            const failure = changed.report.tests[0].failures[0];
            assert.equal(failure.location.range.start.line + 1, 5);
            assert.match(failure.diff, /- \{ country: "DE", total: 49\.0, n: 1 \}\n\+ \{ country: "DE", total: 50\.0, n: 1 \}\n {4}total: expected 49\.0, got 50\.0/);
            assert.match(failure.message, /--update-snapshots/);

            const updated = await jsonReport(['snap.test.flow', '--update-snapshots'], dir);
            assert.equal(updated.code, 0);
            assert.equal(readFileSync(snapshotPath, 'utf8'), '{"country":"DE","total":50,"n":1}\n{"country":"FR","total":12.5,"n":1}\n');
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it('prints exactly one TestRunReport with --reporter json', async () => {
        const result = await runCli(['test', 'test/testing/fixtures', '--reporter', 'json']);
        assert.equal(result.code, 1);
        const report = JSON.parse(result.stdout) as TestRunReport;
        assert.equal(report.tests.length, 7);
        assert.deepEqual([report.passed, report.failed, report.errored], [5, 2, 0]);
        for (const test of report.tests) {
            assert.match(test.id, /^file:\/\/.*\.test\.flow::/);
            assert.equal(typeof test.durationMs, 'number');
        }
    });

    it('writes JUnit XML that the Apache Ant JUnit schema accepts', async (t) => {
        try {
            execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
        } catch {
            // .ci/run installs xmllint (libxml2-utils): in CI a missing one is a failure, not a skip.
            assert.ok(!process.env.CI, 'xmllint is missing in CI: .ci/run should have installed libxml2-utils');
            t.skip('xmllint is not installed (apt-get install libxml2-utils)');
            return;
        }
        const result = await runCli(['test', 'test/testing/fixtures', '--reporter', 'junit']);
        assert.equal(result.code, 1);
        const dir = mkdtempSync(join(tmpdir(), 'flowline-junit-'));
        try {
            const file = join(dir, 'report.xml');
            writeFileSync(file, result.stdout);
            execFileSync('xmllint', ['--noout', '--schema', join(REPO_ROOT, 'test', 'testing', 'schema', 'JUnit.xsd'), file], { stdio: 'pipe' });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
        assert.equal((result.stdout.match(/<testcase /g) ?? []).length, 7);
        assert.equal((result.stdout.match(/<failure /g) ?? []).length, 2);
        assert.match(result.stdout, /<testsuite name="test\/testing\/fixtures\/failing\.test\.flow"[^>]* tests="2" failures="2" errors="0"/);
    });

    it('writes TAP with a YAML block per failure', async () => {
        const result = await runCli(['test', 'test/testing/fixtures/failing.test.flow', 'test/testing/fixtures/passing.test.flow', '--reporter', 'tap']);
        assert.equal(result.code, 1);
        const lines = result.stdout.split('\n');
        assert.deepEqual(lines.slice(0, 2), ['TAP version 14', '1..5']);
        assert.equal(lines.filter((l) => /^not ok \d+ - /.test(l)).length, 2);
        assert.equal(lines.filter((l) => /^ok \d+ - /.test(l)).length, 3);
        assert.match(result.stdout, /not ok 1 - test\/testing\/fixtures\/failing\.test\.flow > a wrong total shows a diff\n {2}---\n/);
        assert.match(result.stdout, / {4}at: "test\/testing\/fixtures\/failing\.test\.flow:5:5"/);
    });

    it('prints the errors of a file whose tests cannot be built as file:line:column and exits 1', async () => {
        const dir = fixtureCopy();
        try {
            writeFileSync(join(dir, 'broken.test.flow'), 'import "shop.flow"\n\ntest "unknown stream" for Spend {\n    given orders = values({ id: 1, country: "DE", amount: 50.0 })\n    expect perCountri is empty\n}\n');
            const result = await runCli(['test', 'broken.test.flow'], { cwd: dir });
            assert.equal(result.code, 1);
            assert.match(result.stderr, /broken\.test\.flow:5:\d+: error /);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it('exits 2 for an unknown reporter or a path that does not exist', async () => {
        const reporter = await runCli(['test', 'test/testing/fixtures', '--reporter', 'xml']);
        assert.equal(reporter.code, 2);
        const missing = await runCli(['test', 'no/such/folder']);
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /no\/such\/folder: no such file or folder/);
    });
});

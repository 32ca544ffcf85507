/**
 * The examples' own tests (`examples/**\/*.test.flow`) pass, run as a user runs them:
 * `flowline test examples`.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import type { TestRunReport } from '../../protocol/pipeline-tests.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

function testFiles(folder: string): string[] {
    return readdirSync(folder, { withFileTypes: true }).flatMap((e) => {
        const path = join(folder, e.name);
        if (e.isDirectory()) return testFiles(path);
        return e.name.endsWith('.test.flow') ? [path] : [];
    });
}

it('every test of the examples passes under flowline test', async () => {
    const files = testFiles(join(REPO_ROOT, 'examples'));
    assert.ok(files.length > 0, 'the examples have no .test.flow file');
    const result = await runCli(['test', 'examples', '--reporter', 'json']);
    const report = JSON.parse(result.stdout) as TestRunReport;
    const troubled = report.tests.filter((t) => t.status !== 'passed').map((t) => `${t.name}: ${t.message ?? t.failures.map((f) => `${f.message}\n${f.diff}`).join('\n')}`);
    assert.deepEqual(troubled, [], result.stderr);
    assert.equal(result.code, 0, result.stderr);
    // Every test file contributed tests.
    const filesWithTests = new Set(report.tests.map((t) => fileURLToPath(t.file)));
    for (const file of files) assert.ok(filesWithTests.has(file), `${file} ran no test`);
});

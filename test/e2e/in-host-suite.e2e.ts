/**
 * The in-host mocha suite (test/vscode/suite) run inside code-server's extension host, where
 * @vscode/test-electron has no VS Code desktop to launch: a small runner extension starts it
 * once the workbench is open and writes the outcome to a file this test reads.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bundleInHostSuite, packageInHostRunner } from '../vscode/bundle-suite.js';
import type { InHostResult } from '../vscode/host-runner/extension.js';
import { ARTIFACTS, CodeServer } from './harness/code-server.js';
import { STEP_TIMEOUT, Workbench } from './harness/workbench.js';

let server: CodeServer;
let workbench: Workbench;
const resultFile = join(ARTIFACTS, 'in-host-result.json');

before(async () => {
    rmSync(resultFile, { force: true });
    const [suite, runner] = await Promise.all([bundleInHostSuite(), packageInHostRunner()]);
    server = await CodeServer.start({
        name: 'in-host',
        trust: false,
        workspace: [['test/e2e/fixtures', '.']],
        extraExtensions: [runner],
        env: { FLOWLINE_IN_HOST_SUITE: suite, FLOWLINE_IN_HOST_RESULT: resultFile }
    });
    // The extension host starts when a window connects.
    workbench = await Workbench.open(server.workbenchUrl, 'in-host');
});

after(async () => {
    await workbench?.close();
    await server?.stop();
});

test('the in-host suite passes inside code-server\'s extension host', { timeout: 5 * STEP_TIMEOUT }, async () => {
    const deadline = Date.now() + 4 * STEP_TIMEOUT;
    while (!existsSync(resultFile) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 500));
    assert.ok(existsSync(resultFile), 'the in-host runner wrote its result');
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as InHostResult;
    console.log(result.output.join('\n'));
    assert.ok(result.passed, result.error);
});

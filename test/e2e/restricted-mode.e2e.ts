/**
 * The extension in an untrusted folder (Workspace Trust on, Restricted Mode): language
 * features work, running is disabled and says why, and the commands that act on the cluster or
 * on a run's results (Start/Stop Local Cluster, Stop Job, Open Results) are not offered; pipeline
 * tests are listed but do not run. Screenshots go to
 * test/.artifacts/e2e/screenshots/restricted/.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CodeServer } from './harness/code-server.js';
import { STEP_TIMEOUT, Workbench } from './harness/workbench.js';

let server: CodeServer;
let workbench: Workbench;

before(async () => {
    server = await CodeServer.start({
        name: 'restricted',
        trust: true,
        workspace: [
            ['test/e2e/fixtures/broken.flow', 'broken.flow'],
            ['test/e2e/fixtures/live-orders.flow', 'live-orders.flow'],
            ['test/e2e/fixtures/testing', 'testing']
        ]
    });
    workbench = await Workbench.open(server.workbenchUrl, 'restricted');
});

after(async () => {
    await workbench?.close();
    await server?.stop();
});

test('in Restricted Mode diagnostics still work', { timeout: 2 * STEP_TIMEOUT }, () => workbench.step('restricted-diagnostics', async () => {
    await workbench.openFile('broken.flow');
    await workbench.runCommand('Problems: Focus on Problems View');
    await workbench.page.locator('.markers-panel .monaco-list-row', { hasText: "Unknown field 'amont'" }).waitFor({ timeout: STEP_TIMEOUT });
}));

test('in Restricted Mode Run is disabled and explains why, and neither Debug nor Deploy to Flink is offered', { timeout: 2 * STEP_TIMEOUT }, () => workbench.step('restricted-run-disabled', async () => {
    await workbench.openFile('live-orders.flow');
    const disabled = workbench.editor().locator('.codelens-decoration a', { hasText: 'Run disabled in Restricted Mode' }).first();
    await disabled.waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(await workbench.editor().locator('.codelens-decoration a', { hasText: /^\W*Run$/ }).count(), 0, 'no Run CodeLens');
    assert.equal(await workbench.editor().locator('.codelens-decoration a', { hasText: /^\W*Debug$/ }).count(), 0, 'no Debug CodeLens');
    assert.equal(await workbench.editor().locator('.codelens-decoration a', { hasText: /Deploy to Flink/ }).count(), 0, 'no Deploy to Flink CodeLens');
    await disabled.click();
    await workbench.notifications('Running pipelines is disabled in Restricted Mode').first().waitFor({ timeout: STEP_TIMEOUT });
    await workbench.screenshot('run-disabled');
    // The palette's Run Pipeline is disabled too (its enablement is isWorkspaceTrusted).
    await workbench.page.keyboard.press('Escape');
    await workbench.page.keyboard.press('F1');
    await workbench.page.locator('.quick-input-widget input').fill('>Flowline:');
    // The list has settled once the other Flowline commands are offered.
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Flowline: Show Job Graph' }).waitFor({ timeout: STEP_TIMEOUT });
    for (const title of ['Run Pipeline', 'Debug Pipeline', 'Deploy to Flink', 'Peek Records', 'Stop Job', 'Open Results', 'Start Local Cluster', 'Stop Local Cluster']) {
        assert.equal(await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: `Flowline: ${title}` }).count(), 0,
            `${title} is not offered in the command palette`);
    }
    await workbench.screenshot('palette-without-run-commands');
    await workbench.page.keyboard.press('Escape');
}));

test('in Restricted Mode the Cluster and Jobs views offer no Start/Stop Local Cluster, Stop Job or Open Results', { timeout: 2 * STEP_TIMEOUT }, () => workbench.step('restricted-view-actions', async () => {
    await workbench.runCommand('Flowline: Focus on Jobs View');
    const jobsHeader = workbench.viewPane('Jobs').locator('.pane-header');
    const clusterHeader = workbench.viewPane('Cluster').locator('.pane-header');
    await jobsHeader.waitFor({ timeout: STEP_TIMEOUT });
    await clusterHeader.hover();
    await workbench.screenshot('views-without-run-actions');
    for (const [header, title] of [[clusterHeader, 'Start Local Cluster'], [clusterHeader, 'Stop Local Cluster'], [jobsHeader, 'Open Results']] as const) {
        assert.equal(await header.locator(`.action-label[aria-label^="${title}"]`).count(), 0, `${title} is not offered in the view's title bar`);
    }
}));

test('in Restricted Mode pipeline tests are listed in the Testing view but none runs, and the CodeLens says why', { timeout: 3 * STEP_TIMEOUT }, () => workbench.step('restricted-tests', async () => {
    const { page } = workbench;
    await workbench.openFile('testing/spend.test.flow');
    await workbench.editor().locator('.codelens-decoration a', { hasText: 'Tests disabled in Restricted Mode' }).first().waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(await workbench.editor().locator('.codelens-decoration a', { hasText: /Run Test|Debug Test/ }).count(), 0, 'no Run Test or Debug Test CodeLens');
    await workbench.runCommand('Testing: Focus on Test Explorer View');
    const explorer = page.locator('.test-explorer');
    await explorer.locator('.monaco-list-row', { hasText: 'spend.test.flow' }).first().waitFor({ timeout: STEP_TIMEOUT });
    await workbench.runCommand('Test: Run All Tests');
    // VS Code itself asks for trust before any test runs; declining runs none.
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Running tests may execute code in your workspace' });
    await dialog.waitFor({ timeout: STEP_TIMEOUT });
    await workbench.screenshot('tests-ask-for-trust');
    await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
    await dialog.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT });
    await workbench.screenshot('tests-not-run');
    assert.equal(await explorer.locator('.codicon-testing-passed-icon, .codicon-testing-failed-icon, .codicon-testing-error-icon').count(), 0, 'no test has a result');
}));

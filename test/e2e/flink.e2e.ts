/**
 * The Flink target in a real VS Code (code-server + Chromium) against a real local Flink 2.3.0
 * session cluster: Show Flink SQL opens the generated SQL beside the pipeline; Deploy to Flink
 * submits a streaming pipeline through the SQL Gateway; the Cluster view shows the Flink
 * TaskManager's slots holding the job's subtasks and the Jobs view its vertices and subtasks,
 * as Flink's REST API reports them; Show Job Graph draws its vertices; Cancel Flink Job ends it. The Cluster view's screenshot is
 * docs/images/flink-cluster-view.png.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FlinkRestClient } from '../../flink/src/rest/flink-rest-client.js';
import { flinkClusterForTests } from '../support/flink-cluster.js';
import { ROOT, CodeServer } from './harness/code-server.js';
import { STEP_TIMEOUT, Workbench } from './harness/workbench.js';

let server: CodeServer;
let workbench: Workbench;
let flink: Awaited<ReturnType<typeof flinkClusterForTests>>;
let rest: FlinkRestClient;
let jobId: string | undefined;

before(async () => {
    flink = await flinkClusterForTests();
    rest = new FlinkRestClient(flink.restUrl);
    server = await CodeServer.start({
        name: 'flink',
        trust: false,
        workspace: [['test/e2e/fixtures/flink-orders.flow', 'flink-orders.flow']]
    });
    // The workspace names the test's Flink (the settings users set for a remote one).
    mkdirSync(join(server.folder, '.vscode'), { recursive: true });
    writeFileSync(join(server.folder, '.vscode', 'settings.json'), JSON.stringify({
        'flowline.flink.restUrl': flink.restUrl,
        'flowline.flink.sqlGatewayUrl': flink.sqlGatewayUrl
    }, null, 2));
    workbench = await Workbench.open(server.workbenchUrl, 'flink');
});

after(async () => {
    // Whatever happened, the test's job does not outlive it.
    if (jobId) await rest.cancel(jobId).catch(() => undefined);
    await workbench?.close();
    await server?.stop();
});

/** Waits until Flink's REST API reports the job in one of `states`; the state, or undefined at the timeout. */
async function waitForState(jid: string, states: string[], timeoutMs: number): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const { state } = await rest.job(jid);
        if (states.includes(state)) return state;
        await new Promise((done) => setTimeout(done, 500));
    }
    return undefined;
}

/** Waits until Flink's REST API reports the job in `state`. */
async function jobState(jid: string, state: string): Promise<void> {
    if (await waitForState(jid, [state], STEP_TIMEOUT)) return;
    assert.fail(`Flink job ${jid} is ${(await rest.job(jid)).state}, not ${state}`);
}

test('Show Flink SQL opens the pipeline\'s Flink SQL beside it, read-only', { timeout: 2 * STEP_TIMEOUT }, () => workbench.step('show-flink-sql', async () => {
    await workbench.openFile('flink-orders.flow');
    // The command finds the pipelines through the language server: wait until it answers (the
    // CodeLenses show), and ask again if the first request raced its start.
    await workbench.codeLens('Deploy to Flink', 'FlinkOrders');
    const tab = workbench.page.locator('.tab', { hasText: 'flink-orders.FlinkOrders.sql' });
    for (let attempt = 1; ; attempt++) {
        await workbench.runCommand('Flowline: Show Flink SQL');
        if (await tab.first().waitFor({ timeout: 20_000 }).then(() => true, () => attempt >= 3)) break;
    }
    await tab.first().waitFor({ timeout: STEP_TIMEOUT });
    const sqlEditor = workbench.page.locator('.part.editor .monaco-editor[data-uri^="flowline-flink-sql:"]').first();
    await sqlEditor.locator('.view-line', { hasText: 'CREATE TEMPORARY TABLE' }).first().waitFor({ timeout: STEP_TIMEOUT });
    const text = (await sqlEditor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /'connector'\s*=\s*'datagen'/);
    assert.match(text, /INSERT INTO/);
    assert.match(text, /`amount` > 50/);
    await workbench.screenshot('flink-sql');
    // Read-only: typing changes nothing.
    await sqlEditor.click();
    await workbench.page.keyboard.type('xyz');
    assert.doesNotMatch(await sqlEditor.locator('.view-lines').innerText(), /xyz/);
    await workbench.runCommand('View: Close All Editors');
}));

test('Deploy to Flink runs the pipeline on Flink; the Cluster view shows the TaskManager\'s slots holding its subtasks, the Jobs view its vertices, the job graph a box per vertex; Cancel Flink Job ends it', { timeout: 5 * STEP_TIMEOUT }, () => workbench.step('deploy-to-flink', async () => {
    await workbench.openFile('flink-orders.flow');
    // A deploy is not idempotent: the click is retried only until its progress notification
    // shows (a retry after a slow deploy, waiting for the result, submitted the job twice).
    const deploying = workbench.notifications(/Deploying FlinkOrders to Flink|Deployed FlinkOrders to Flink/);
    await workbench.clickCodeLens('Deploy to Flink', 'FlinkOrders', deploying);
    const deployed = workbench.notifications(/Deployed FlinkOrders to Flink as job [0-9a-f]{32}/);
    await deployed.first().waitFor({ timeout: STEP_TIMEOUT });
    jobId = /job ([0-9a-f]{32})/.exec(await deployed.first().innerText())![1];
    await jobState(jobId, 'RUNNING');

    // Jobs view: the Flink cluster's job, RUNNING, with its vertex and subtasks.
    await workbench.treeRows('Jobs', /^Flink 2\.3\.0/).first().waitFor({ timeout: STEP_TIMEOUT });
    await workbench.treeRows('Jobs', /^FlinkOrders\s*RUNNING/).first().waitFor({ timeout: STEP_TIMEOUT });
    const details = await rest.job(jobId);
    const subtaskRows = workbench.treeRows('Jobs', /^#\d+\s*RUNNING/);
    await subtaskRows.nth(details.vertices.reduce((n, v) => n + v.parallelism, 0) - 1).waitFor({ timeout: STEP_TIMEOUT });
    for (const vertex of details.vertices) {
        await workbench.treeRows('Jobs', new RegExp(`p=${vertex.parallelism} · ${vertex.parallelism} RUNNING`)).first().waitFor({ timeout: STEP_TIMEOUT });
    }

    // Cluster view: the real TaskManager, its slots: two hold subtask #0 and #1 of the job, the rest are free.
    const [tm] = await rest.taskManagers();
    const tmDetails = await rest.taskManager(tm.id);
    await workbench.runCommand('Flowline: Focus on Cluster View');
    await workbench.treeRows('Cluster', /^Flink 2\.3\.0/).first().waitFor({ timeout: STEP_TIMEOUT });
    await workbench.treeRows('Cluster', new RegExp(`^${tm.id.replace(/[.]/g, '\\.')}`)).first().waitFor({ timeout: STEP_TIMEOUT });
    const held = workbench.treeRows('Cluster', /FlinkOrders #\d · RUNNING/);
    await held.nth(1).waitFor({ timeout: STEP_TIMEOUT });
    const heldTexts = await held.allInnerTexts();
    assert.equal(heldTexts.length, tmDetails.allocatedSlots?.length, `slots holding subtasks: ${heldTexts.join(' | ')}`);
    assert.ok(heldTexts.some((t) => /#0 · RUNNING/.test(t)) && heldTexts.some((t) => /#1 · RUNNING/.test(t)), heldTexts.join(' | '));
    const free = await workbench.treeRows('Cluster', /^Slot \d+\s*free/).count();
    assert.equal(free, tm.freeSlots, 'the free slots Flink reports');
    const shot = await workbench.screenshot('flink-cluster-view');
    mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
    copyFileSync(shot, join(ROOT, 'docs', 'images', 'flink-cluster-view.png'));

    // Show Job Graph on the job row: a box per Flink vertex, with its state.
    await workbench.runCommand('Flowline: Focus on Jobs View');
    const graphRow = workbench.treeRows('Jobs', /^FlinkOrders\s*RUNNING/).first();
    let frame;
    for (let attempt = 1; ; attempt++) {
        await graphRow.hover();
        await graphRow.locator('.action-label[aria-label^="Show Job Graph"]').click();
        frame = await workbench.webviewFrame('.graph-node').then((f) => f, (err: unknown) => { if (attempt >= 3) throw err; return undefined; });
        if (frame) break;
    }
    await frame.locator('.graph-node.state-running').nth(details.vertices.length - 1).waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(await frame.locator('.graph-node').count(), details.vertices.length, 'a box per Flink vertex');
    await workbench.screenshot('flink-job-graph');

    // Cancel Flink Job, the job row's inline action. The view redraws at every poll (2 s), and a
    // click on a row being replaced is lost: click again until Flink is canceling the job.
    await workbench.runCommand('Flowline: Focus on Jobs View');
    const jobRow = workbench.treeRows('Jobs', /^FlinkOrders\s*RUNNING/).first();
    for (let attempt = 1; ; attempt++) {
        await jobRow.hover();
        await jobRow.locator('.action-label[aria-label^="Cancel Flink Job"]').click();
        const state = await waitForState(jobId, ['CANCELLING', 'CANCELED'], 10_000);
        if (state || attempt >= 3) break;
    }
    await jobState(jobId, 'CANCELED');
    await workbench.treeRows('Jobs', /^FlinkOrders\s*CANCELED/).first().waitFor({ timeout: STEP_TIMEOUT });
    await workbench.screenshot('flink-job-canceled');
    jobId = undefined;
}));

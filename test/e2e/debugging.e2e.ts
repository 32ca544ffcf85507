/**
 * Debugging and Peek Records in a real VS Code (code-server + Chromium), used as a user would:
 * a debug session started from the Debug CodeLens stops at a gutter breakpoint and shows the
 * record in the Variables view; Peek Records shows a running streaming job's records. Screenshots
 * land in test/.artifacts/e2e/screenshots/debugging/ (the docs' images are copies of two of them).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { CodeServer } from './harness/code-server.js';
import { STEP_TIMEOUT, Workbench } from './harness/workbench.js';

let server: CodeServer;
let workbench: Workbench;

/** The 1-based line of the workspace file where `text` first appears (after the line with `after`, when given). */
function lineOf(file: string, text: string, after?: string): number {
    const lines = readFileSync(join(server.folder, file), 'utf8').split('\n');
    const from = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
    return lines.findIndex((l, i) => i >= from && l.includes(text)) + 1;
}

/** The records a Peek Records view shows: its columns by header, one object per row. */
function peekedRows(frame: Frame): Promise<Record<string, string>[]> {
    return frame.evaluate(() => {
        const headers = Array.from(document.querySelectorAll('#head th')).map((th) => th.textContent ?? '');
        return Array.from(document.querySelectorAll('#rows tr')).map((tr) =>
            Object.fromEntries(Array.from(tr.querySelectorAll('td')).map((td, i) => [headers[i], td.textContent ?? ''])));
    });
}

before(async () => {
    server = await CodeServer.start({
        name: 'debugging',
        trust: false,
        workspace: [
            ['test/e2e/fixtures/live-orders.flow', 'live-orders.flow'],
            ['test/e2e/fixtures/debug-orders.flow', 'debug-orders.flow']
        ]
    });
    workbench = await Workbench.open(server.workbenchUrl, 'debugging');
});

after(async () => {
    await workbench?.close();
    await server?.stop();
});

test('Peek Records on a running streaming job shows its records with their subtask, filters with a checked .flow expression, pauses, and works from a graph edge', { timeout: 4 * STEP_TIMEOUT }, () => workbench.step('peek-records', async () => {
    const { page } = workbench;
    await workbench.openFile('live-orders.flow');
    await workbench.clickCodeLens('Run', 'EndlessOrders', workbench.treeRows('Jobs', /EndlessOrders/), lineOf('live-orders.flow', 'pipeline EndlessOrders'));
    await workbench.treeRows('Jobs', /EndlessOrders.*RUNNING/).first().waitFor({ timeout: STEP_TIMEOUT });

    // The CodeLens appears above the streams of the running pipeline.
    const peek = await workbench.codeLens('Peek Records', 'stream big in EndlessOrders', lineOf('live-orders.flow', 'stream big = orders', 'pipeline EndlessOrders'));
    await peek.click();
    const frame = await workbench.webviewFrame('#rows');
    await frame.waitForFunction(() => document.querySelectorAll('#rows tr').length >= 3, undefined, { timeout: STEP_TIMEOUT });
    const first = await peekedRows(frame);
    assert.deepEqual(Object.keys(first[0]), ['#', 'subtask', 'id', 'customer', 'amount']);
    // `stream big` keeps the orders above 50: every sampled record is one of them.
    assert.ok(first.every((r) => Number(r.amount) > 50 && /^\d+$/.test(r.subtask)), JSON.stringify(first.slice(0, 5)));

    // A misspelt field is the type checker's message, not an empty table.
    const filter = frame.locator('#filter');
    await filter.fill('amout > 80');
    await filter.press('Enter');
    await frame.locator('#filter-errors:not([hidden])', { hasText: 'amout' }).waitFor({ timeout: STEP_TIMEOUT });
    assert.match(await frame.locator('#filter-errors').innerText(), /amount/, 'the message suggests the field');

    await filter.fill('amount > 75 and customer != "ada"');
    await filter.press('Enter');
    await frame.locator('#title', { hasText: 'where amount > 75' }).waitFor({ timeout: STEP_TIMEOUT });
    await frame.waitForFunction(() => document.querySelectorAll('#rows tr').length >= 4, undefined, { timeout: STEP_TIMEOUT });
    const filtered = await peekedRows(frame);
    assert.ok(filtered.every((r) => Number(r.amount) > 75 && r.customer !== 'ada'), JSON.stringify(filtered));
    await workbench.screenshot('peek-records');

    // Paused, the table stands still while the job goes on.
    await frame.locator('#pause').click();
    await frame.locator('#banner', { hasText: 'Paused' }).waitFor({ timeout: STEP_TIMEOUT });
    const pausedCount = await frame.locator('#rows tr').count();
    await page.waitForTimeout(1500);
    assert.equal(await frame.locator('#rows tr').count(), pausedCount);
    await frame.locator('#pause', { hasText: 'Resume' }).click();
    await frame.waitForFunction((n) => document.querySelectorAll('#rows tr').length > n, pausedCount, { timeout: STEP_TIMEOUT });
    await workbench.runCommand('View: Close Editor');

    // A click on an edge of the running job's graph peeks at the records on that edge.
    await workbench.openFile('live-orders.flow');
    await (await workbench.codeLens('Show Graph', 'EndlessOrders', lineOf('live-orders.flow', 'pipeline EndlessOrders'))).click();
    const graph = await workbench.webviewFrame('.graph-edge.peekable');
    await graph.locator('.graph-edge.peekable').first().click();
    const edgeView = await workbench.webviewFrame('#title:has-text("the output of")');
    await edgeView.waitForFunction(() => document.querySelectorAll('#rows tr').length >= 2, undefined, { timeout: STEP_TIMEOUT });
    await workbench.screenshot('peek-records-edge');

    // The view says when the tap ends with its job.
    await workbench.runCommand('Flowline: Stop Job');
    await edgeView.locator('#banner', { hasText: 'The tap ended' }).waitFor({ timeout: STEP_TIMEOUT });
    await workbench.runCommand('View: Close All Editors');
}));

/**
 * Debugging and Peek Records in a real VS Code (code-server + Chromium), used as a user would:
 * a debug session started from the Debug CodeLens stops at a gutter breakpoint and shows the
 * record in the Variables view; Peek Records shows a running streaming job's records. Screenshots
 * land in test/.artifacts/e2e/screenshots/debugging/ (the docs' images are copies of two of them).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
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
            ['test/e2e/fixtures/tapped-orders.flow', 'tapped-orders.flow'],
            ['test/e2e/fixtures/debug-orders.flow', 'debug-orders.flow']
        ]
    });
    workbench = await Workbench.open(server.workbenchUrl, 'debugging');
});

// A failed step can leave a debug session paused or editors open: the next test starts clean.
afterEach(async () => {
    await workbench.page.keyboard.press('Escape');
    await workbench.page.keyboard.press('Shift+F5');
    await workbench.runCommand('View: Close All Editors').catch(() => undefined);
});

after(async () => {
    await workbench?.close();
    await server?.stop();
});

/** Clicks the editor's gutter (glyph margin) beside the line that contains `text`. */
async function clickGutter(text: string): Promise<void> {
    const line = workbench.editor().locator('.view-line', { hasText: text }).first();
    await line.waitFor({ timeout: STEP_TIMEOUT });
    const lineBox = (await line.boundingBox())!;
    const glyphs = (await workbench.editor().locator('.margin .glyph-margin').first().boundingBox())!;
    await workbench.page.mouse.move(glyphs.x + glyphs.width / 2, lineBox.y + lineBox.height / 2);
    await workbench.page.mouse.click(glyphs.x + glyphs.width / 2, lineBox.y + lineBox.height / 2);
}

/** Where the mouse rests on `word` in the editor line containing `lineText` (page coordinates). */
async function wordPosition(lineText: string, word: string): Promise<[number, number]> {
    // No named functions in here: the test runner's transpiler would wrap them in a helper the page lacks.
    const at = await workbench.page.evaluate(([lineText, word]) => {
        // Monaco draws spaces as no-break spaces.
        const line = Array.from(document.querySelectorAll('.part.editor .view-line'))
            .find((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(lineText));
        const walker = line && document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker?.nextNode(); node; node = walker!.nextNode()) {
            const index = (node.textContent ?? '').replace(/\u00a0/g, ' ').indexOf(word);
            if (index < 0) continue;
            const range = document.createRange();
            range.setStart(node, index);
            range.setEnd(node, index + word.length);
            const r = range.getBoundingClientRect();
            return [r.x + r.width / 2, r.y + r.height / 2] as [number, number];
        }
        return undefined;
    }, [lineText, word] as const);
    assert.ok(at, `"${word}" is drawn on the line "${lineText}"`);
    return at;
}

/** A debug toolbar button (Continue, Step Over, Stop...). */
function debugAction(title: string): Locator {
    return workbench.page.locator(`.debug-toolbar .action-label[aria-label^="${title}"]`);
}

test('Debug from the CodeLens stops at a gutter breakpoint with the record in the Variables view, shows a field on hover, steps over to the next operator and continues to the end', { timeout: 5 * STEP_TIMEOUT }, () => workbench.step('debug-breakpoint', async () => {
    const { page } = workbench;
    await workbench.openFile('debug-orders.flow');
    await workbench.codeLens('Debug', 'DebugOrders');
    await clickGutter('| filter amount > 20');
    await workbench.editor().locator('.codicon-debug-breakpoint').first().waitFor({ timeout: STEP_TIMEOUT });

    await workbench.clickCodeLens('Debug', 'DebugOrders', debugAction('Step Over'));
    // Paused on the filter: the Record scope holds the record's fields.
    const variables = workbench.viewPane('Variables');
    await variables.locator('.monaco-list-row', { hasText: /^Record$/ }).first().click();
    await variables.locator('.monaco-list-row', { hasText: /^amount/ }).first().waitFor({ timeout: STEP_TIMEOUT });
    const fields = await variables.locator('.monaco-list-row').allInnerTexts();
    for (const field of ['id', 'customer', 'amount']) assert.ok(fields.some((row) => row.startsWith(field)), `${field} among ${fields.join(' | ')}`);
    const amount = /amount\s*[:=]?\s*([\d.]+)/.exec(fields.find((row) => row.startsWith('amount'))!.replace(/\n/g, ' '))?.[1];
    assert.ok(amount, `a value for amount in ${fields.join(' | ')}`);
    // The call stack is the record's path: the filter, then the source that read it.
    const callStack = workbench.viewPane('Call Stack');
    const frames = callStack.locator('.monaco-list-row', { hasText: /debug-orders\.flow/ });
    /** The frames of the stopped thread (expanded if VS Code left it collapsed). */
    const frameShown = async (name: RegExp, reason: RegExp): Promise<void> => {
        const frame = frames.filter({ hasText: name }).first();
        if (await frame.waitFor({ timeout: 10_000 }).then(() => true, () => false)) return;
        await callStack.locator('.monaco-list-row', { hasText: reason }).first().click();
        await page.keyboard.press('ArrowRight');
        await frame.waitFor({ timeout: STEP_TIMEOUT });
    };
    await frameShown(/filter/, /PAUSED ON BREAKPOINT/i);

    // Hovering the field in the editor shows the value the debugger evaluates.
    // (The breakpoint's inline marker sits between `|` and `filter`.)
    await page.mouse.move(...await wordPosition('filter amount > 20', 'amount'));
    const hover = page.locator('.debug-hover-widget, .monaco-hover', { hasText: amount });
    await hover.first().waitFor({ timeout: STEP_TIMEOUT });
    await workbench.screenshot('debug-breakpoint');
    await page.mouse.move(700, 700);

    // Step Over: the record moves on and the job pauses where it arrives next, the aggregate. (With
    // the breakpoint still set, the next order reaching the filter would stop the job first.)
    await workbench.runCommand('Remove All Breakpoints');
    await debugAction('Step Over').click();
    await frameShown(/aggregate/, /PAUSED ON STEP/i);
    await variables.locator('.monaco-list-row', { hasText: /^Key$/ }).first().waitFor({ timeout: STEP_TIMEOUT });
    await workbench.screenshot('debug-step-over');

    // Without breakpoints, Continue runs the job to its end.
    await debugAction('Continue').click();
    await workbench.runCommand('Debug Console: Focus on Debug Console View');
    await page.locator('.repl', { hasText: 'Job FINISHED' }).waitFor({ timeout: STEP_TIMEOUT });
    await debugAction('Step Over').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT });
    await workbench.screenshot('debug-finished');
}));

test('F5 in a .flow file without a launch.json asks which pipeline when the cursor is in none, and debugs it to its end', { timeout: 3 * STEP_TIMEOUT }, () => workbench.step('debug-f5', async () => {
    const { page } = workbench;
    await workbench.openFile('debug-orders.flow');
    // Line 1 is the file's comment, in no pipeline.
    await workbench.goToLine(1);
    await page.keyboard.press('F5');
    const pick = page.locator('.quick-input-widget');
    await pick.locator('.quick-input-list .monaco-list-row', { hasText: 'DebugCustomers' }).waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(await pick.locator('.quick-input-list .monaco-list-row', { hasText: 'DebugOrders' }).count(), 1);
    await workbench.screenshot('debug-f5-which-pipeline');
    await pick.locator('.quick-input-list .monaco-list-row', { hasText: 'DebugCustomers' }).click();
    await workbench.runCommand('Debug Console: Focus on Debug Console View');
    await page.locator('.repl', { hasText: /Debugging pipeline DebugCustomers[\s\S]*Job FINISHED/ }).waitFor({ timeout: STEP_TIMEOUT });
}));

test('Peek Records on a running streaming job shows its records with their subtask, filters with a checked .flow expression, pauses, and works from a graph edge', { timeout: 4 * STEP_TIMEOUT }, () => workbench.step('peek-records', async () => {
    const { page } = workbench;
    await workbench.openFile('tapped-orders.flow');
    // One click: a second one would start a second job (the cluster may take a while to start).
    await (await workbench.codeLens('Run', 'LiveOrders')).click();
    await workbench.treeRows('Jobs', /LiveOrders.*RUNNING/).first().waitFor({ timeout: 2 * STEP_TIMEOUT });
    await workbench.runCommand('View: Hide Panel');

    // The CodeLens appears above the streams of the running pipeline.
    const peek = await workbench.codeLens('Peek Records', 'stream big in LiveOrders', lineOf('tapped-orders.flow', 'stream big = orders'));
    await peek.click();
    const frame = await workbench.webviewFrame('#rows');
    await frame.waitForFunction(() => document.querySelectorAll('#rows tr').length >= 3, undefined, { timeout: STEP_TIMEOUT });
    const first = await peekedRows(frame);
    assert.deepEqual(Object.keys(first[0]), ['#', 'subtask', 'id', 'customer', 'amount']);
    // `stream big` keeps the orders above 50: every sampled record is one of them.
    assert.ok(first.every((r) => Number(r.amount) > 50 && /^[01]$/.test(r.subtask)), JSON.stringify(first.slice(0, 5)));
    // Both source subtasks (parallelism 2) produce records.
    await frame.waitForFunction(() => new Set(Array.from(document.querySelectorAll('#rows td.subtask')).map((td) => td.textContent)).size === 2,
        undefined, { timeout: STEP_TIMEOUT });

    // A misspelt field is the type checker's message, not an empty table.
    const filter = frame.locator('#filter');
    await filter.fill('amout > 80');
    await filter.press('Enter');
    await frame.locator('#filter-errors:not([hidden])', { hasText: 'amout' }).waitFor({ timeout: STEP_TIMEOUT });
    assert.match(await frame.locator('#filter-errors').innerText(), /amount/, 'the message suggests the field');

    await filter.fill('amount > 75 and customer != "ada"');
    await filter.press('Enter');
    await frame.locator('#status', { hasText: 'where amount > 75' }).waitFor({ timeout: STEP_TIMEOUT });
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

    // A click on an edge of the running job's graph peeks at the records on that edge. The graph
    // redraws with every metrics update, so the mouse clicks where the edge's label is drawn.
    await workbench.openFile('tapped-orders.flow');
    await (await workbench.codeLens('Show Graph', 'LiveOrders')).click();
    const graph = await workbench.webviewFrame('.graph-edge.peekable');
    const label = await graph.evaluate(() => {
        const r = document.querySelector('.graph-edge.peekable[data-source-node="LiveOrders/big/0-filter"] .graph-edge-label')?.getBoundingClientRect();
        return r && { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    });
    assert.ok(label, 'the edge from the filter to the sink is drawn');
    const frameBox = (await (await graph.frameElement()).boundingBox())!;
    await page.mouse.click(frameBox.x + label.x, frameBox.y + label.y);
    const edgeView = await workbench.webviewFrame('#title:has-text("filter in stream big")');
    await edgeView.waitForFunction(() => document.querySelectorAll('#rows tr').length >= 2, undefined, { timeout: STEP_TIMEOUT });
    await workbench.screenshot('peek-records-edge');

    // The view says when the tap ends with its job.
    await workbench.runCommand('Flowline: Stop Job');
    await edgeView.locator('#banner', { hasText: 'The tap ended' }).waitFor({ timeout: STEP_TIMEOUT });
    await workbench.runCommand('View: Close All Editors');
}));

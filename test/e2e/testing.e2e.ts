/**
 * Pipeline tests in a real VS Code (code-server + Chromium), used as a user would: the Testing
 * view lists the tests of a workspace (the word-count example's, and test/e2e/fixtures/testing:
 * one test passes, one has a deliberately wrong expectation) grouped by file and pipeline; Run All runs them with the bundled
 * CLI; the failing test's diff opens at its `expect` line; the operator no test reached is marked
 * in the pipeline file. The screenshot of the failure is docs/images/testing-view.png.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CodeServer, ROOT } from './harness/code-server.js';
import { STEP_TIMEOUT, Workbench } from './harness/workbench.js';

const PASSING = 'orders above 10 are summed per country';
const FAILING = 'small orders count towards the total';

let server: CodeServer;
let workbench: Workbench;

before(async () => {
    server = await CodeServer.start({
        name: 'testing',
        trust: false,
        workspace: [
            ['test/e2e/fixtures/testing', '.'],
            ['examples/word-count/word-count.flow', 'word-count/word-count.flow'],
            ['examples/word-count/word-count.test.flow', 'word-count/word-count.test.flow']
        ]
    });
    workbench = await Workbench.open(server.workbenchUrl, 'testing');
});

after(async () => {
    await workbench?.close();
    await server?.stop();
});

/** The 1-based line of a workspace file where `text` first appears after the line containing `after`. */
function lineOf(file: string, text: string, after = ''): number {
    const lines = readFileSync(join(server.folder, file), 'utf8').split('\n');
    const from = lines.findIndex((l) => l.includes(after));
    return lines.findIndex((l, i) => i >= from && l.includes(text)) + 1;
}

test('the Testing view lists the tests by file and pipeline; running them shows the wrong expectation failing with its diff at the expect line and marks the operator no test reached', { timeout: 6 * STEP_TIMEOUT }, () => workbench.step('testing-view', async () => {
    const { page } = workbench;
    await workbench.openFile('spend.test.flow');
    // The CodeLens above each test block comes from the discovered tests.
    await workbench.codeLens('Run Test', FAILING);

    await workbench.runCommand('Testing: Focus on Test Explorer View');
    const explorer = page.locator('.test-explorer');
    // hasText with a string is a case-insensitive substring ('Spend' would match 'spend.test.flow'): pipelines by pattern.
    const row = (text: string | RegExp) => explorer.locator('.monaco-list-row', { hasText: text }).first();
    await row('spend.test.flow').waitFor({ timeout: STEP_TIMEOUT });
    // Expand file → pipeline → tests.
    for (const label of ['spend.test.flow', /^Spend\s*pipeline/]) {
        const r = row(label);
        if (await r.getAttribute('aria-expanded') === 'false') await r.locator('.monaco-tl-twistie').click();
    }
    await row(PASSING).waitFor({ timeout: STEP_TIMEOUT });
    await row(FAILING).waitFor({ timeout: STEP_TIMEOUT });
    // The example's tests too, found on disk (its files are not open).
    const exampleText = readFileSync(join(server.folder, 'word-count/word-count.test.flow'), 'utf8');
    const exampleTests = [...exampleText.matchAll(/^test "([^"]+)"/gm)].map((m) => m[1]);
    const examplePipelines = [...new Set([...exampleText.matchAll(/^test "[^"]+" for (\w+)/gm)].map((m) => m[1]))];
    assert.ok(exampleTests.length > 0, 'the example has tests');
    for (const label of ['word-count.test.flow', ...examplePipelines.map((p) => new RegExp(`^${p}\\s*pipeline`))]) {
        const r = row(label);
        await r.waitFor({ timeout: STEP_TIMEOUT });
        if (await r.getAttribute('aria-expanded') === 'false') await r.locator('.monaco-tl-twistie').click();
    }
    for (const name of exampleTests) await row(name).waitFor({ timeout: STEP_TIMEOUT });

    await workbench.runCommand('Test: Run All Tests');
    await row(FAILING).locator('.codicon-testing-failed-icon').waitFor({ timeout: 2 * STEP_TIMEOUT });
    await row(PASSING).locator('.codicon-testing-passed-icon').waitFor({ timeout: STEP_TIMEOUT });
    for (const name of exampleTests) await row(name).locator('.codicon-testing-passed-icon').waitFor({ timeout: STEP_TIMEOUT });

    // VS Code opens the failure's message where it points: the expect line, with Expected/Actual.
    const expectLine = lineOf('spend.test.flow', 'expect perCountry', FAILING);
    const peek = page.locator('.part.editor .peekview-widget').filter({ visible: true }).first();
    if (!(await peek.waitFor({ timeout: 15_000 }).then(() => true, () => false))) {
        await row(FAILING).dblclick();
    }
    await peek.waitFor({ timeout: STEP_TIMEOUT });
    await assert.doesNotReject(peek.locator('.monaco-diff-editor').first().waitFor({ timeout: STEP_TIMEOUT }), 'the message is shown as a diff');
    const diffText = (await peek.locator('.monaco-diff-editor').first().innerText()).replace(/\u00a0/g, ' ');
    assert.match(diffText, /55/, `the expected records: ${diffText}`);
    assert.match(diffText, /50/, `the actual records: ${diffText}`);
    // The peek sits under the expect line: that line is the last one drawn above the widget.
    const peekTop = (await peek.boundingBox())!.y;
    const lineAbove = await page.evaluate((top) => {
        const lines = Array.from(document.querySelectorAll('.part.editor .monaco-editor[data-uri] .view-line'))
            .filter((l) => l.getBoundingClientRect().bottom <= top + 1 && !l.closest('.peekview-widget'))
            .sort((a, b) => b.getBoundingClientRect().bottom - a.getBoundingClientRect().bottom);
        return (lines[0]?.textContent ?? '').replace(/\u00a0/g, ' ');
    }, peekTop);
    assert.equal(lineAbove.trim(), readFileSync(join(server.folder, 'spend.test.flow'), 'utf8').split('\n')[expectLine - 1].trim());
    const shot = await workbench.screenshot('testing-view');
    mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
    copyFileSync(shot, join(ROOT, 'docs', 'images', 'testing-view.png'));

    // Coverage: the refunds map, and the sink after it, saw no record in either test.
    await page.keyboard.press('Escape');
    await workbench.openFile('spend.flow');
    // The mark's text is drawn by CSS after the line (an ::after pseudo-element), so it is read
    // from the computed style. Monaco draws spaces as no-break spaces.
    const markedLines = (): Promise<string[]> => page.evaluate(() => Array.from(document.querySelectorAll('.part.editor .monaco-editor[data-uri] .view-line'))
        .filter((line) => Array.from(line.querySelectorAll('span')).some((span) => getComputedStyle(span, '::after').content.includes('not reached by any test')))
        .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ').trim()));
    const deadline = Date.now() + STEP_TIMEOUT;
    while ((await markedLines()).length < 2 && Date.now() < deadline) await page.waitForTimeout(250);
    const marked = await markedLines();
    assert.equal(marked.length, 2, `two lines marked: ${marked.join(' | ')}`);
    // Monaco's DOM order of lines is not their order in the file.
    for (const line of ['| map { id, refund: -amount }', 'sink refunds -> jsonl("out/refunds.jsonl")']) {
        assert.ok(marked.some((m) => m.startsWith(line)), `${line} is marked: ${marked.join(' | ')}`);
    }
    await workbench.screenshot('coverage-marks');
}));

/** Clicks the editor's gutter (glyph margin) beside the line that contains `text`: a breakpoint. */
async function clickGutter(text: string): Promise<void> {
    const line = workbench.editor().locator('.view-line', { hasText: text }).first();
    await line.waitFor({ timeout: STEP_TIMEOUT });
    const lineBox = (await line.boundingBox())!;
    const glyphs = (await workbench.editor().locator('.margin .glyph-margin').first().boundingBox())!;
    await workbench.page.mouse.move(glyphs.x + glyphs.width / 2, lineBox.y + lineBox.height / 2);
    await workbench.page.mouse.click(glyphs.x + glyphs.width / 2, lineBox.y + lineBox.height / 2);
}

test('Debug Test from the CodeLens stops at a breakpoint in the pipeline file on the test\'s given record, not on the CSV file\'s', { timeout: 4 * STEP_TIMEOUT }, () => workbench.step('debug-test', async () => {
    const { page } = workbench;
    await workbench.openFile('spend.flow');
    await clickGutter('| filter amount > 10.0');
    await workbench.editor().locator('.codicon-debug-breakpoint').first().waitFor({ timeout: STEP_TIMEOUT });
    await workbench.openFile('spend.test.flow');
    const stepOver = page.locator('.debug-toolbar .action-label[aria-label^="Step Over"]');
    await workbench.clickCodeLens('Debug Test', FAILING, stepOver);
    const variables = workbench.viewPane('Variables');
    await variables.locator('.monaco-list-row', { hasText: /^Record$/ }).first().click();
    await variables.locator('.monaco-list-row', { hasText: /^amount/ }).first().waitFor({ timeout: STEP_TIMEOUT });
    const fields = (await variables.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    // The test's first given order: 50.0.
    assert.ok(fields.some((f) => /^amount\s*[:=]?\s*50\b/.test(f)), fields.join(' | '));
    await workbench.screenshot('debug-test-stopped');
    await workbench.runCommand('Debug Console: Focus on Debug Console View');
    await page.locator('.repl', { hasText: `Debugging test "${FAILING}" of Spend` }).waitFor({ timeout: STEP_TIMEOUT });
    // The test gives two orders, so the job ends after the second stop; the CSV file has four,
    // and reading it would stop a third time.
    const continueButton = page.locator('.debug-toolbar .action-label[aria-label^="Continue"]');
    await continueButton.click();
    await variables.locator('.monaco-list-row', { hasText: /^amount\s*[:=]?\s*5\b/ }).first().waitFor({ timeout: STEP_TIMEOUT });
    await continueButton.click();
    await page.locator('.repl', { hasText: 'Job FINISHED' }).waitFor({ timeout: STEP_TIMEOUT });
    await stepOver.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT });
    await workbench.runCommand('Remove All Breakpoints');
}));

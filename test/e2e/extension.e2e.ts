/**
 * The extension in a real VS Code (code-server + Chromium), used as a user would: the packaged
 * .vsix is installed, an example folder opened (trusted), and each step leaves a screenshot in
 * test/.artifacts/e2e/screenshots/trusted/.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { runCli } from '../support/run-cli.js';
import { bigPipelineSource } from './harness/big-pipeline.js';
import { CodeServer } from './harness/code-server.js';
import { STEP_TIMEOUT, Workbench } from './harness/workbench.js';

let server: CodeServer;

/** Waits for a file the workbench writes (exports go through a save dialog). */
async function eventuallyExists(file: string): Promise<void> {
    const deadline = Date.now() + STEP_TIMEOUT;
    while (!existsSync(file)) {
        if (Date.now() > deadline) throw new Error(`${file} was not written.`);
        await new Promise((done) => setTimeout(done, 200));
    }
}

/** The 1-based line of the workspace file where `text` first appears. */
function lineOf(file: string, text: string): number {
    return readFileSync(join(server.folder, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}
let workbench: Workbench;

/**
 * How the drawn graph sits in its panel: the scale, boxes (partly) outside the visible canvas,
 * the smallest drawn text's on-screen size (Infinity when none is drawn), and whether it scrolls.
 */
function graphFit(frame: Frame): Promise<{ scale: number; nodes: number; outside: number; drawnTexts: number; smallestTextPx: number; scrolls: boolean }> {
    return frame.evaluate(() => {
        const canvas = document.getElementById('canvas')!;
        const view = canvas.getBoundingClientRect();
        const svg = canvas.querySelector('svg')!;
        const scale = Number(svg.getAttribute('data-scale'));
        const boxes = Array.from(document.querySelectorAll('.graph-node')).map((n) => n.getBoundingClientRect());
        const outside = boxes.filter((r) => r.left < view.left - 1 || r.right > view.right + 1 || r.top < view.top - 1 || r.bottom > view.bottom + 1).length;
        const drawn = Array.from(svg.querySelectorAll('text')).filter((t) => t.getAttribute('visibility') !== 'hidden' && t.textContent);
        return {
            scale, nodes: boxes.length, outside, drawnTexts: drawn.length,
            smallestTextPx: Math.min(...drawn.map((t) => Number(t.getAttribute('font-size')) * scale)),
            scrolls: canvas.scrollWidth > canvas.clientWidth || canvas.scrollHeight > canvas.clientHeight
        };
    });
}

before(async () => {
    server = await CodeServer.start({
        name: 'trusted',
        trust: false,
        workspace: [
            ['examples/word-count', '.'],
            ['test/e2e/fixtures/broken.flow', 'broken.flow'],
            ['test/e2e/fixtures/live-orders.flow', 'live-orders.flow'],
            ['test/e2e/fixtures/checkpointed-orders.flow', 'checkpointed-orders.flow'],
            ['test/e2e/fixtures/skipping.flow', 'skipping.flow'],
            ['test/e2e/fixtures/updating-orders.flow', 'updating-orders.flow'],
            ['test/e2e/fixtures/data/bad-orders.csv', 'data/bad-orders.csv']
        ]
    });
    // Generated before the workbench opens, so Quick Open already knows it.
    writeFileSync(join(server.folder, 'big-graph.flow'), bigPipelineSource(200));
    workbench = await Workbench.open(server.workbenchUrl, 'trusted');
});

after(async () => {
    await workbench?.close();
    await server?.stop();
});

test('the first file opened shows Run | Show Graph once the language server is ready, without any edit', { timeout: 2 * STEP_TIMEOUT }, () => workbench.step('first-file-shows-codelens', async () => {
        // Opening it activates the extension: VS Code asks for its CodeLenses before the server is up.
        await workbench.openFile('live-orders.flow');
        await workbench.codeLens('Run', 'SlowOrders');
        await workbench.codeLens('Show Graph', 'SlowOrders');
        await workbench.screenshot('first-file-codelens');
}));

test('a broken file shows its error in the Problems panel', { timeout: 2 * STEP_TIMEOUT }, () => workbench.step('a-broken-file-shows-its-error-in-the-pro', async () => {
        await workbench.openFile('broken.flow');
        await workbench.runCommand('Problems: Focus on Problems View');
        const problem = workbench.page.locator('.markers-panel .monaco-list-row', { hasText: "Unknown field 'amont'" });
        await problem.waitFor({ timeout: STEP_TIMEOUT });
        await workbench.screenshot('problems-panel');
        assert.match(await problem.innerText(), /amount/);
}));

test('completing a field name offers the fields of the upstream schema and fixes the error', { timeout: 2 * STEP_TIMEOUT }, () => workbench.step('completing-a-field-name-offers-the-field', async () => {
        const { page } = workbench;
        await workbench.goToLine(6);
        await page.keyboard.press('End');
        await page.keyboard.press('Shift+Home');
        await page.keyboard.type('| filter am');
        await workbench.completion('amount');
        await workbench.screenshot('completion');
        await page.keyboard.press('Enter');
        await page.keyboard.type(' > 0');
        await workbench.editor().locator('.view-line', { hasText: '| filter amount > 0' }).waitFor({ timeout: STEP_TIMEOUT });
        await page.locator('.markers-panel .monaco-list-row', { hasText: "Unknown field 'amont'" }).waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
}));

test('Show Graph draws the pipeline with a shape per node kind and ship strategies on the edges', { timeout: 2 * STEP_TIMEOUT }, () => workbench.step('show-graph-draws-the-pipeline-with-a-sha', async () => {
        await workbench.runCommand('View: Hide Panel');
        await workbench.openFile('word-count.flow');
        await (await workbench.codeLens('Show Graph', 'WordCount')).click();
        const frame = await workbench.webviewFrame('.graph-node');
        const labels = await frame.locator('.graph-node .graph-node-label').allTextContents();
        assert.ok(labels.some((l) => l.startsWith('source: lines')), `a source node among ${labels.join(', ')}`);
        assert.ok(labels.some((l) => l.startsWith('flatMap')), `a flatMap node among ${labels.join(', ')}`);
        assert.equal(await frame.locator('.graph-node.shape-source').count(), 1);
        assert.equal(await frame.locator('.graph-node.shape-sink').count(), 2);
        const edgeLabels = await frame.locator('.graph-edge-label').allTextContents();
        assert.ok(edgeLabels.includes('REBALANCE') && edgeLabels.includes('HASH'), `ship strategies ${edgeLabels.join(', ')}`);
        await workbench.screenshot('job-graph-logical');

        // The job graph chains forward edges of equal parallelism into tasks: fewer boxes.
        const logicalCount = await frame.locator('.graph-node').count();
        await frame.locator('.levels button[data-level="job"]').click();
        await frame.locator('.levels button[data-level="job"][aria-selected="true"]').waitFor();
        await frame.waitForFunction((n) => document.querySelectorAll('.graph-node').length < n, logicalCount);
        const jobCount = await frame.locator('.graph-node').count();
        await workbench.screenshot('job-graph-chained');
        // The execution graph has a box per subtask: more boxes than tasks (parallelism 2).
        await frame.locator('.levels button[data-level="execution"]').click();
        await frame.waitForFunction((n) => document.querySelectorAll('.graph-node').length > n, jobCount);
        await workbench.screenshot('job-graph-execution');
        // The execution graph is the widest: fitted to the panel, nothing runs off its edges.
        const fitted = await graphFit(frame);
        assert.equal(fitted.outside, 0, `every box inside the panel at ${fitted.scale}: ${JSON.stringify(fitted)}`);
        assert.ok(fitted.smallestTextPx >= 10.99, `no text below 11 px: ${JSON.stringify(fitted)}`);
        await frame.locator('.levels button[data-level="logical"]').click();

        // Export SVG: a standalone image with the theme colours resolved.
        await frame.locator('#export').click();
        await workbench.acceptSaveDialog();
        const svgFile = join(server.folder, 'WordCount.svg');
        await eventuallyExists(svgFile);
        const svg = readFileSync(svgFile, 'utf8');
        assert.match(svg, /^<\?xml/);
        assert.match(svg, /source: lines/);
        assert.doesNotMatch(svg, /var\(--/, 'theme variables are resolved');

        // A click on a node selects its source range in the editor.
        await frame.locator('.graph-node', { hasText: 'flatMap' }).first().click();
        await workbench.page.locator('.editor-group-container .monaco-editor .selected-text').first().waitFor({ timeout: STEP_TIMEOUT });
}));

test('Run from the CodeLens shows the subtasks RUNNING then FINISHED in the Jobs and Cluster views, and fills the results view', { timeout: 3 * STEP_TIMEOUT }, () => workbench.step('run-from-the-codelens-shows-the-subtasks', async () => {
        await workbench.openFile('live-orders.flow');
        await workbench.clickCodeLens('Run', 'SlowOrders', workbench.treeRows('Jobs', /SlowOrders/));
        await workbench.treeRows('Jobs', /RUNNING/).first().waitFor({ timeout: STEP_TIMEOUT });
        // A slot names the job and the subtask index it runs (slot sharing), with their state.
        await workbench.treeRows('Cluster', /SlowOrders #\d · RUNNING/).first().waitFor({ timeout: STEP_TIMEOUT });
        await workbench.screenshot('job-running');
        // In a trusted folder the views offer their actions (Restricted Mode hides them).
        await workbench.viewPane('Cluster').locator('.pane-header').hover();
        assert.equal(await workbench.viewPane('Cluster').locator('.pane-header .action-label[aria-label^="Stop Local Cluster"]').count(), 1);
        assert.equal(await workbench.viewPane('Jobs').locator('.pane-header .action-label[aria-label^="Open Results"]').count(), 1);
        await workbench.treeRows('Jobs', /SlowOrders.*FINISHED|FINISHED.*SlowOrders/).first().waitFor({ timeout: STEP_TIMEOUT });
        // Finished jobs give their slots back.
        await workbench.treeRows('Cluster', /^Slot \d+\s*free/).nth(3).waitFor({ timeout: STEP_TIMEOUT });
        const subtasks = await workbench.treeRows('Jobs', /^#\d+\s*(CREATED|SCHEDULED|DEPLOYING|INITIALIZING|RUNNING|FINISHED|CANCELING|CANCELED|FAILED)/).allInnerTexts();
        assert.ok(subtasks.length > 0 && subtasks.every((row) => row.includes('FINISHED')), `subtasks: ${subtasks.join(' | ')}`);
        const results = await workbench.webviewFrame('.result-count');
        await results.locator('.result-count:not([data-total="0"])').waitFor({ timeout: STEP_TIMEOUT });
        const total = Number(await results.locator('.result-count').first().getAttribute('data-total'));
        assert.ok(total > 0, 'the collect sink returned rows');
        assert.ok(await results.locator('tbody tr').count() > 0);
        await workbench.screenshot('job-finished-results');

        // Export CSV writes every row, with the schema as header.
        await results.locator('button[data-action="csv"]').first().click();
        await workbench.acceptSaveDialog();
        const csvFile = join(server.folder, 'SlowOrders-SlowOrders_sink_0.csv');
        await eventuallyExists(csvFile);
        const csv = readFileSync(csvFile, 'utf8').trim().split('\n');
        assert.equal(csv[0], 'id,customer,amount');
        assert.equal(csv.length - 1, total);

        // The job graph shows the finished job's state on its nodes.
        await (await workbench.codeLens('Show Graph', 'SlowOrders')).click();
        const graph = await workbench.webviewFrame('.graph-node.state-finished');
        assert.ok(await graph.locator('.graph-node.state-finished').count() >= 3);
        await workbench.screenshot('job-graph-finished-overlay');
}));

test('a job that skipped bad rows says so in the Jobs view and with a warning', { timeout: 2 * STEP_TIMEOUT }, () => workbench.step('a-job-that-skipped-bad-rows-says-so', async () => {
        await workbench.openFile('skipping.flow');
        await workbench.clickCodeLens('Run', 'SkippingOrders', workbench.treeRows('Jobs', /SkippingOrders/));
        await workbench.treeRows('Jobs', /SkippingOrders.*FINISHED.*1 row skipped/).first().waitFor({ timeout: STEP_TIMEOUT });
        await workbench.notifications(/SkippingOrders finished with 1 bad row skipped .*orders skipped 1 of 3 \(bad-orders\.csv\)/).first()
            .waitFor({ timeout: STEP_TIMEOUT });
        await workbench.screenshot('job-skipped-rows');
}));

test('a checkpointed job shows its Checkpoints section in the Jobs view: completed checkpoints, duration, size, and none in progress once finished', { timeout: 3 * STEP_TIMEOUT }, () => workbench.step('a-checkpointed-job-shows-its-checkpoints', async () => {
        await workbench.openFile('checkpointed-orders.flow');
        await workbench.clickCodeLens('Run', 'CheckpointedOrders', workbench.treeRows('Jobs', /CheckpointedOrders/));
        // While it runs, the section counts the checkpoints completed and names the last one.
        const section = workbench.treeRows('Jobs', /^Checkpoints\s*[1-9]\d* completed( · \d+ failed)? · last #\d+ .* ago/).first();
        await section.waitFor({ timeout: STEP_TIMEOUT });
        await workbench.expandTreeRow(workbench.treeRows('Jobs', /^Checkpoints/), workbench.treeRows('Jobs', /^Last completed\s*#\d+ · .* ago/));
        await workbench.treeRows('Jobs', /^Duration\s*\d+(\.\d+)?\s*(ms|s)/).first().waitFor({ timeout: STEP_TIMEOUT });
        await workbench.treeRows('Jobs', /^Size\s*\d+(\.\d+)? (B|KiB|MiB)/).first().waitFor({ timeout: STEP_TIMEOUT });
        await workbench.screenshot('checkpoints-running');
        // Finished: a checkpoint the end interrupted is counted failed, none stays in progress.
        await workbench.treeRows('Jobs', /CheckpointedOrders.*FINISHED|FINISHED.*CheckpointedOrders/).first().waitFor({ timeout: STEP_TIMEOUT });
        await workbench.treeRows('Jobs', /^Counts\s*[1-9]\d* completed · 0 in progress · \d+ failed/).first().waitFor({ timeout: STEP_TIMEOUT });
        await workbench.screenshot('checkpoints-finished');
}));

test('a collect sink of an updating stream shows its current table in the results view: one row per key, replaced in place while the job runs, with the count of changes; its export is that table', { timeout: 3 * STEP_TIMEOUT }, () => workbench.step('updating-table-in-the-results-view', async () => {
        // The reference: the same pipeline in batch mode, printed by the CLI (one final row per customer).
        const batchFile = join(tmpdir(), `flowline-e2e-updating-${process.pid}.flow`);
        writeFileSync(batchFile, readFileSync(join(server.folder, 'updating-orders.flow'), 'utf8').replace('-> collect', '-> print'));
        const batch = await runCli(['run', batchFile, '--mode', 'batch']);
        assert.equal(batch.code, 0, batch.stderr);
        const expected = batch.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l.replace(/^\d+> /, '')) as Record<string, unknown>);
        assert.equal(expected.length, 5);
        const orders = expected.reduce((n, row) => n + Number(row.orders), 0);

        await workbench.openFile('updating-orders.flow');
        await workbench.clickCodeLens('Run', 'OrdersPerCustomer', workbench.treeRows('Jobs', /OrdersPerCustomer/));
        const results = await workbench.webviewFrame('.updating');
        // While the job runs, the table keeps one row per customer and the count of changes grows.
        const finished = workbench.treeRows('Jobs', /OrdersPerCustomer.*FINISHED|FINISHED.*OrdersPerCustomer/).first();
        const changesSeen = new Set<number>();
        while (!await finished.isVisible()) {
            const changes = Number(await results.locator('.updating').first().getAttribute('data-changes'));
            if (changes > 0 && changes < orders) changesSeen.add(changes);
            assert.ok(await results.locator('tbody tr').count() <= expected.length, 'never more rows than customers');
            await new Promise((done) => setTimeout(done, 100));
        }
        assert.ok(changesSeen.size >= 2, `the table was updated while the job ran (changes seen: ${[...changesSeen].join(', ')})`);
        await workbench.screenshot('updating-table-running-then-finished');
        // Finished: every order was a change, and the table is the batch run's final rows.
        await results.locator(`.updating[data-changes="${orders}"]`).waitFor({ timeout: STEP_TIMEOUT });
        assert.match(await results.locator('.updating').first().innerText(), new RegExp(`updating table by customer · ${orders} changes`));
        assert.equal(await results.locator('tbody tr').count(), expected.length);

        // Export JSON writes the current table, not the changes.
        await results.locator('button[data-action="json"]').first().click();
        await workbench.acceptSaveDialog();
        const exported = () => readdirSync(server.folder).find((f) => f.startsWith('OrdersPerCustomer-') && f.endsWith('.json'));
        const deadline = Date.now() + STEP_TIMEOUT;
        while (!exported() && Date.now() < deadline) await new Promise((done) => setTimeout(done, 200));
        const file = exported();
        assert.ok(file, 'the export was written');
        const byCustomer = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => String(a.customer).localeCompare(String(b.customer)));
        const parse = () => { try { return JSON.parse(readFileSync(join(server.folder, file), 'utf8')) as Record<string, unknown>[]; } catch { return undefined; } };
        let table = parse();
        while (!table && Date.now() < deadline) { await new Promise((done) => setTimeout(done, 200)); table = parse(); }
        assert.deepEqual(byCustomer(table ?? []), byCustomer(expected));
}));

test('Stop Job cancels a streaming job', { timeout: 2 * STEP_TIMEOUT }, () => workbench.step('stop-job-cancels-a-streaming-job', async () => {
        await workbench.openFile('live-orders.flow');
        await workbench.clickCodeLens('Run', 'EndlessOrders', workbench.treeRows('Jobs', /EndlessOrders/),
            lineOf('live-orders.flow', 'pipeline EndlessOrders'));
        await workbench.treeRows('Jobs', /EndlessOrders.*RUNNING/).first().waitFor({ timeout: STEP_TIMEOUT });
        await workbench.screenshot('streaming-running');
        await workbench.runCommand('Flowline: Stop Job');
        await workbench.treeRows('Jobs', /EndlessOrders.*CANCELED/).first().waitFor({ timeout: STEP_TIMEOUT });
        await workbench.screenshot('streaming-canceled');
}));

test('a 200-operator graph fits the panel as an overview, zooms to readable labels and pans', { timeout: 3 * STEP_TIMEOUT }, () => workbench.step('a-200-operator-graph-fits-the-panel', async () => {
        // Opened from the Explorer: Quick Open did not find this generated file ("No matching
        // results"; the workspace lies in the gitignored test/.artifacts), the Explorer lists it.
        // Rows move when earlier steps' output files appear, so a click can land on a neighbour: retry.
        await workbench.runCommand('File: Focus on Files Explorer');
        const tab = workbench.page.locator('.editor-group-container.active .tab.active[data-resource-name="big-graph.flow"]');
        for (let attempt = 1; ; attempt++) {
            await workbench.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'big-graph.flow' }).click();
            try {
                await tab.waitFor({ timeout: 10_000 });
                break;
            } catch (err) {
                if (attempt >= 4) throw err;
            }
        }
        await (await workbench.codeLens('Show Graph', 'BigGraph')).click();
        const frame = await workbench.webviewFrame('.graph-node[data-node-id^="BigGraph/"]');
        await frame.locator('.levels button[data-level="logical"]').click();
        await frame.waitForFunction(() => document.querySelectorAll('.graph-node[data-node-id^="BigGraph/"]').length === 200, undefined, { timeout: STEP_TIMEOUT });

        // Fitted: the whole graph inside the panel; whatever text is drawn is at least 11 px.
        const overview = await graphFit(frame);
        assert.equal(overview.nodes, 200);
        assert.equal(overview.outside, 0, `every box inside the panel: ${JSON.stringify(overview)}`);
        assert.ok(overview.scale < 1, `a graph larger than the panel is shrunk (${overview.scale})`);
        assert.ok(overview.smallestTextPx >= 10.99, `no text below 11 px at fit: ${JSON.stringify(overview)}`);
        assert.ok(!overview.scrolls, 'a fitted graph needs no scroll bars');
        await workbench.screenshot('big-graph-fit');

        // Double-click a box: it zooms to 100 % around it, and its name is readable.
        await frame.locator('.graph-node.shape-source').dblclick();
        await frame.waitForFunction(() => Number(document.querySelector('#canvas svg')?.getAttribute('data-scale')) >= 1);
        const zoomed = await frame.evaluate(() => {
            const canvas = document.getElementById('canvas')!;
            const scale = Number(document.querySelector('#canvas svg')!.getAttribute('data-scale'));
            const source = document.querySelector('.graph-node.shape-source')!;
            const label = source.querySelector<SVGTextElement>('.graph-node-label')!;
            const box = source.getBoundingClientRect();
            const view = canvas.getBoundingClientRect();
            return {
                scale, label: label.textContent, visible: label.getAttribute('visibility') !== 'hidden',
                labelPx: Number(label.getAttribute('font-size')) * scale, labelHeight: label.getBoundingClientRect().height,
                inView: box.left >= view.left && box.right <= view.right && box.top >= view.top && box.bottom <= view.bottom,
                scrolls: canvas.scrollWidth > canvas.clientWidth || canvas.scrollHeight > canvas.clientHeight,
                zoomText: document.getElementById('zoom-level')!.textContent
            };
        });
        assert.ok(zoomed.visible && zoomed.label?.startsWith('source: orders'), JSON.stringify(zoomed));
        assert.ok(zoomed.labelPx >= 10.99 && zoomed.labelHeight >= 11, `the name is readable: ${JSON.stringify(zoomed)}`);
        assert.ok(zoomed.inView, 'the double-clicked box is in view');
        assert.ok(zoomed.scrolls, 'zoomed in, the graph scrolls');
        assert.equal(zoomed.zoomText, '100%');
        await workbench.screenshot('big-graph-zoomed-to-source');

        // Dragging pans.
        const canvasBox = (await frame.locator('#canvas').boundingBox())!;
        const scrollOf = (): Promise<[number, number]> => frame.evaluate(() => [document.getElementById('canvas')!.scrollLeft, document.getElementById('canvas')!.scrollTop] as [number, number]);
        const beforeDrag = await scrollOf();
        const [cx, cy] = [canvasBox.x + canvasBox.width / 2, canvasBox.y + canvasBox.height / 2];
        await workbench.page.mouse.move(cx, cy);
        await workbench.page.mouse.down();
        await workbench.page.mouse.move(cx - 60, cy - 120, { steps: 6 });
        await workbench.page.mouse.up();
        const afterDrag = await scrollOf();
        assert.ok(afterDrag[1] - beforeDrag[1] > 60, `dragging up scrolls down: ${beforeDrag} -> ${afterDrag}`);

        // Fit brings the whole graph back; Ctrl + wheel zooms in around the pointer.
        await frame.locator('#zoom-fit').click();
        assert.equal((await graphFit(frame)).outside, 0);
        await workbench.page.mouse.move(cx, cy);
        await workbench.page.keyboard.down('Control');
        await workbench.page.mouse.wheel(0, -300);
        await workbench.page.keyboard.up('Control');
        await frame.waitForFunction((s) => Number(document.querySelector('#canvas svg')?.getAttribute('data-scale')) > s * 1.2, overview.scale);
        const wheeled = await graphFit(frame);
        assert.ok(wheeled.smallestTextPx >= 10.99, `no text below 11 px after zooming: ${JSON.stringify(wheeled)}`);
        await frame.locator('#zoom-in').click();
        await frame.waitForFunction((s) => Number(document.querySelector('#canvas svg')?.getAttribute('data-scale')) > s * 1.2, wheeled.scale);
        await workbench.screenshot('big-graph-zoomed-in');
}));

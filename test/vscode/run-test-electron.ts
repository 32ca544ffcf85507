/**
 * Runs the in-host suite (test/vscode/suite) in VS Code desktop through @vscode/test-electron.
 * VS Code cannot be downloaded on every machine (not on our CI), so a desktop install is looked
 * for (VSCODE_EXECUTABLE, `code` on PATH, the usual install folders); without one the suite is
 * skipped with a message. The same suite runs inside code-server in the e2e tier
 * (test/e2e/in-host-suite.e2e.ts).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { bundleInHostSuite } from './bundle-suite.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

function findVsCode(): string | undefined {
    const candidates = [
        process.env.VSCODE_EXECUTABLE,
        '/usr/share/code/code', '/usr/bin/code', '/snap/bin/code',
        '/Applications/Visual Studio Code.app/Contents/MacOS/Electron',
        join(process.env.LOCALAPPDATA ?? '', 'Programs', 'Microsoft VS Code', 'Code.exe')
    ];
    for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
    try {
        const code = execFileSync('which', ['code'], { encoding: 'utf8' }).trim();
        return code || undefined;
    } catch {
        return undefined;
    }
}

const executable = findVsCode();
if (!executable) {
    console.log('test:vscode skipped: no VS Code desktop found (set VSCODE_EXECUTABLE to its binary to run the in-host suite here). '
        + 'The same suite runs in code-server with npm run test:e2e.');
    process.exit(0);
}
const suite = await bundleInHostSuite();
const workspace = join(ROOT, 'test', '.artifacts', 'vscode', 'workspace');
rmSync(workspace, { recursive: true, force: true });
mkdirSync(workspace, { recursive: true });
cpSync(join(ROOT, 'test', 'e2e', 'fixtures'), workspace, { recursive: true });
await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: suite,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(ROOT, 'test', '.artifacts', 'vscode', 'user-data')]
});

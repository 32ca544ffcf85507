/**
 * Builds what runs inside an extension host: the in-host suite as one CommonJS file
 * (test/.artifacts/vscode/suite.cjs; `vscode` and `mocha` stay external) and, for code-server,
 * the runner extension that starts it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Builds the suite and returns the bundle's path. */
export async function bundleInHostSuite(): Promise<string> {
    const outfile = join(ROOT, 'test', '.artifacts', 'vscode', 'suite.cjs');
    await esbuild.build({
        entryPoints: [join(ROOT, 'test', 'vscode', 'suite', 'index.ts')],
        bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile,
        external: ['vscode', 'mocha'], logLevel: 'warning'
    });
    return outfile;
}

/**
 * Packages the in-host runner extension (test/vscode/host-runner) as a .vsix for code-server,
 * which installs extensions from .vsix files only.
 */
export async function packageInHostRunner(): Promise<string> {
    const folder = join(ROOT, 'test', '.artifacts', 'vscode', 'host-runner');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(ROOT, 'test', 'vscode', 'host-runner', 'package.json'), join(folder, 'package.json'));
    await esbuild.build({
        entryPoints: [join(ROOT, 'test', 'vscode', 'host-runner', 'extension.ts')],
        bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: join(folder, 'extension.cjs'),
        external: ['vscode'], logLevel: 'warning'
    });
    const vsix = join(ROOT, 'test', '.artifacts', 'vscode', 'flowline-in-host-runner.vsix');
    execFileSync(join(ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix],
        { cwd: folder, stdio: 'pipe' });
    return vsix;
}

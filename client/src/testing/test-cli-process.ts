/**
 * Runs the bundled CLI (dist/cli.mjs, the program behind `flowline`) in a child process, for
 * `flowline test <file> [--filter <name>] --reporter json`: the tests execute
 * user functions, so they never run inside the extension host. Cancelling kills the process.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';

/** What the CLI printed and how it ended. */
export interface CliOutcome {
    stdout: string;
    stderr: string;
    /** The exit code; null when it was killed (cancelled). */
    code: number | null;
    cancelled: boolean;
}

/** How long a cancelled run may take to exit on SIGTERM before it is killed outright. */
const KILL_GRACE_MS = 2000;

/** The path of the bundled CLI, or an error saying the installation lacks it. */
export function bundledCliPath(extensionUri: vscode.Uri): string {
    const cli = vscode.Uri.joinPath(extensionUri, 'dist', 'cli.mjs').fsPath;
    if (!existsSync(cli)) {
        throw new Error(`The Flowline CLI is missing from this installation (${cli}); reinstall the extension or run "node scripts/build.mjs".`);
    }
    return cli;
}

/** Runs `flowline <args>` in `cwd` until it exits or `token` is cancelled. */
export function runCli(cliPath: string, args: string[], cwd: string | undefined, token: vscode.CancellationToken, log: vscode.OutputChannel): Promise<CliOutcome> {
    return new Promise((resolve) => {
        log.appendLine(`[test] flowline ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
        // The extension host's Node runs it; in VS Code desktop that binary is Electron, told to act as Node.
        const child = spawn(process.execPath, [cliPath, ...args], {
            cwd,
            env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
            stdio: ['ignore', 'pipe', 'pipe']
        });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        let cancelled = false;
        let killTimer: NodeJS.Timeout | undefined;
        const onCancel = token.onCancellationRequested(() => {
            cancelled = true;
            child.kill('SIGTERM');
            killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
        });
        let finished = false;
        // A process that cannot start emits 'error' and then 'close': report it once.
        const finish = (code: number | null, spawnError?: Error): void => {
            if (finished) return;
            finished = true;
            onCancel.dispose();
            if (killTimer) clearTimeout(killTimer);
            const err = Buffer.concat(stderr).toString('utf8') + (spawnError ? spawnError.message : '');
            if (err.trim()) log.appendLine(err.trimEnd());
            resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: err, code, cancelled });
        };
        child.once('error', (error) => finish(null, error));
        child.once('close', (code) => finish(code));
    });
}

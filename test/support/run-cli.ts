/**
 * Runs the real `flowline` command (bin/flowline.js over the built bundle), as a user would.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(REPO_ROOT, 'bin', 'flowline.js');

export interface CliResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs `flowline ...args` and collects its output. */
export function runCli(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...args], {
            cwd: options.cwd ?? REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe']
        });
        let stdout = '';
        let stderr = '';
        // Decoded as a stream: a character whose bytes the pipe splits between two chunks stays whole
        // (decoding each chunk alone turned such a 日 into replacement characters, now and then).
        child.stdout.setEncoding('utf8');
        child.stderr.setEncoding('utf8');
        child.stdout.on('data', (d: string) => { stdout += d; });
        child.stderr.on('data', (d: string) => { stderr += d; });
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
        child.stdin.end(options.input ?? '');
    });
}

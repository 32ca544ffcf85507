/**
 * Shared by the back-pressure tests: `flowline run <fixture> --rest-port 0` with a stdout nobody
 * reads yet (the pipe fills up and the job must wait for it), its REST API, and its one job's id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from '../support/run-cli.js';
import { FIXTURES } from './cluster-harness.js';

export interface UnreadRun {
    child: ChildProcess & { stdout: NodeJS.ReadableStream };
    api<T>(p: string): Promise<T>;
    jid: string;
}

export async function runWithUnreadStdout(fixture: string): Promise<UnreadRun> {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'flowline.js'), 'run', path.join(FIXTURES, fixture), '--rest-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    const hello = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: child.stderr }).once('line', resolve))) as { url: string; token: string };
    const api = async <T>(p: string): Promise<T> => (await (await fetch(`${hello.url}${p}`, { headers: { authorization: `Bearer ${hello.token}` } })).json()) as T;
    let jid: string | undefined;
    while (!jid) {
        jid = (await api<{ jobs: { id: string }[] }>('/jobs')).jobs[0]?.id;
        if (!jid) await sleep(50);
    }
    return { child, api, jid };
}

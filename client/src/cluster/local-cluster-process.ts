/**
 * The local cluster as a child Node process (dist/cluster.mjs), never inside the extension host.
 * It prints one JSON line ({@link ClusterHello}) on stdout once its REST API listens; anything on
 * stderr is kept so that a crash can be explained to the user.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import * as vscode from 'vscode';
import type { ClusterHello } from '../../../protocol/cluster-api.js';

/** How the cluster process is started. */
export interface LocalClusterOptions {
    modulePath: string;
    taskManagers: number;
    slotsPerTaskManager: number;
    restPort: number;
    cwd: string;
}

/** Why the cluster process went away. */
export interface ClusterExit {
    /** True when the user (or the extension) asked it to stop. */
    requested: boolean;
    code: number | null;
    signal: NodeJS.Signals | null;
    /** The last lines it wrote on stderr. */
    stderrTail: string[];
}

const STDERR_LINES_KEPT = 30;

/** One running cluster process. */
export class LocalClusterProcess implements vscode.Disposable {
    private readonly exitEmitter = new vscode.EventEmitter<ClusterExit>();
    /** Fires once when the process exits, for whatever reason. */
    readonly onExit = this.exitEmitter.event;
    private stopRequested = false;
    private readonly stderrTail: string[] = [];

    private constructor(private readonly child: ChildProcess, readonly hello: ClusterHello, log: vscode.OutputChannel) {
        child.stderr?.setEncoding('utf8');
        createInterface({ input: child.stderr! }).on('line', (line) => this.keepStderr(line, log));
        child.once('exit', (code, signal) => {
            this.exitEmitter.fire({ requested: this.stopRequested, code, signal, stderrTail: [...this.stderrTail] });
        });
    }

    /** Starts the process and resolves once it has printed its URL and token. */
    static start(options: LocalClusterOptions, log: vscode.OutputChannel): Promise<LocalClusterProcess> {
        const args = [
            '--taskmanagers', String(options.taskManagers),
            '--slots', String(options.slotsPerTaskManager),
            '--rest-port', String(options.restPort)
        ];
        // fork() runs the module with the extension host's Node; in VS Code desktop that binary
        // is Electron, which must be told to behave as plain Node.
        const child = fork(options.modulePath, args, {
            cwd: options.cwd,
            // stdin stays open: the cluster stops when it closes (the extension host went away).
            stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
            env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
            execArgv: []
        });
        log.appendLine(`[cluster] starting ${options.modulePath} ${args.join(' ')}`);
        return new Promise((resolve, reject) => {
            const stderr: string[] = [];
            const onStderr = (chunk: Buffer): void => { stderr.push(chunk.toString('utf8')); };
            child.stderr?.on('data', onStderr);
            const lines = createInterface({ input: child.stdout! });
            const fail = (why: string): void => {
                lines.close();
                child.kill();
                const detail = stderr.join('').trim();
                reject(new Error(`The local cluster did not start: ${why}${detail ? `\n${detail}` : ''}`));
            };
            const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null): void => {
                fail(`the process exited (${signal ?? `code ${String(code)}`}) before printing its REST URL.`);
            };
            child.once('exit', onEarlyExit);
            child.once('error', (err) => fail(err.message));
            lines.once('line', (line) => {
                child.off('exit', onEarlyExit);
                child.stderr?.off('data', onStderr);
                let hello: ClusterHello;
                try {
                    hello = JSON.parse(line) as ClusterHello;
                } catch {
                    fail(`its first line was not the expected JSON greeting: ${line.slice(0, 200)}`);
                    return;
                }
                if (typeof hello.url !== 'string' || typeof hello.token !== 'string') {
                    fail(`its greeting lacks "url" or "token": ${line.slice(0, 200)}`);
                    return;
                }
                // Later stdout lines are the cluster's own log.
                lines.on('line', (more) => log.appendLine(`[cluster] ${more}`));
                log.appendLine(`[cluster] listening on ${hello.url} (pid ${hello.pid}, ${hello.taskmanagers} TaskManagers x ${hello.slotsPerTaskManager} slots)`);
                resolve(new LocalClusterProcess(child, hello, log));
            });
        });
    }

    get running(): boolean { return this.child.exitCode === null && this.child.signalCode === null; }

    /** Stops the process (SIGTERM, then SIGKILL if it lingers). */
    stop(): Promise<void> {
        this.stopRequested = true;
        if (!this.running) return Promise.resolve();
        return new Promise((resolve) => {
            const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
            this.child.once('exit', () => { clearTimeout(timer); resolve(); });
            this.child.kill('SIGTERM');
        });
    }

    dispose(): void {
        void this.stop();
        this.exitEmitter.dispose();
    }

    private keepStderr(line: string, log: vscode.OutputChannel): void {
        log.appendLine(`[cluster] ${line}`);
        this.stderrTail.push(line);
        if (this.stderrTail.length > STDERR_LINES_KEPT) this.stderrTail.shift();
    }
}

/**
 * A real DAP client (@vscode/debugadapter-testsupport) talking over stdio to the adapter a user
 * runs: `node bin/flowline.js debug-adapter`, with helpers to launch a fixture pipeline, set
 * breakpoints by line, and read what a stop shows.
 */
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { REPO_ROOT } from '../support/run-cli.js';

export const FIXTURES = path.join(REPO_ROOT, 'test', 'debug-adapter', 'fixtures');
export const SHOP = path.join(FIXTURES, 'shop.flow');
const BIN = path.join(REPO_ROOT, 'bin', 'flowline.js');

/** The 1-based line of the first line of `file` containing `text`. */
export function lineOf(text: string, content: string): number {
    const index = content.split('\n').findIndex((l) => l.includes(text));
    if (index < 0) throw new Error(`No line contains ${text}`);
    return index + 1;
}

export class DapSession {
    readonly client: DebugClient;
    /** Every output event, in order. */
    readonly output: { category: string; text: string }[] = [];
    /** Stops not yet taken by nextStop(); the job's end. */
    private readonly stops: DebugProtocol.StoppedEvent[] = [];
    private terminated = false;
    private wake: (() => void) | undefined;

    private constructor() {
        // `exec` so that stopping the client stops the adapter itself, not a shell around it.
        this.client = new DebugClient(`exec "${process.execPath}"`, `"${BIN}" debug-adapter`, 'flowline', { shell: true, cwd: REPO_ROOT }, true);
        this.client.defaultTimeout = 30_000;
        this.client.on('output', (e: DebugProtocol.OutputEvent) => this.output.push({ category: e.body.category ?? 'console', text: e.body.output }));
        this.client.on('stopped', (e: DebugProtocol.StoppedEvent) => { this.stops.push(e); this.wake?.(); });
        this.client.on('terminated', () => { this.terminated = true; this.wake?.(); });
    }

    static async start(): Promise<DapSession> {
        const session = new DapSession();
        await session.client.start();
        await session.client.initializeRequest({ adapterID: 'flowline', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
        return session;
    }

    /**
     * Launches with `args` and sets `breakpoints` on `file` (and the exception filters) during
     * the configuration phase, as an editor does. Resolves with the breakpoints as the adapter
     * answered them; the launch response is awaited.
     */
    async launch(args: Record<string, unknown>, breakpoints: DebugProtocol.SourceBreakpoint[] = [], file = SHOP, exceptionFilters: string[] = []): Promise<DebugProtocol.Breakpoint[]> {
        const launched = this.client.launchRequest({ taskManagers: 2, slots: 2, ...args } as DebugProtocol.LaunchRequestArguments);
        await Promise.race([this.client.waitForEvent('initialized'), launched]);
        const answer = await this.client.setBreakpointsRequest({ source: { path: file }, breakpoints });
        await this.client.setExceptionBreakpointsRequest({ filters: exceptionFilters });
        await this.client.configurationDoneRequest();
        await launched;
        return answer.body.breakpoints;
    }

    /** The next stop, or undefined once the job ended without one. */
    async nextEvent(timeoutMs = 60_000): Promise<DebugProtocol.StoppedEvent | undefined> {
        const deadline = Date.now() + timeoutMs;
        while (this.stops.length === 0 && !this.terminated) {
            if (Date.now() > deadline) throw new Error(`No stop and no end within ${timeoutMs} ms; output so far:\n${this.output.map((o) => o.text).join('')}`);
            await new Promise<void>((resolve) => {
                this.wake = resolve;
                setTimeout(resolve, 200);
            });
        }
        return this.stops.shift();
    }

    /** Waits for the next stop; returns it with its stack. */
    async nextStop(): Promise<{ event: DebugProtocol.StoppedEvent; frames: DebugProtocol.StackFrame[] }> {
        const event = await this.nextEvent();
        if (!event) throw new Error(`The job ended without stopping; output:\n${this.output.map((o) => o.text).join('')}`);
        const frames = (await this.client.stackTraceRequest({ threadId: event.body.threadId! })).body.stackFrames;
        return { event, frames };
    }

    /** Whether the job ended (terminated event). */
    get ended(): boolean {
        return this.terminated;
    }

    /** The variables of every scope of the top frame, as `scope -> name -> { value, type, ref }`. */
    async scopes(frameId: number): Promise<Record<string, Record<string, { value: string; type?: string; ref: number }>>> {
        const result: Record<string, Record<string, { value: string; type?: string; ref: number }>> = {};
        for (const scope of (await this.client.scopesRequest({ frameId })).body.scopes) {
            result[scope.name] = await this.variables(scope.variablesReference);
        }
        return result;
    }

    async variables(ref: number): Promise<Record<string, { value: string; type?: string; ref: number }>> {
        const variables = (await this.client.variablesRequest({ variablesReference: ref })).body.variables;
        return Object.fromEntries(variables.map((v) => [v.name, { value: v.value, type: v.type, ref: v.variablesReference }]));
    }

    /** Continues past every stop until the job ends; returns how many stops there were. */
    async continueToEnd(): Promise<number> {
        let stops = 0;
        for (let next = await this.nextEvent(120_000); next; next = await this.nextEvent(120_000)) {
            stops += 1;
            await this.client.continueRequest({ threadId: next.body.threadId! });
        }
        return stops;
    }

    /** The lines the print sinks wrote (category stdout). */
    printed(): string[] {
        return this.output.filter((o) => o.category === 'stdout').flatMap((o) => o.text.split('\n')).filter((l) => l !== '');
    }

    /** The Debug Console text (category console). */
    console(): string {
        return this.output.filter((o) => o.category === 'console').map((o) => o.text).join('');
    }

    async stop(): Promise<void> {
        await this.client.stop();
    }
}

/** Runs `body` against a fresh adapter, which is stopped afterwards whatever happened. */
export async function withSession(body: (s: DapSession) => Promise<void>): Promise<void> {
    const session = await DapSession.start();
    try {
        await body(session);
    } finally {
        await session.stop();
    }
}

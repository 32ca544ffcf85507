/**
 * The Debug Adapter Protocol session of the `flowline` debug type: VS Code, nvim-dap, dap-mode or
 * any DAP client launches a .flow pipeline on the adapter's own local cluster and debugs it
 * record by record. Requests are translated to the runtime's JobDebugger (protocol/job-debugging.ts);
 * what a stop shows is built by StopInspector, breakpoints are resolved by BreakpointResolver.
 */
import {
    ExitedEvent, InitializedEvent, LoggingDebugSession, OutputEvent, Source, StoppedEvent, TerminatedEvent, BreakpointEvent
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DebugSettings, DebugStop, ExceptionStops } from '../../protocol/job-debugging.js';
import { BreakpointResolver, type ResolvedBreakpoint } from './breakpoint-resolver.js';
import { DebuggedJob } from './debugged-job.js';
import { LaunchError, loadDebuggedProgram, type DebuggedProgram } from './debugged-program.js';
import { describeTestDebugging, loadDebuggedTest, type DebuggedTest } from './debugged-test.js';
import { checkLaunchArguments, type FlowLaunchArguments } from './launch-arguments.js';
import { StopInspector } from './stop-inspector.js';
import { evaluateAtStop } from './stop-evaluation.js';

/** How long launch waits for the client's configurationDone before starting the job anyway. */
const CONFIGURATION_TIMEOUT_MS = 10_000;

export class FlowDebugSession extends LoggingDebugSession {
    private args: FlowLaunchArguments | undefined;
    private program: DebuggedProgram | DebuggedTest | undefined;
    private resolver: BreakpointResolver | undefined;
    private inspector: StopInspector | undefined;
    private job: DebuggedJob | undefined;
    private stopped: DebugStop | undefined;
    private readonly breakpoints = new Map<string, { requested: DebugProtocol.SourceBreakpoint[]; resolved: ResolvedBreakpoint[] }>();
    private exceptions: ExceptionStops = { operatorErrors: false, badRows: false };
    private nextBreakpointId = 1;
    private configured!: () => void;
    private readonly configurationDone = new Promise<void>((resolve) => { this.configured = resolve; });
    private ending: Promise<void> | undefined;

    constructor() {
        super();
        // LogicalGraph locations are 0-based, as in LSP.
        this.setDebuggerLinesStartAt1(false);
        this.setDebuggerColumnsStartAt1(false);
    }

    protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
        response.body = {
            supportsConfigurationDoneRequest: true,
            supportsConditionalBreakpoints: true,
            supportsHitConditionalBreakpoints: true,
            supportsLogPoints: true,
            supportsEvaluateForHovers: true,
            supportsRestartRequest: true,
            supportsTerminateRequest: true,
            supportsExceptionInfoRequest: true,
            exceptionBreakpointFilters: [
                { filter: 'operatorErrors', label: 'Operator errors', description: 'Stop where an expression, a user function or a sink throws, before the job fails.', default: false },
                { filter: 'badRows', label: 'Bad input rows', description: 'Stop where a source meets a row it cannot read, before it is skipped, dead-lettered or fails the job.', default: false }
            ]
        };
        this.sendResponse(response);
    }

    protected override async launchRequest(response: DebugProtocol.LaunchResponse, raw: DebugProtocol.LaunchRequestArguments): Promise<void> {
        try {
            const args = checkLaunchArguments(raw as Record<string, unknown>);
            this.args = args;
            await this.load(args);
            this.job = await DebuggedJob.start({ taskManagers: args.taskManagers, slots: args.slots, restPort: args.restPort });
            this.listen(this.job);
            if (this.job.rest) {
                this.console(`Flowline REST API of the debug cluster: ${this.job.rest.url} (token ${this.job.rest.server.token})`);
            }
            // Breakpoints can be resolved now: ask for them, then start once the client is done.
            this.sendEvent(new InitializedEvent());
            await Promise.race([this.configurationDone, new Promise((resolve) => setTimeout(resolve, CONFIGURATION_TIMEOUT_MS).unref())]);
            this.submit();
            this.sendResponse(response);
        } catch (error) {
            await this.job?.shutdown();
            this.job = undefined;
            this.fail(response, error);
        }
    }

    protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
        this.configured();
        this.sendResponse(response);
    }

    protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
        const path = args.source.path;
        const requested = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
        if (!path || !this.resolver) {
            response.body = { breakpoints: requested.map(() => ({ verified: false, message: 'No pipeline is being debugged yet.' })) };
            this.sendResponse(response);
            return;
        }
        const resolved = await this.resolve(path, requested);
        this.breakpoints.set(path, { requested, resolved });
        this.publish();
        response.body = { breakpoints: resolved.map((r) => this.toClient(r.dap, path)) };
        this.sendResponse(response);
    }

    protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
        this.exceptions = { operatorErrors: args.filters.includes('operatorErrors'), badRows: args.filters.includes('badRows') };
        this.publish();
        this.sendResponse(response);
    }

    protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
        response.body = { threads: this.inspector?.threads(this.job?.current?.executionGraph) ?? [] };
        this.sendResponse(response);
    }

    protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
        const frames = this.stopped && this.inspector ? this.inspector.stackFrames(this.stopped) : [];
        response.body = { stackFrames: frames, totalFrames: frames.length };
        this.sendResponse(response);
    }

    protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
        response.body = { scopes: this.stopped && this.inspector ? this.inspector.scopes(this.stopped, args.frameId) : [] };
        this.sendResponse(response);
    }

    protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
        response.body = { variables: this.inspector?.variables(args.variablesReference) ?? [] };
        this.sendResponse(response);
    }

    protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
        this.moveOn(() => this.job?.current?.debugger?.resume());
        response.body = { allThreadsContinued: true };
        this.sendResponse(response);
    }

    protected override nextRequest(response: DebugProtocol.NextResponse): void {
        this.moveOn(() => this.job?.current?.debugger?.stepOver());
        this.sendResponse(response);
    }

    protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
        const node = this.stopped && this.program?.graph.nodes.find((n) => n.id === this.stopped!.nodeId);
        if (node?.config.kind === 'udf') {
            this.console(`Step Into: ${basename(node.config.file)} ${node.config.exportName}() is a user function; Flowline cannot open it in Node's debugger ` +
                '(it runs in a TaskManager worker thread of this adapter, out of reach of a JavaScript debug session). Stepping over it instead: ' +
                'the record moves on to the next operator. To debug the function itself, call it from a test under Node\'s debugger.');
        }
        this.moveOn(() => this.job?.current?.debugger?.stepOver());
        this.sendResponse(response);
    }

    protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
        // A pipeline has no caller to return to: the record moves on, as with Continue.
        this.moveOn(() => this.job?.current?.debugger?.resume());
        this.sendResponse(response);
    }

    protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
        this.job?.current?.debugger?.pause();
        this.sendResponse(response);
    }

    protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
        if (!this.stopped || !this.program || !this.inspector) {
            this.fail(response, new Error('Expressions are evaluated on the record at a stop: the job is not stopped.'));
            return;
        }
        const result = await evaluateAtStop(this.program, this.stopped, args.expression);
        if ('error' in result) {
            this.fail(response, new Error(result.error));
            return;
        }
        const variable = this.inspector.variable({ name: args.expression, value: result.value, type: result.type });
        response.body = { result: variable.value, type: variable.type, variablesReference: variable.variablesReference };
        this.sendResponse(response);
    }

    protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
        const error = this.stopped?.error;
        if (!error) {
            this.fail(response, new Error('The job is not stopped at an exception.'));
            return;
        }
        const where = error.file !== undefined ? ` (${error.file}${error.line !== undefined ? `:${error.line}` : ''})` : '';
        response.body = {
            exceptionId: error.name, description: `${error.message}${where}`, breakMode: 'always',
            details: { message: error.message, typeName: error.name, ...(error.raw !== undefined ? { stackTrace: `raw row: ${error.raw}` } : {}) }
        };
        this.sendResponse(response);
    }

    protected override async restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments | undefined): Promise<void> {
        try {
            const next = args?.arguments ? checkLaunchArguments(args.arguments as Record<string, unknown>) : this.args!;
            this.clearStop();
            await this.job!.discard();
            this.args = { ...next, taskManagers: this.args!.taskManagers, slots: this.args!.slots, restPort: this.args!.restPort };
            // The file may have changed: check it again and move the breakpoints with it.
            await this.load(this.args);
            for (const [path, entry] of this.breakpoints) {
                entry.resolved = await this.resolve(path, entry.requested);
                for (const r of entry.resolved) this.sendEvent(new BreakpointEvent('changed', this.toClient(r.dap, path)));
            }
            this.console(`Restarting ${this.program!.graph.pipeline}.`);
            this.submit();
            this.sendResponse(response);
        } catch (error) {
            this.fail(response, error);
        }
    }

    protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
        this.clearStop();
        await this.job?.cancel();
        this.sendResponse(response);
    }

    protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
        await this.end();
        this.sendResponse(response);
        this.shutdown();
    }

    override shutdown(): void {
        void this.end().finally(() => super.shutdown());
    }

    /** Cancels the job and stops the cluster (once). */
    private end(): Promise<void> {
        this.clearStop();
        this.ending ??= (async () => {
            const job = this.job;
            this.job = undefined;
            await job?.shutdown();
        })();
        return this.ending;
    }

    private async load(args: FlowLaunchArguments): Promise<void> {
        this.program = args.test !== undefined ? await loadDebuggedTest(args.program, args.test) : await loadDebuggedProgram(args);
        this.resolver = new BreakpointResolver(this.program);
        const line = (n: number): number => this.convertDebuggerLineToClient(n);
        const column = (n: number): number => this.convertDebuggerColumnToClient(n);
        this.inspector = new StopInspector(this.program.graph, { line, column });
    }

    private resolve(path: string, requested: DebugProtocol.SourceBreakpoint[]): Promise<ResolvedBreakpoint[]> {
        const lines = requested.map((bp) => ({
            ...bp,
            line: this.convertClientLineToDebugger(bp.line) + 1,
            ...(bp.column !== undefined ? { column: this.convertClientColumnToDebugger(bp.column) + 1 } : {})
        }));
        return this.resolver!.resolve(path, lines, () => this.nextBreakpointId++);
    }

    /** A breakpoint as the client counts lines (the resolver counts from 1). */
    private toClient(dap: DebugProtocol.Breakpoint, path: string): DebugProtocol.Breakpoint {
        const line = dap.line === undefined ? undefined : this.convertDebuggerLineToClient(dap.line - 1);
        return { ...dap, line, source: new Source(basename(path), path) };
    }

    private settings(): DebugSettings {
        const breakpoints = [...this.breakpoints.values()].flatMap((e) => e.resolved.flatMap((r) => r.nodes));
        return { breakpoints, exceptions: this.exceptions };
    }

    /** Hands the current breakpoints to the running job (a paused subtask picks them up on resume). */
    private publish(): void {
        const debug = this.job?.current?.debugger;
        if (debug && !this.job!.current!.isTerminal) debug.update(this.settings());
    }

    private submit(): void {
        const job = this.job!.submit(this.program!.graph, this.settings(), this.args!.stopOnEntry ?? false);
        if ('plan' in this.program!) {
            for (const line of describeTestDebugging(this.program.plan)) this.console(line);
            return;
        }
        this.console(`Debugging pipeline ${this.program!.graph.pipeline} of ${basename(this.program!.path)} (${this.program!.graph.mode} mode, job ${job.id}).`);
    }

    private listen(job: DebuggedJob): void {
        job.on('stdout', (lines) => this.sendEvent(new OutputEvent(`${lines.join('\n')}\n`, 'stdout')));
        job.on('stderr', (text) => this.sendEvent(new OutputEvent(`${text}\n`, 'stderr')));
        job.on('log', (line) => {
            const event: DebugProtocol.OutputEvent = new OutputEvent(`${line.text}\n`, 'console');
            const node = this.program?.graph.nodes.find((n) => n.id === line.nodeId);
            if (node) {
                const file = fileURLToPath(node.location.uri);
                event.body.source = new Source(basename(file), file);
                event.body.line = this.convertDebuggerLineToClient(node.location.range.start.line);
            }
            this.sendEvent(event);
        });
        job.on('stopped', (stop) => {
            this.inspector?.reset();
            this.stopped = stop;
            const threadId = this.inspector?.threadOf(this.job?.current?.executionGraph, stop) ?? 1;
            const event: DebugProtocol.StoppedEvent = new StoppedEvent(stop.reason, threadId, stop.error?.message);
            event.body.allThreadsStopped = true;
            if (stop.breakpointIds.length > 0) event.body.hitBreakpointIds = stop.breakpointIds;
            if (stop.error) event.body.description = `${stop.error.name}: ${stop.error.message}`;
            this.sendEvent(event);
        });
        job.on('continued', () => this.clearStop());
        job.on('ended', ({ status, summary }) => {
            this.clearStop();
            this.console(`Job ${status}.${summary.length > 0 ? `\n${summary.join('\n')}` : ''}`);
            this.sendEvent(new ExitedEvent(status === 'FINISHED' ? 0 : 1));
            this.sendEvent(new TerminatedEvent());
        });
    }

    private moveOn(action: () => void): void {
        this.clearStop();
        action();
    }

    private clearStop(): void {
        this.stopped = undefined;
        this.inspector?.reset();
    }

    private console(text: string): void {
        this.sendEvent(new OutputEvent(`${text}\n`, 'console'));
    }

    /** An error response whose message is shown to the user as is. */
    private fail(response: DebugProtocol.Response, error: unknown): void {
        response.success = false;
        response.message = error instanceof LaunchError || error instanceof Error ? error.message : String(error);
        response.body = { error: { id: 1, format: response.message, showUser: true } };
        this.sendResponse(response);
    }
}

/**
 * Runs `.flow` text under the debugger in this process: the language translates the pipeline
 * (as `flowline run` does), a LocalCluster runs it, and JobManager.submit's `debug` option attaches
 * a JobDebugger. Helpers wait for stops and collect what the job's collect sinks wrote.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { URI } from 'langium';
import { NodeFileSystem } from 'langium/node';
import type { PushMessage } from '../../../protocol/cluster-api.js';
import type { DebugLogLine, DebugSettings, DebugStop } from '../../../protocol/job-debugging.js';
import type { Expr, FlowType, LogicalGraph, LogicalNode } from '../../../protocol/logical-graph.js';
import { createFlowServices } from '../../../language/src/flow-module.js';
import { isPipeline, type Model } from '../../../language/src/generated/ast.js';
import { LogicalGraphBuilder } from '../../../language/src/graph/build-logical-graph.js';
import type { LocalCluster } from '../../../runtime/src/cluster/local-cluster.js';
import type { JobMaster } from '../../../runtime/src/cluster/job-master.js';
import type { JobDebugger } from '../../../runtime/src/debug/job-debugger.js';

const services = createFlowServices(NodeFileSystem).Flow;

/** Translates the first pipeline of `text` (data files written next to it). */
export async function translateFlow(text: string, dataFiles: Record<string, string> = {}, overrides?: { mode: 'batch' | 'streaming'; parallelism: number }): Promise<LogicalGraph> {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowline-debug-'));
    try {
        for (const [name, content] of Object.entries(dataFiles)) writeFileSync(path.join(dir, name), content);
        const file = path.join(dir, 'pipeline.flow');
        writeFileSync(file, text);
        const uri = URI.file(file);
        const workspace = services.shared.workspace;
        const document = workspace.LangiumDocumentFactory.fromString<Model>(text, uri);
        workspace.LangiumDocuments.addDocument(document);
        try {
            await workspace.DocumentBuilder.build([document], { validation: true });
            const errors = (document.diagnostics ?? []).filter((d) => d.severity === 1);
            if (errors.length > 0) throw new Error(`check errors: ${errors.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('; ')}`);
            const pipeline = document.parseResult.value.elements.find(isPipeline);
            if (!pipeline) throw new Error('no pipeline');
            const builder = new LogicalGraphBuilder(services);
            return overrides ? builder.build(pipeline, overrides) : builder.build(pipeline);
        } finally {
            workspace.LangiumDocuments.deleteDocument(uri);
        }
    } finally {
        // Sources read their files when the job runs: data stays until the test process ends.
        if (Object.keys(dataFiles).length === 0) rmSync(dir, { recursive: true, force: true });
        else process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    }
}

/** The node written on 1-based `line` of the .flow text. */
export function nodeOnLine(graph: LogicalGraph, line: number): LogicalNode {
    const node = graph.nodes.find((n) => n.location.range.start.line + 1 === line);
    if (!node) throw new Error(`no node on line ${line}: ${graph.nodes.map((n) => `${n.name}@${n.location.range.start.line + 1}`).join(', ')}`);
    return node;
}

export const NO_EXCEPTIONS = { operatorErrors: false, badRows: false };

export function settings(breakpoints: DebugSettings['breakpoints'], exceptions = NO_EXCEPTIONS): DebugSettings {
    return { breakpoints, exceptions };
}

const BOOLEAN: FlowType = { kind: 'boolean' };
/** `field op literal` as a checked expression. */
export function compare(field: string, fieldType: FlowType, op: '==' | '>' | '<' | '>=', value: number | string): Expr {
    return { k: 'binary', op, left: { k: 'field', name: field, type: fieldType }, right: { k: 'literal', value, type: typeof value === 'number' ? { kind: 'long' } : { kind: 'string' } }, type: BOOLEAN };
}

/** One debugged job: its stops and log lines as they come, and the rows its collect sinks wrote. */
export class DebuggedJob {
    readonly stops: DebugStop[] = [];
    readonly logs: DebugLogLine[] = [];
    readonly rows: Record<string, unknown>[] = [];
    private waiters: { resolve: (s: DebugStop) => void; reject: (e: Error) => void }[] = [];
    private pendingStops: DebugStop[] = [];
    readonly job: JobMaster;
    readonly debugger: JobDebugger;
    private readonly detach: () => void;

    constructor(readonly cluster: LocalCluster, graph: LogicalGraph, debug: { settings: DebugSettings; stopOnEntry?: boolean }) {
        // Push messages may come before submit returns the job's id.
        const current: { jobId?: string } = {};
        const early: PushMessage[] = [];
        const take = (m: PushMessage): void => {
            if (m.type === 'sink-records' && m.connector === 'collect') this.rows.push(...m.rows);
        };
        const listener = (m: PushMessage): void => {
            if (current.jobId === undefined) early.push(m);
            else if (m.jid === current.jobId) take(m);
        };
        cluster.jobManager.on('push', listener);
        this.detach = () => cluster.jobManager.off('push', listener);
        this.job = cluster.jobManager.submit(graph, { debug });
        current.jobId = this.job.id;
        for (const m of early) if (m.jid === current.jobId) take(m);
        this.debugger = this.job.debugger!;
        this.debugger.on('stopped', (stop) => {
            this.stops.push(stop);
            const waiter = this.waiters.shift();
            if (waiter) waiter.resolve(stop);
            else this.pendingStops.push(stop);
        });
        this.debugger.on('log', (line) => this.logs.push(line));
        void this.job.whenTerminal().then((status) => {
            for (const w of this.waiters.splice(0)) w.reject(new Error(`the job ended ${status} without stopping`));
        });
    }

    /** The next stop (one already waiting, or the next to come); rejects if the job ends first. */
    nextStop(timeoutMs = 20_000): Promise<DebugStop> {
        const pending = this.pendingStops.shift();
        if (pending) return Promise.resolve(pending);
        if (this.job.isTerminal) return Promise.reject(new Error(`the job ended ${this.job.status} without stopping`));
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no stop within the time allowed')), timeoutMs);
            this.waiters.push({ resolve: (s) => { clearTimeout(timer); resolve(s); }, reject: (e) => { clearTimeout(timer); reject(e); } });
        });
    }

    /** Continues past every stop until the job ends; returns its final status. */
    async continueToEnd(): Promise<string> {
        const onStop = (): void => { setImmediate(() => this.debugger.resume()); };
        this.debugger.on('stopped', onStop);
        for (const _ of this.pendingStops.splice(0)) this.debugger.resume();
        if (this.debugger.stop) this.debugger.resume();
        const status = await this.job.whenTerminal();
        this.debugger.off('stopped', onStop);
        this.detach();
        return status;
    }

    async end(): Promise<string> {
        const status = await this.job.whenTerminal();
        this.detach();
        return status;
    }
}

/** A field of a stop's record by name. */
export function field(stop: DebugStop, name: string): unknown {
    const found = stop.record?.find((v) => v.name === name);
    if (!found) throw new Error(`the stop's record has no field ${name}: ${JSON.stringify(stop.record)}`);
    return found.value;
}

/**
 * Runs `.flow` text the way `flowline run` does, without a process per run: the language
 * translates the file for the run's mode and parallelism (language/src/graph/load-logical-graphs.ts,
 * what cli/src/run/load-logical-graph.ts calls), and the graph is submitted to a LocalCluster
 * started in this process. The records of the collect sinks are the result.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { PushMessage } from '../../../protocol/cluster-api.js';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import { loadLogicalGraphs } from '../../../language/src/graph/load-logical-graphs.js';
import { LocalCluster } from '../../../runtime/src/cluster/local-cluster.js';

export type RunResult = { ok: true; rows: Record<string, unknown>[] } | { ok: false; error: string };

/** Two local clusters (fused and unfused operators), each with slots for parallelism 4. */
export class InProcessRunner {
    private readonly dir = mkdtempSync(path.join(tmpdir(), 'flowline-diff-'));
    private files = 0;

    private constructor(private readonly fused: LocalCluster, private readonly unfused: LocalCluster) {}

    static async start(): Promise<InProcessRunner> {
        const [fused, unfused] = await Promise.all([
            LocalCluster.start({ taskManagers: 2, slotsPerTaskManager: 2, operatorFusion: true }),
            LocalCluster.start({ taskManagers: 2, slotsPerTaskManager: 2, operatorFusion: false })
        ]);
        return new InProcessRunner(fused, unfused);
    }

    /** Writes `text` to a fresh .flow file and returns its path. */
    writeFlow(text: string): string {
        const file = path.join(this.dir, `case-${this.files++}.flow`);
        writeFileSync(file, text);
        return file;
    }

    /** The LogicalGraph of the first pipeline of `file` for a mode and parallelism, or the check errors. */
    async translate(file: string, mode: 'batch' | 'streaming', parallelism: number): Promise<LogicalGraph | string> {
        try {
            return (await loadLogicalGraphs(file, undefined, { mode, parallelism })).graphs[0];
        } catch (error) {
            return `not translated: ${error instanceof Error ? error.message : String(error)}`;
        }
    }

    /** Runs `graph` to its end with operator fusion on or off; a failed job is a result too. */
    async run(graph: LogicalGraph, fusion: boolean): Promise<RunResult> {
        const cluster = fusion ? this.fused : this.unfused;
        const rows: Record<string, unknown>[] = [];
        let jobId: string | undefined;
        const early: PushMessage[] = [];
        const take = (m: PushMessage): void => {
            if (m.type === 'sink-records' && m.connector === 'collect') rows.push(...m.rows);
        };
        const listener = (m: PushMessage): void => {
            if (jobId === undefined) early.push(m);
            else if (m.jid === jobId) take(m);
        };
        cluster.jobManager.on('push', listener);
        try {
            const job = cluster.jobManager.submit(graph);
            jobId = job.id;
            for (const m of early) if (m.jid === jobId) take(m);
            const status = await job.whenTerminal();
            if (status !== 'FINISHED') {
                return { ok: false, error: `${status}: ${job.exceptions.map((e) => `${e.exceptionName}: ${e.message}`).join('; ')}` };
            }
            return { ok: true, rows };
        } finally {
            cluster.jobManager.off('push', listener);
        }
    }

    async stop(): Promise<void> {
        await Promise.all([this.fused.shutdown(), this.unfused.shutdown()]);
        rmSync(this.dir, { recursive: true, force: true });
    }
}

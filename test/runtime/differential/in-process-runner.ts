/**
 * Runs `.flow` text the way `flowline run` does, without a process per run: the language
 * package checks the file and translates its pipeline for the run's mode and parallelism (the
 * LogicalGraphBuilder that language/src/graph/load-logical-graphs.ts uses for `flowline run`,
 * with one set of language services kept for every case, as the language server does), and the
 * graph is submitted to a LocalCluster started in this process. The records of the collect sink
 * are the result.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { URI } from 'langium';
import { NodeFileSystem } from 'langium/node';
import type { PushMessage } from '../../../protocol/cluster-api.js';
import type { LogicalGraph } from '../../../protocol/logical-graph.js';
import { createFlowServices } from '../../../language/src/flow-module.js';
import { isPipeline, type Model } from '../../../language/src/generated/ast.js';
import { LogicalGraphBuilder } from '../../../language/src/graph/build-logical-graph.js';
import { LocalCluster } from '../../../runtime/src/cluster/local-cluster.js';

/** How a pipeline is translated: the overrides of `flowline run --mode --parallelism`. */
export interface Translation { mode: 'batch' | 'streaming'; parallelism: number }

export type RunResult = { ok: true; rows: Record<string, unknown>[] } | { ok: false; error: string };

/** Two local clusters (fused and unfused operators), each with slots for parallelism 4. */
export class InProcessRunner {
    private readonly dir = mkdtempSync(path.join(tmpdir(), 'flowline-diff-'));
    private cases = 0;

    private readonly services = createFlowServices(NodeFileSystem).Flow;

    private constructor(private readonly fused: LocalCluster, private readonly unfused: LocalCluster) {}

    static async start(): Promise<InProcessRunner> {
        const [fused, unfused] = await Promise.all([
            LocalCluster.start({ taskManagers: 2, slotsPerTaskManager: 2, operatorFusion: true }),
            LocalCluster.start({ taskManagers: 2, slotsPerTaskManager: 2, operatorFusion: false })
        ]);
        return new InProcessRunner(fused, unfused);
    }

    /**
     * Checks `text` (written to a .flow file, so relative paths would resolve as for a user) and
     * translates its first pipeline once per translation; a string lists the check errors.
     */
    async translate(text: string, translations: Translation[], dataFiles: Record<string, string> = {}): Promise<LogicalGraph[] | string> {
        const dir = path.join(this.dir, `case-${this.cases++}`);
        mkdirSync(dir);
        for (const [name, content] of Object.entries(dataFiles)) writeFileSync(path.join(dir, name), content);
        const file = path.join(dir, 'pipeline.flow');
        writeFileSync(file, text);
        const uri = URI.file(file);
        const workspace = this.services.shared.workspace;
        const document = workspace.LangiumDocumentFactory.fromString<Model>(text, uri);
        workspace.LangiumDocuments.addDocument(document);
        try {
            await workspace.DocumentBuilder.build([document], { validation: true });
            const errors = (document.diagnostics ?? []).filter((d) => d.severity === 1);
            if (errors.length > 0) return `check errors: ${errors.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join('; ')}`;
            const pipeline = document.parseResult.value.elements.find(isPipeline);
            if (!pipeline) return 'no pipeline';
            const builder = new LogicalGraphBuilder(this.services);
            return translations.map((t) => builder.build(pipeline, t));
        } finally {
            workspace.LangiumDocuments.deleteDocument(uri);
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

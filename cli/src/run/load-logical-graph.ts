/**
 * Reads what `flowline run` was given: a LogicalGraph .json file (as `flowline graph --format
 * json` prints it) or a .flow file (translated by the language), and picks the pipelines to run.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { isGlobalRanking, type LogicalGraph } from '../../../protocol/logical-graph.js';
import { validateLogicalGraph } from '../../../runtime/src/planner/logical-graph-validator.js';
import { InvalidGraphError } from '../../../runtime/src/planner/job-graph-builder.js';
import { UsageError } from '../usage-error.js';

/** A problem with the input file, reported as `file: message` with exit code 1. */
export class RunInputError extends Error {}

/**
 * The LogicalGraphs in `file` (a .json graph, an array of graphs, or a .flow file), with the
 * run's mode and parallelism applied: a .flow file is translated for them (so the checker's
 * rules for that mode hold); a .json graph is adjusted after the fact.
 */
export async function loadLogicalGraphs(file: string, pipeline?: string, overrides: RunOverrides = {}): Promise<LogicalGraph[]> {
    const path = resolve(file);
    if (extname(path) === '.flow') return loadFlowFile(file, pipeline, overrides);
    let text: string;
    try {
        text = await readFile(path, 'utf8');
    } catch (error) {
        throw new RunInputError(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (error) {
        throw new RunInputError(`${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const graphs = Array.isArray(json) ? json : typeof json === 'object' && json !== null && Array.isArray((json as { graphs?: unknown }).graphs) ? (json as { graphs: unknown[] }).graphs : [json];
    return graphs.map((g, i) => {
        try {
            validateLogicalGraph(g);
            return applyOverrides(g, overrides.mode, overrides.parallelism);
        } catch (error) {
            if (error instanceof InvalidGraphError) throw new RunInputError(`${file}${graphs.length > 1 ? ` (graph ${i + 1})` : ''}: ${error.message}`);
            throw error;
        }
    });
}

/** The mode and default parallelism `flowline run` was asked for. */
export interface RunOverrides {
    mode?: 'batch' | 'streaming';
    parallelism?: number;
}

async function loadFlowFile(path: string, pipeline: string | undefined, overrides: RunOverrides): Promise<LogicalGraph[]> {
    // Loaded on demand: running a .json graph never pays for the language services.
    const language = await import('../../../language/src/graph/load-logical-graphs.js');
    try {
        const { graphs, diagnostics } = await language.loadLogicalGraphs(path, pipeline, overrides);
        const { formatDiagnostic } = await import('../../../language/src/workspace/flow-workspace.js');
        for (const warning of diagnostics) process.stderr.write(`${formatDiagnostic(warning)}\n`);
        return graphs;
    } catch (error) {
        if (error instanceof language.UnknownPipelineError) throw new UsageError(error.message);
        if (error instanceof language.FlowCheckError) throw new RunInputError(error.message);
        throw new RunInputError(error instanceof Error ? error.message : String(error));
    }
}

/** The graph named `pipeline`, or every graph of the file. */
export function selectPipelines(graphs: LogicalGraph[], pipeline: string | undefined, file: string): LogicalGraph[] {
    if (pipeline === undefined) return graphs;
    const found = graphs.filter((g) => g.pipeline === pipeline);
    if (found.length === 0) throw new UsageError(`${file} has no pipeline '${pipeline}'; it has ${graphs.map((g) => g.pipeline).join(', ') || 'none'}.`);
    return found;
}

/** Applies --mode and --parallelism. Parallelism replaces the default of nodes that used it. */
export function applyOverrides(graph: LogicalGraph, mode: 'batch' | 'streaming' | undefined, parallelism: number | undefined): LogicalGraph {
    let result = graph;
    if (mode !== undefined) {
        if (mode === 'batch') {
            const unbounded = graph.nodes.find((n) => n.config.kind === 'source' && !n.config.bounded);
            if (unbounded) throw new RunInputError(`--mode batch needs bounded sources, but ${unbounded.name} is unbounded.`);
        } else {
            const ranking = graph.nodes.find((n) => isGlobalRanking(n.config));
            if (ranking) throw new RunInputError(`--mode streaming needs windowed input for ${ranking.config.kind} (it ranks per window), but ${ranking.id} is global.`);
        }
        result = { ...result, mode };
    }
    if (parallelism !== undefined) {
        const previous = graph.parallelism;
        result = {
            ...result,
            parallelism,
            // Nodes pinned by the pipeline or by what they are (a global limit) keep theirs.
            nodes: result.nodes.map((n) => (n.parallelism === previous && !n.parallelismPinned ? { ...n, parallelism } : n))
        };
    }
    return result;
}

/** `flowline run --checkpoint-interval/--checkpoint-dir`: parts of the checkpointing that replace the pipeline's. */
export interface CheckpointOverrides {
    intervalMs?: number;
    directory?: string;
}

/**
 * Applies --checkpoint-interval and --checkpoint-dir. An interval turns checkpointing on (exactly
 * once) for a pipeline whose header has none; a directory alone needs checkpointing from the
 * header or the interval; a batch job takes no checkpoints (as in Flink), so both are refused there.
 */
export function applyCheckpointOverrides(graph: LogicalGraph, given: CheckpointOverrides): LogicalGraph {
    if (given.intervalMs === undefined && given.directory === undefined) return graph;
    const flag = given.intervalMs !== undefined ? '--checkpoint-interval' : '--checkpoint-dir';
    if (graph.mode === 'batch') throw new RunInputError(`${flag}: ${graph.pipeline} runs in batch mode, which takes no checkpoints; run it with --mode streaming.`);
    const intervalMs = given.intervalMs ?? graph.checkpointing?.intervalMs;
    if (intervalMs === undefined) {
        throw new RunInputError(`--checkpoint-dir: ${graph.pipeline} takes no checkpoints; give --checkpoint-interval too, or write 'checkpoint every 10s' in its header.`);
    }
    const checkpointing = { ...graph.checkpointing, intervalMs, mode: graph.checkpointing?.mode ?? 'exactly-once' as const };
    if (given.directory !== undefined) checkpointing.directory = resolve(given.directory);
    return { ...graph, checkpointing };
}

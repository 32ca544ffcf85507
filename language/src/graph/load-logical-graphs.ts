/**
 * From a .flow file on disk to the LogicalGraphs of its pipelines, for the CLI and the runtime:
 * refuses (with every error, file:line:column) when the file does not check clean.
 */
import { fileURLToPath } from 'node:url';
import { isGlobalRanking, type LogicalGraph } from '../../../protocol/logical-graph.js';
import { isPipeline } from '../generated/ast.js';
import { type FileDiagnostic, formatDiagnostic, loadFlowWorkspace } from '../workspace/flow-workspace.js';
import { LogicalGraphBuilder, type PipelineOverrides } from './build-logical-graph.js';

export class FlowCheckError extends Error {
    constructor(readonly diagnostics: FileDiagnostic[]) {
        const errors = diagnostics.filter((d) => d.severity === 'error');
        super(`${errors.length} error${errors.length === 1 ? '' : 's'} in the pipeline file:\n${errors.map(formatDiagnostic).join('\n')}`);
    }
}

/** `--pipeline NAME` names no pipeline of the file (a mistake on the command line). */
export class UnknownPipelineError extends Error {}

export interface LoadedGraphs {
    graphs: LogicalGraph[];
    /** Warnings (there are no errors when graphs are returned). */
    diagnostics: FileDiagnostic[];
}

/**
 * The LogicalGraph of every pipeline in `file` (or only `pipeline`), with the run's overrides of
 * mode and default parallelism applied. Throws FlowCheckError on errors.
 */
export async function loadLogicalGraphs(file: string, pipeline?: string, overrides: PipelineOverrides = {}): Promise<LoadedGraphs> {
    const { services, documents, diagnostics } = await loadFlowWorkspace([file]);
    if (diagnostics.some((d) => d.severity === 'error')) {
        throw new FlowCheckError(diagnostics);
    }
    const pipelines = documents[0].parseResult.value.elements.filter(isPipeline);
    const chosen = pipeline ? pipelines.filter((p) => p.name === pipeline) : pipelines;
    if (pipeline && chosen.length === 0) {
        const names = pipelines.map((p) => p.name);
        throw new UnknownPipelineError(`${file} has no pipeline '${pipeline}'; it has ${names.length ? names.join(', ') : 'none'}.`);
    }
    if (chosen.length === 0) {
        throw new Error(`${file} declares no pipeline: nothing to run.`);
    }
    const builder = new LogicalGraphBuilder(services);
    const graphs = chosen.map((p) => builder.build(p, overrides));
    if (overrides.mode) {
        graphs.forEach((g) => checkModeOverride(g, overrides.mode!));
    }
    return { graphs, diagnostics };
}

/** What the checker verifies for the mode written in the file, verified again for an overriding mode. */
function checkModeOverride(graph: LogicalGraph, mode: 'batch' | 'streaming'): void {
    for (const node of graph.nodes) {
        const at = `${fileURLToPath(node.location.uri)}:${node.location.range.start.line + 1}:${node.location.range.start.character + 1}`;
        if (mode === 'batch' && node.config.kind === 'source' && !node.config.bounded) {
            throw new Error(`${at}: the pipeline ${graph.pipeline} cannot run in batch mode: the ${node.name} is unbounded (${node.config.connector === 'datagen' ? 'datagen without count' : 'nexmark without events'}).`);
        }
        if (mode === 'streaming' && isGlobalRanking(node.config)) {
            throw new Error(`${at}: the pipeline ${graph.pipeline} cannot run in streaming mode: ${node.config.kind} needs windowed input there (it ranks per window).`);
        }
    }
}

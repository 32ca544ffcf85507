/**
 * The `.flow` file being debugged: the LogicalGraph of the chosen pipeline (with the launch's mode
 * and parallelism), and where every pipeline of the file is, so a breakpoint line can be told to
 * belong to another pipeline.
 */
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LogicalGraph, SourceLocation } from '../../protocol/logical-graph.js';
import { loadLogicalGraphs } from '../../language/src/graph/load-logical-graphs.js';

/** A launch that cannot start: the message says what to change in the launch configuration. */
export class LaunchError extends Error {}

export interface DebuggedProgram {
    /** Absolute path and URI of the .flow file. */
    path: string;
    uri: string;
    graph: LogicalGraph;
    /** Every pipeline of the file (as written), by name. */
    pipelines: { name: string; location: SourceLocation }[];
}

export interface ProgramChoice {
    program: string;
    pipeline?: string;
    mode?: 'batch' | 'streaming';
    parallelism?: number;
}

/** The absolute path of the launch's `program`; throws LaunchError when it is no .flow file. */
export function programPath(program: string): string {
    const path = resolve(program);
    if (extname(path) !== '.flow') throw new LaunchError(`'program' must be a .flow file, not ${program}.`);
    if (!existsSync(path)) throw new LaunchError(`${program}: no such file.`);
    return path;
}

/** Loads and checks the program; throws LaunchError with the checker's errors or the pipelines to choose from. */
export async function loadDebuggedProgram(choice: ProgramChoice): Promise<DebuggedProgram> {
    const path = programPath(choice.program);
    let all: LogicalGraph[];
    try {
        all = (await loadLogicalGraphs(path)).graphs;
    } catch (error) {
        throw new LaunchError(error instanceof Error ? error.message : String(error));
    }
    const names = all.map((g) => g.pipeline);
    let pipeline = choice.pipeline;
    if (pipeline === undefined) {
        if (names.length > 1) {
            throw new LaunchError(`${choice.program} has ${names.length} pipelines (${names.join(', ')}): say which one to debug with the launch attribute 'pipeline'.`);
        }
        pipeline = names[0];
    } else if (!names.includes(pipeline)) {
        throw new LaunchError(`${choice.program} has no pipeline '${pipeline}'; it has ${names.join(', ')}.`);
    }
    let graph: LogicalGraph;
    try {
        [graph] = (await loadLogicalGraphs(path, pipeline, { mode: choice.mode, parallelism: choice.parallelism })).graphs;
    } catch (error) {
        throw new LaunchError(error instanceof Error ? error.message : String(error));
    }
    return { path, uri: pathToFileURL(path).href, graph, pipelines: all.map((g) => ({ name: g.pipeline, location: g.location })) };
}

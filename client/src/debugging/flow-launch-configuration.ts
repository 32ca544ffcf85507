/**
 * The launch configuration of the `flowline` debug type, as package.json's
 * `contributes.debuggers` declares it, and the checks made before a session starts. No vscode
 * import: unit-tested on its own.
 */
import type { FlowLaunchAttributes } from '../../../protocol/job-debugging.js';

/** The debug type contributed in package.json. */
export const FLOWLINE_DEBUG_TYPE = 'flowline';

/**
 * A `flowline` launch configuration: the attributes the adapter reads (`program` absolute once
 * VS Code substituted `${file}` and friends) and whatever else VS Code keeps in it.
 */
export interface FlowLaunchConfiguration extends FlowLaunchAttributes {
    type: string;
    request: string;
    name: string;
    [attribute: string]: unknown;
}

/** A launch configuration that debugs one pipeline of a file. */
export function launchConfigurationFor(program: string, pipeline: string): FlowLaunchConfiguration {
    return { type: FLOWLINE_DEBUG_TYPE, request: 'launch', name: `Debug ${pipeline}`, program, pipeline };
}

/** A launch configuration that debugs one test block of a file (the Testing view's Debug profile). */
export function testLaunchConfigurationFor(program: string, test: string): FlowLaunchConfiguration {
    return { type: FLOWLINE_DEBUG_TYPE, request: 'launch', name: `Debug test "${test}"`, program, test };
}

/** True for the empty configuration VS Code passes on F5 when there is no launch.json. */
export function isEmptyConfiguration(config: Partial<FlowLaunchConfiguration>): boolean {
    return !config.type && !config.request && !config.name;
}

/**
 * What keeps the extension from completing a configuration (it needs the .flow file to find its
 * pipelines), in one sentence per problem; empty when it can. The adapter checks every other
 * attribute itself and answers the launch with the problems it finds.
 */
export function launchConfigurationProblems(config: FlowLaunchConfiguration): string[] {
    const problems: string[] = [];
    if (config.request !== 'launch') problems.push(`"request" must be "launch" (Flowline debugs a job it starts), not ${JSON.stringify(config.request)}.`);
    if (typeof config.program !== 'string' || config.program.trim() === '') problems.push('"program" must name the .flow file to debug, e.g. "${file}".');
    else if (!config.program.endsWith('.flow')) problems.push(`"program" must be a .flow file; got ${config.program}.`);
    return problems;
}

/**
 * The launch configuration of the `flowline` debug type, checked: every attribute with the wrong
 * type is named in one clear error, so a typo in launch.json (or an nvim-dap table) is not a
 * silent default.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { FlowLaunchAttributes } from '../../protocol/job-debugging.js';
import { LaunchError } from './debugged-program.js';

/** The launch attributes once checked: the program is there. */
export interface FlowLaunchArguments extends DebugProtocol.LaunchRequestArguments, FlowLaunchAttributes {
    program: string;
}

/** The arguments, checked; throws LaunchError naming every wrong attribute. */
export function checkLaunchArguments(raw: Record<string, unknown>): FlowLaunchArguments {
    const problems: string[] = [];
    const positive = (name: string): void => {
        const v = raw[name];
        if (v !== undefined && (!Number.isInteger(v) || (v as number) < 1)) problems.push(`'${name}' must be a whole number from 1, not ${JSON.stringify(v)}.`);
    };
    if (typeof raw.program !== 'string' || raw.program === '') problems.push("'program' (the .flow file to debug) is required.");
    if (raw.pipeline !== undefined && typeof raw.pipeline !== 'string') problems.push(`'pipeline' must be a pipeline name, not ${JSON.stringify(raw.pipeline)}.`);
    if (raw.test !== undefined && (typeof raw.test !== 'string' || raw.test === '')) problems.push(`'test' must be the name of a test block, not ${JSON.stringify(raw.test)}.`);
    if (raw.test !== undefined) {
        // A test runs its pipeline as the test block says; these would make it another run.
        for (const name of ['pipeline', 'mode', 'parallelism'] as const) {
            if (raw[name] !== undefined) problems.push(`'${name}' does not go with 'test': a test debugs its own pipeline, in its own mode and parallelism.`);
        }
    }
    if (raw.mode !== undefined && raw.mode !== 'batch' && raw.mode !== 'streaming') problems.push(`'mode' must be "batch" or "streaming", not ${JSON.stringify(raw.mode)}.`);
    if (raw.stopOnEntry !== undefined && typeof raw.stopOnEntry !== 'boolean') problems.push(`'stopOnEntry' must be true or false, not ${JSON.stringify(raw.stopOnEntry)}.`);
    positive('parallelism');
    positive('taskManagers');
    positive('slots');
    const port = raw.restPort;
    if (port !== undefined && (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535)) {
        problems.push(`'restPort' must be a port number (0-65535; 0 picks a free one), not ${JSON.stringify(port)}.`);
    }
    if (problems.length > 0) throw new LaunchError(problems.join(' '));
    return raw as unknown as FlowLaunchArguments;
}

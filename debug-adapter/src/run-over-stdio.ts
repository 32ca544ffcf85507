/**
 * Runs one debug session over this process's stdin and stdout. stdout carries the protocol only:
 * anything else that would print there (a stray console.log) goes to stderr instead.
 */
import { FlowDebugSession } from './flow-debug-session.js';

export function runDebugAdapterOverStdio(): void {
    console.log = console.error;
    console.info = console.error;
    const session = new FlowDebugSession();
    process.on('SIGTERM', () => session.shutdown());
    session.start(process.stdin, process.stdout);
}

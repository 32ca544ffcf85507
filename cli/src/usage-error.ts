/**
 * Mistakes on the command line rather than in a pipeline: a file that does not exist, a
 * `--pipeline` the file does not have. Every command exits with code 2 for them (as commander
 * does for unknown options), 1 being kept for errors in the files and failed jobs.
 */
import { existsSync, statSync } from 'node:fs';

export class UsageError extends Error {}

/** Throws a UsageError unless `file` is an existing file. */
export function requireFile(file: string): void {
    if (!existsSync(file)) throw new UsageError(`${file}: no such file.`);
    if (!statSync(file).isFile()) throw new UsageError(`${file}: not a file.`);
}

/**
 * Mistakes on the command line rather than in a pipeline: a file that does not exist, a
 * `--pipeline` the file does not have. Every command exits with code 2 for them (as commander
 * does for unknown options), 1 being kept for errors in the files and failed jobs.
 */
import { existsSync, statSync } from 'node:fs';

/** One mistake per line of the message (main prints each as `flowline: <line>`). */
export class UsageError extends Error {}

/** Throws a UsageError unless `file` is an existing file. */
export function requireFile(file: string): void {
    requireFiles([file]);
}

/** Throws a UsageError naming every one of `files` that does not exist or is not a file. */
export function requireFiles(files: string[]): void {
    const problems = files.flatMap((file) => {
        if (!existsSync(file)) return [`${file}: no such file.`];
        if (!statSync(file).isFile()) return [`${file}: not a file.`];
        return [];
    });
    if (problems.length > 0) throw new UsageError(problems.join('\n'));
}

/**
 * Which .flow files `flowline test` reads: the files named, and every .flow file under the
 * folders named (recursively, skipping node_modules, hidden folders and __snapshots__) that
 * contains a `test "..."` block.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../usage-error.js';

const SKIPPED_FOLDERS = new Set(['node_modules', '__snapshots__', 'dist', 'out']);
/** A test block's start; files without one are not loaded at all. */
const TEST_BLOCK = /(^|\n)\s*test\s+"/;

export function findTestFiles(paths: string[]): string[] {
    const files: string[] = [];
    const problems: string[] = [];
    for (const given of paths) {
        let stat;
        try {
            stat = statSync(given);
        } catch {
            problems.push(`${given}: no such file or folder.`);
            continue;
        }
        if (stat.isDirectory()) files.push(...walk(resolve(given)));
        else if (!given.endsWith('.flow')) problems.push(`${given}: not a .flow file.`);
        else files.push(resolve(given));
    }
    if (problems.length > 0) throw new UsageError(problems.join('\n'));
    return [...new Set(files)].filter((f) => TEST_BLOCK.test(readFileSync(f, 'utf8'))).sort();
}

function walk(folder: string): string[] {
    const found: string[] = [];
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.name.startsWith('.')) continue;
        const path = join(folder, entry.name);
        if (entry.isDirectory()) {
            if (!SKIPPED_FOLDERS.has(entry.name)) found.push(...walk(path));
        } else if (entry.isFile() && entry.name.endsWith('.flow')) {
            found.push(path);
        }
    }
    return found;
}

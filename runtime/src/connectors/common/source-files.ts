/**
 * The files a file source reads: its path names one file, a directory (every file below it, in
 * path order, without hidden files: names starting with "." or "_", as Flink's FileSource skips
 * them), or a glob (`*` and `?` within a name, `**` for any number of folders, `[abc]` classes).
 */
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { displayPath, formatLocation } from '../../operators/operator-error.js';
import type { SourceContext } from '../../operators/operator.js';
import { BadInputError } from './bad-row-handler.js';

/** One input file and its size in bytes (when the job started). */
export interface SourceFile { path: string; size: number }

const GLOB_CHARS = /[*?[]/;

/** True when `p` is a glob pattern rather than a file or directory name. */
export function isGlob(p: string): boolean {
    return GLOB_CHARS.test(p);
}

/** Lists the files of a source path (a file, a directory, or a glob), sorted by path. */
export async function listSourceFiles(sourcePath: string | undefined, ctx: SourceContext): Promise<SourceFile[]> {
    if (sourcePath === undefined) throw new BadInputError(`${ctx.node.name}: the source has no file path`);
    const where = `${formatLocation(ctx.node.location)}: the input of ${ctx.node.name}, ${displayPath(sourcePath)},`;
    if (isGlob(sourcePath)) {
        const files = await globFiles(sourcePath);
        if (files.length === 0) throw new BadInputError(`${where} matches no file`);
        return files;
    }
    let info;
    try {
        info = await stat(sourcePath);
    } catch (error) {
        // Named at the source's line in the .flow file, where the path is written.
        const code = (error as NodeJS.ErrnoException).code;
        throw new BadInputError(`${formatLocation(ctx.node.location)}: the input file of ${ctx.node.name}, ${displayPath(sourcePath)}, ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`}`);
    }
    if (info.isDirectory()) return directoryFiles(sourcePath);
    return [{ path: sourcePath, size: info.size }];
}

function hidden(name: string): boolean {
    return name.startsWith('.') || name.startsWith('_');
}

/** Every regular, not hidden file below `dir`, in path order. */
async function directoryFiles(dir: string): Promise<SourceFile[]> {
    const files: SourceFile[] = [];
    const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !hidden(e.name)).sort((a, b) => compareNames(a.name, b.name));
    for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) files.push(...await directoryFiles(p));
        else if (e.isFile()) files.push({ path: p, size: (await stat(p)).size });
    }
    return files;
}

function compareNames(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** A regular expression for one path segment of a glob. */
function segmentPattern(segment: string): RegExp {
    let re = '';
    for (let i = 0; i < segment.length; i++) {
        const c = segment[i];
        if (c === '*') re += '[^/]*';
        else if (c === '?') re += '[^/]';
        else if (c === '[') {
            const close = segment.indexOf(']', i + 1);
            if (close < 0) re += '\\[';
            else {
                const body = segment.slice(i + 1, close);
                re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
                i = close;
            }
        } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
    }
    return new RegExp(`^${re}$`);
}

/** The files a glob matches, in path order (hidden names match only a pattern that starts with "."). */
async function globFiles(pattern: string): Promise<SourceFile[]> {
    const absolute = path.resolve(pattern);
    const segments = absolute.split(path.sep);
    // The longest prefix without glob characters is where the walk starts.
    let fixed = 0;
    while (fixed < segments.length && !isGlob(segments[fixed])) fixed++;
    const root = segments.slice(0, fixed).join(path.sep) || path.sep;
    const found: SourceFile[] = [];
    await walk(root, segments.slice(fixed), found);
    return found.sort((a, b) => compareNames(a.path, b.path));
}

async function walk(dir: string, rest: string[], found: SourceFile[]): Promise<void> {
    if (rest.length === 0) return;
    let entries;
    try {
        entries = await readdir(dir, { withFileTypes: true });
    } catch {
        return; // a folder that does not exist or cannot be listed matches nothing
    }
    const [segment, ...after] = rest;
    if (segment === '**') {
        await walk(dir, after, found); // zero folders
        for (const e of entries) if (e.isDirectory() && !hidden(e.name)) await walk(path.join(dir, e.name), rest, found);
        return;
    }
    const pattern = segmentPattern(segment);
    for (const e of entries) {
        if (!pattern.test(e.name) || (hidden(e.name) && !segment.startsWith('.') && !segment.startsWith('_'))) continue;
        const p = path.join(dir, e.name);
        if (after.length === 0) {
            if (e.isFile()) found.push({ path: p, size: (await stat(p)).size });
        } else if (e.isDirectory()) await walk(p, after, found);
    }
}

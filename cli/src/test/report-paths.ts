/** File names and lines as reporters print them: relative to the current folder, 1-based. */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceLocation } from '../../../protocol/logical-graph.js';

/** A file URI or path, relative to the current folder when inside it. */
export function displayPath(uriOrPath: string): string {
    let path = uriOrPath;
    if (uriOrPath.startsWith('file:')) {
        try {
            path = fileURLToPath(uriOrPath);
        } catch {
            return uriOrPath;
        }
    }
    const rel = relative(process.cwd(), path);
    return rel === '' || rel.startsWith('..') ? path : rel;
}

/** `file:line:column` of a location's start. */
export function locationText(location: SourceLocation): string {
    return `${displayPath(location.uri)}:${location.range.start.line + 1}:${location.range.start.character + 1}`;
}

/**
 * Errors raised while an operator runs name the operator and where it is written
 * (`pipelines/orders.flow:12:9: filter: division by zero`), so the editor can show them on the line.
 */
import { relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogicalNode, SourceLocation } from '../../../protocol/logical-graph.js';

/** An error in a running operator, carrying the node id and source location. */
export class OperatorError extends Error {
    constructor(message: string, readonly nodeId: string, readonly location: SourceLocation | undefined, options?: { cause?: unknown }) {
        super(message, options);
        this.name = 'OperatorError';
    }
}

/** A path for messages: relative to the working directory when inside it. */
export function displayPath(path: string): string {
    const rel = relative(process.cwd(), path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** `file.flow:12:9` (1-based) for a node's location. */
export function formatLocation(location: SourceLocation | undefined): string {
    if (!location) return '<unknown location>';
    let path = location.uri;
    try {
        if (path.startsWith('file:')) path = fileURLToPath(path);
    } catch {
        // keep the URI as given
    }
    return `${displayPath(path)}:${location.range.start.line + 1}:${location.range.start.character + 1}`;
}

/** Wraps `err` raised while `node` ran, unless it already names an operator. */
export function operatorError(node: LogicalNode, err: unknown): Error {
    if (err instanceof OperatorError) return err;
    const message = err instanceof Error ? err.message : String(err);
    return new OperatorError(`${formatLocation(node.location)}: error in ${node.name}: ${message}`, node.id, node.location, { cause: err });
}

/**
 * Which LogicalGraph node a tap samples, from what the user names: a stream (`stream x = ...`:
 * the output of the stream's last operator), a source (its records), or a node id. Node ids are
 * `<pipeline>/<stream>/<index>-<kind>` and `<pipeline>/source/<name>` (see the graph builder), so
 * the streams of a graph can be read back from its nodes. Shared by the JobManager and the CLI
 * (which checks `--tap` before it submits anything).
 */
import type { Expr, LogicalGraph, LogicalNode, SchemaField } from '../../../protocol/logical-graph.js';
import { streamNames, streamOfNode, streamOutputNode } from '../../../protocol/stream-nodes.js';
import { compileExpression } from '../expressions/compile-expression.js';

/** A tap request naming something the graph does not have (the message lists what it has). */
export class TapTargetError extends Error {}

export interface TapTarget {
    nodeId: string;
    /** The stream or source the node belongs to. */
    stream: string;
    fields: SchemaField[];
}

/** Every name `--tap` accepts, in the graph's order: the sources, then the streams. */
export function tappableStreams(graph: LogicalGraph): string[] {
    return streamNames(graph);
}

/** The node a tap on `request` samples; throws a TapTargetError naming the graph's streams otherwise. */
export function resolveTapTarget(graph: LogicalGraph, request: { stream?: string; nodeId?: string }): TapTarget {
    const streams = (): string => tappableStreams(graph).join(', ') || 'none';
    let node: LogicalNode | undefined;
    if (request.nodeId !== undefined) {
        if (typeof request.nodeId !== 'string') throw new TapTargetError('nodeId must be a string.');
        node = graph.nodes.find((n) => n.id === request.nodeId);
        if (!node) throw new TapTargetError(`Pipeline ${graph.pipeline} has no node '${request.nodeId}'. Its streams: ${streams()}.`);
        if (node.config.kind === 'sink') throw new TapTargetError(`${node.id} is a sink: it has no output to tap. Tap the stream it writes (${node.description.split(' -> ')[0]}).`);
        if (request.stream !== undefined && request.stream !== streamOfNode(graph, node)) {
            throw new TapTargetError(`Node ${node.id} is not in stream '${request.stream}'.`);
        }
    } else if (request.stream !== undefined) {
        if (typeof request.stream !== 'string') throw new TapTargetError('stream must be a string.');
        node = streamOutputNode(graph, request.stream);
        if (!node) throw new TapTargetError(`Pipeline ${graph.pipeline} has no stream '${request.stream}'. Its streams: ${streams()}.`);
    } else {
        throw new TapTargetError(`Name what to tap: "stream" (one of ${streams()}) or "nodeId".`);
    }
    return { nodeId: node.id, stream: streamOfNode(graph, node)!, fields: node.schema };
}

/** Checks a tap filter: a boolean expression over `fields` that compiles. Throws a TapTargetError. */
export function checkTapFilter(filter: unknown, fields: SchemaField[]): Expr {
    if (typeof filter !== 'object' || filter === null || typeof (filter as { k?: unknown }).k !== 'string') {
        throw new TapTargetError('filter must be an expression tree (protocol/logical-graph.ts Expr), as the language compiles it.');
    }
    const expr = filter as Expr;
    if (expr.type?.kind !== 'boolean') throw new TapTargetError(`filter must be a boolean expression, not ${expr.type?.kind ?? 'an untyped one'}.`);
    const names = new Set(fields.map((f) => f.name));
    const unknown = fieldNames(expr).filter((name) => !names.has(name));
    if (unknown.length > 0) {
        throw new TapTargetError(`filter reads ${unknown.map((n) => `'${n}'`).join(', ')}, not a field of the tapped records (${[...names].join(', ')}).`);
    }
    try {
        compileExpression(expr);
    } catch (error) {
        throw new TapTargetError(`filter does not compile: ${error instanceof Error ? error.message : String(error)}`);
    }
    return expr;
}

/** The record fields an expression reads. */
function fieldNames(expr: unknown): string[] {
    if (typeof expr !== 'object' || expr === null) return [];
    if (Array.isArray(expr)) return expr.flatMap(fieldNames);
    const e = expr as Record<string, unknown>;
    if (e.k === 'field' && typeof e.name === 'string') return [e.name];
    return Object.entries(e).filter(([key]) => key !== 'type').flatMap(([, value]) => fieldNames(value));
}

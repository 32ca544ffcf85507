/**
 * Operator identity across edits of a pipeline (Flink's operator uids): what a restore from a
 * savepoint matches state to. A node id (`<pipeline>/<stream>/<index>-<kind>`) counts every
 * operator of its stream, keyBy and window included, so adding a `| map` before a window shifts
 * the window's id; the uid counts only the operators of the same kind in the same stream:
 *
 * - an operator: `<stream>/<kind>` for the first of its kind in the stream, `<stream>/<kind>#2`
 *   for the second, and so on (`perKey/aggregate`, `joined/join`);
 * - a source: `source/<name>`;
 * - a sink: `sink/<stream>/<connector>` (the stream or source it writes; `#2` for a second sink
 *   of the same stream and connector), so the file it writes to may move with the project.

 *
 * So adding, removing or reordering stateless operators (filter, map, flatMap, user functions)
 * keeps every stateful operator's uid; renaming a stream, or adding a second stateful operator of
 * the same kind before the first in one stream, does not. The pipeline's name is not part of the
 * uid: a savepoint may be restored into a renamed pipeline.
 */
import type { LogicalGraph, LogicalNode } from '../../../protocol/logical-graph.js';

const OPERATOR_ID = /^[^/]+\/([^/]+)\/(\d+)-(.+)$/;

/** The uid of `node` in `graph` (see the file comment). */
export function operatorUid(graph: LogicalGraph, node: LogicalNode): string {
    const config = node.config;
    if (config.kind === 'source') return `source/${config.sourceName}`;
    if (config.kind === 'sink') {
        const written = (sink: LogicalNode): string => {
            const edge = graph.edges.find((e) => e.target === sink.id);
            const from = edge ? graph.nodes.find((n) => n.id === edge.source) : undefined;
            const stream = from ? (from.config.kind === 'source' ? from.config.sourceName : OPERATOR_ID.exec(from.id)?.[1] ?? from.id) : '?';
            return `sink/${stream}${edge?.sideOutput ? `.${edge.sideOutput}` : ''}/${sink.config.kind === 'sink' ? sink.config.connector : ''}`;
        };
        const uid = written(node);
        const earlier = graph.nodes.slice(0, graph.nodes.indexOf(node)).filter((n) => n.config.kind === 'sink' && written(n) === uid).length;
        return earlier === 0 ? uid : `${uid}#${earlier + 1}`;
    }
    const match = OPERATOR_ID.exec(node.id);
    if (!match) return node.id;
    const [, stream, index] = match;
    // The operators of the same kind earlier in the same stream.
    let ordinal = 1;
    for (const other of graph.nodes) {
        const m = OPERATOR_ID.exec(other.id);
        if (m && m[1] === stream && Number(m[2]) < Number(index) && other.config.kind === config.kind) ordinal++;
    }
    return ordinal === 1 ? `${stream}/${config.kind}` : `${stream}/${config.kind}#${ordinal}`;
}

/**
 * Which operator keeps a node's state, when one node kind has several (`aggregate:tumbling`,
 * `join:interval`, `orderBy:windowed`): their states have different shapes, so a savepoint's state
 * restores only into the same one.
 */
export function stateKindOf(node: LogicalNode): string {
    const config = node.config;
    switch (config.kind) {
        case 'aggregate': return `aggregate:${config.window?.type ?? (config.keys.length === 0 ? 'global' : config.updatingInput ? 'updating' : 'keyed')}`;
        case 'topN': return config.window ? 'topN:windowed' : 'topN';
        case 'join': return `join:${config.temporal ? 'temporal' : config.withinMs !== undefined ? 'interval' : 'regular'}`;
        case 'orderBy': case 'limit': return `${config.kind}:${config.window ? 'windowed' : 'global'}`;
        default: return config.kind;
    }
}

/**
 * The types of the keys a keyed node's state is stored under (the keys of the HASH edge into
 * it, as the language names the types), or undefined for a node no keyBy leads to.
 */
export function keyTypesOf(graph: LogicalGraph, node: LogicalNode): string[] | undefined {
    const edge = graph.edges.find((e) => e.target === node.id && e.ship === 'HASH' && e.input !== 'right' && e.input !== 1);
    if (!edge?.keys) return undefined;
    return edge.keys.map((k) => typeName(k.type));
}

function typeName(type: { kind: string; precision?: number; scale?: number } | undefined): string {
    if (!type) return 'unknown';
    return type.kind === 'decimal' ? `decimal(${type.precision ?? '?'}, ${type.scale ?? '?'})` : type.kind;
}

/**
 * Layout with ELK's layered algorithm, run in a Web Worker (ELK's own worker script, shipped in
 * dist/webviews) so neither the extension host nor the webview's UI thread does the work.
 * Webviews cannot start a worker from their resource origin, so the script is fetched and
 * started from a blob URL (CSP: worker-src blob:).
 */
import * as elkApi from 'elkjs/lib/elk-api.js';
import type { ELK, ELKConstructorArguments, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { DrawGraph, DrawNode } from './graph-levels.js';

/** A box with its position. */
export interface PlacedNode { node: DrawNode; x: number; y: number; width: number; height: number }

/** An arrow with its route and label position. */
export interface PlacedEdge { id: string; source: string; target: string; label: string; sourceNode: string; points: { x: number; y: number }[]; labelX: number; labelY: number }

export interface PlacedGraph { nodes: PlacedNode[]; edges: PlacedEdge[]; width: number; height: number }

/** Height of every box, in graph units. */
export const NODE_HEIGHT = 58;
const CHAR_WIDTH = 7.2;

// elk-api.js is a UMD bundle whose module.exports is the ELK class (with itself as `default`).
const ElkConstructor = (elkApi as unknown as { default: new (args: ELKConstructorArguments) => ELK }).default;

let elk: ELK | undefined;

async function engine(workerUrl: string): Promise<ELK> {
    if (elk) return elk;
    const script = await (await fetch(workerUrl)).text();
    const blobUrl = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
    elk = new ElkConstructor({ workerFactory: () => new Worker(blobUrl) });
    return elk;
}

/** Which way records flow in the drawing. */
export type FlowDirection = 'RIGHT' | 'DOWN';

/** Lays a graph out in layers along `direction`. */
export async function layoutGraph(graph: DrawGraph, workerUrl: string, direction: FlowDirection): Promise<PlacedGraph> {
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const root: ElkNode = {
        id: 'root',
        layoutOptions: {
            'elk.algorithm': 'layered',
            'elk.direction': direction,
            'elk.edgeRouting': 'ORTHOGONAL',
            'elk.layered.spacing.nodeNodeBetweenLayers': '48',
            'elk.spacing.nodeNode': '28',
            'elk.spacing.edgeLabel': '4',
            'elk.edgeLabels.inline': 'true',
            'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF'
        },
        children: graph.nodes.map((node) => ({
            id: node.id,
            width: Math.max(200, Math.min(320, Math.max(node.label.length, Math.min(node.detail.length, 40)) * CHAR_WIDTH + 40)),
            height: NODE_HEIGHT
        })),
        edges: graph.edges.map((edge): ElkExtendedEdge => ({
            id: edge.id, sources: [edge.source], targets: [edge.target],
            labels: edge.label ? [{ text: edge.label, width: edge.label.length * 6.4 + 8, height: 14 }] : []
        }))
    };
    const laid = await (await engine(workerUrl)).layout(root);
    const nodes = (laid.children ?? []).map((child) => ({
        node: byId.get(child.id)!, x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0
    }));
    const edges = (laid.edges ?? []).map((edge) => {
        const original = graph.edges.find((e) => e.id === edge.id)!;
        const section = edge.sections?.[0];
        const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
        const label = edge.labels?.[0];
        return {
            id: original.id, source: original.source, target: original.target, label: original.label, sourceNode: original.sourceNode, points,
            labelX: (label?.x ?? 0) + (label?.width ?? 0) / 2, labelY: (label?.y ?? 0) + (label?.height ?? 0) / 2
        };
    });
    return { nodes, edges, width: laid.width ?? 0, height: laid.height ?? 0 };
}

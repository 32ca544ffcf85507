/** A LogicalGraph as Graphviz DOT: sources as houses, sinks as inverted houses, edges labelled with the ship strategy. */
import type { LogicalGraph, LogicalNode } from '../../../protocol/logical-graph.js';

export function renderDot(graph: LogicalGraph): string {
    const lines = [`digraph "${escape(graph.pipeline)}" {`, '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];'];
    for (const node of graph.nodes) {
        const label = `${node.name}\\n${escape(node.description)}\\np=${node.parallelism}`;
        lines.push(`  "${escape(node.id)}" [label="${label}", shape=${shapeOf(node)}];`);
    }
    for (const edge of graph.edges) {
        const label = edge.sideOutput ? `${edge.ship} (${edge.sideOutput})` : edge.ship;
        lines.push(`  "${escape(edge.source)}" -> "${escape(edge.target)}" [label="${label}"${edge.sideOutput ? ', style=dashed' : ''}];`);
    }
    lines.push('}');
    return lines.join('\n');
}

function shapeOf(node: LogicalNode): string {
    return node.config.kind === 'source' ? 'house' : node.config.kind === 'sink' ? 'invhouse' : 'box';
}

function escape(text: string): string {
    return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

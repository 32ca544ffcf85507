/** A LogicalGraph as a Mermaid flowchart (renders in GitHub Markdown). */
import type { LogicalGraph, LogicalNode } from '../../../protocol/logical-graph.js';

export function renderMermaid(graph: LogicalGraph): string {
    const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
    const lines = ['flowchart LR'];
    for (const node of graph.nodes) {
        lines.push(`  ${ids.get(node.id)}${shape(node, `${node.name}<br/>p=${node.parallelism}`)}`);
    }
    for (const edge of graph.edges) {
        const label = edge.sideOutput ? `${edge.ship} ${edge.sideOutput}` : edge.ship;
        const arrow = edge.sideOutput ? `-.->|${label}|` : `-->|${label}|`;
        lines.push(`  ${ids.get(edge.source)} ${arrow} ${ids.get(edge.target)}`);
    }
    return lines.join('\n');
}

function shape(node: LogicalNode, label: string): string {
    const text = `"${label.replace(/"/g, '#quot;')}"`;
    if (node.config.kind === 'source') return `([${text}])`;
    if (node.config.kind === 'sink') return `[/${text}/]`;
    return `[${text}]`;
}

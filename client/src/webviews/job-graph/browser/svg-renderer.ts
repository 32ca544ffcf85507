/// <reference lib="dom" />
/**
 * Draws a laid-out graph as SVG: distinct shapes for sources (pill), operators (box) and sinks
 * (chevron), ship-strategy labels on edges, parallelism badges, diagnostics and, while a job
 * runs, state, records and back-pressure on each box. Text sizes and truncation follow the
 * zoom (readable-text.ts). Colours are classes whose CSS uses VS
 * Code's theme variables (job-graph.css).
 */
import type { FlowDiagnostic } from '../../../../../protocol/lsp-requests.js';
import type { LogicalNode } from '../../../../../protocol/logical-graph.js';
import type { PlacedGraph, PlacedNode } from './elk-layout.js';
import type { NodeState } from './job-state-overlay.js';
import { fitTextToScale } from './readable-text.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const PADDING = 16;

/** What the renderer needs besides the layout. */
export interface RenderInput {
    placed: PlacedGraph;
    /** Diagnostics per LogicalGraph node id. */
    diagnostics: Map<string, FlowDiagnostic[]>;
    /** Live state per drawn box id, while a job is shown. */
    states: Map<string, NodeState>;
    onClick: (node: PlacedNode) => void;
    /** Edges offer Peek Records (while the graph's job runs); the view listens for the clicks. */
    peekableEdges: boolean;
}

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
    const element = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
    parent?.appendChild(element);
    return element;
}

/** A text whose content, size and position {@link fitTextToScale} sets for the current zoom. */
function scaledText(content: string, attrs: Record<string, string | number>, parent: Element): SVGTextElement {
    const t = el('text', attrs, parent);
    t.dataset.full = content;
    return t;
}

function shapePath(shape: string, w: number, h: number): string {
    if (shape === 'source') {
        const r = h / 2;
        return `M${r},0 H${w - 8} Q${w},0 ${w},8 V${h - 8} Q${w},${h} ${w - 8},${h} H${r} A${r},${r} 0 0 1 ${r},0 Z`;
    }
    if (shape === 'sink') {
        const tip = 16;
        return `M6,0 H${w - tip} L${w},${h / 2} L${w - tip},${h} H6 Q0,${h} 0,${h - 6} V6 Q0,0 6,0 Z`;
    }
    return `M6,0 H${w - 6} Q${w},0 ${w},6 V${h - 6} Q${w},${h} ${w - 6},${h} H6 Q0,${h} 0,${h - 6} V6 Q0,0 6,0 Z`;
}

function formatCount(n: number): string {
    return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}K` : String(n);
}

/** The records the box itself counts (a source has no "in"; a chained operator repeats none). */
function recordsLine(state: NodeState): string {
    const parts: string[] = [];
    if (state.recordsIn !== undefined) parts.push(`in ${formatCount(state.recordsIn)}`);
    if (state.recordsOut !== undefined) parts.push(`out ${formatCount(state.recordsOut)}`);
    if (state.recordsPerSecond) parts.push(`${formatCount(Math.round(state.recordsPerSecond))}/s`);
    return parts.join(' · ');
}

/**
 * A running box's two lines, most useful first (a narrow zoom keeps only the first): its
 * records, then its state, back-pressure and watermark. The fill colour shows the state too.
 */
function stateLines(state: NodeState): [string, string] {
    const records = recordsLine(state);
    const wm = state.watermark !== null ? ` · WM ${new Date(state.watermark).toISOString().slice(11, 19)}` : '';
    const pressure = `BP ${state.backpressure.toUpperCase()}${wm}`;
    return records ? [records, `${state.state} · ${pressure}`] : [state.state, pressure];
}

/** The SVG element of a graph. */
export function renderGraph(input: RenderInput): SVGSVGElement {
    const { placed } = input;
    const width = placed.width + PADDING * 2;
    const height = placed.height + PADDING * 2;
    const svg = el('svg', { xmlns: SVG_NS, class: 'graph', width, height, viewBox: `0 0 ${width} ${height}` });
    const defs = el('defs', {}, svg);
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M0,0 L10,5 L0,10 z', class: 'graph-arrowhead' }, marker);
    const root = el('g', { transform: `translate(${PADDING},${PADDING})` }, svg);

    for (const edge of placed.edges) {
        const peek = input.peekableEdges;
        const g = el('g', { class: peek ? 'graph-edge peekable' : 'graph-edge', 'data-edge': edge.id, 'data-source-node': edge.sourceNode }, root);
        if (edge.points.length > 1) {
            const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
            el('path', { d, class: 'graph-edge-line', 'marker-end': 'url(#arrow)' }, g);
            // A wide invisible stroke: a 1.5 px line is hard to hit with the mouse.
            if (peek) el('path', { d, class: 'graph-edge-hit' }, g);
        }
        if (peek) el('title', {}, g).textContent = 'Click: Peek Records (a live sample of the records on this edge)';
        if (edge.label) {
            el('rect', { rx: 3, class: 'graph-edge-label-bg' }, g);
            scaledText(edge.label, { class: 'graph-edge-label', 'text-anchor': 'middle', 'data-x': edge.labelX, 'data-y': edge.labelY }, g);
        }
    }

    for (const placedNode of placed.nodes) {
        const { node, x, y, width: w, height: h } = placedNode;
        const diagnostics = node.nodeIds.flatMap((id) => input.diagnostics.get(id) ?? []);
        const severity = diagnostics.some((d) => d.severity === 'error') ? 'error' : diagnostics.length > 0 ? 'warning' : '';
        const state = input.states.get(node.id);
        const classes = ['graph-node', `shape-${node.shape}`];
        if (severity) classes.push(`has-${severity}`);
        if (state) classes.push(`state-${state.state.toLowerCase()}`, `backpressure-${state.backpressure}`);
        const left = node.shape === 'source' ? h / 2 - 8 : 10;
        const g = el('g', {
            class: classes.join(' '), transform: `translate(${x},${y})`, 'data-node-id': node.id, tabindex: 0, role: 'button',
            'data-width': w, 'data-height': h, 'data-text-left': left, 'data-badge-inset': node.shape === 'sink' ? 16 : 4
        }, root);
        const title = el('title', {}, g);
        const lines = state ? stateLines(state) : undefined;
        title.textContent = [node.label, node.detail, `parallelism ${node.parallelism}`, ...(lines ?? []), ...diagnostics.map((d) => `${d.severity}: ${d.message}`)]
            .filter(Boolean).join('\n');
        el('path', { d: shapePath(node.shape, w, h), class: 'graph-node-shape' }, g);
        // Up to three lines, most important first: a narrow zoom keeps the first ones.
        scaledText(node.label, { class: 'graph-node-label', 'data-line': 0 }, g);
        scaledText(lines ? lines[0] : node.detail, { class: lines ? 'graph-node-state' : 'graph-node-detail', 'data-line': 1 }, g);
        if (lines) {
            scaledText(lines[1], { class: 'graph-node-backpressure', 'data-line': 2 }, g);
        } else if (severity) {
            scaledText(diagnostics[0].message, { class: 'graph-node-diagnostic', 'data-line': 2 }, g);
        }
        // Parallelism badge, top right.
        el('circle', { class: 'graph-node-badge' }, g);
        scaledText(String(node.parallelism), { class: 'graph-node-badge-text', 'text-anchor': 'middle' }, g);
        g.addEventListener('click', () => input.onClick(placedNode));
        g.addEventListener('keydown', (event) => { if (event.key === 'Enter') input.onClick(placedNode); });
    }
    fitTextToScale(svg, 1);
    return svg;
}

/** Diagnostics per node: those whose range lies in (or overlaps) the node's source range. */
export function diagnosticsByNode(nodes: LogicalNode[], diagnostics: FlowDiagnostic[]): Map<string, FlowDiagnostic[]> {
    const before = (a: { line: number; character: number }, b: { line: number; character: number }): boolean =>
        a.line < b.line || (a.line === b.line && a.character <= b.character);
    const result = new Map<string, FlowDiagnostic[]>();
    for (const diagnostic of diagnostics) {
        // The innermost node wins: the one with the shortest range that contains the diagnostic.
        const holders = nodes.filter((n) => before(n.location.range.start, diagnostic.range.end) && before(diagnostic.range.start, n.location.range.end));
        holders.sort((a, b) => (a.location.range.end.line - a.location.range.start.line) - (b.location.range.end.line - b.location.range.start.line));
        const holder = holders[0];
        if (holder) result.set(holder.id, [...(result.get(holder.id) ?? []), diagnostic]);
    }
    return result;
}

/** A standalone SVG document of the drawn graph, with the theme colours resolved. */
export function exportableSvg(svg: SVGSVGElement): string {
    const clone = svg.cloneNode(true) as SVGSVGElement;
    // Saved at 100 %, whatever the zoom on screen.
    fitTextToScale(clone, 1);
    const [, , width, height] = (clone.getAttribute('viewBox') ?? '').split(' ');
    clone.setAttribute('width', width);
    clone.setAttribute('height', height);
    const computed = getComputedStyle(document.body);
    const rules: string[] = [];
    for (const sheet of Array.from(document.styleSheets)) {
        for (const rule of Array.from(sheet.cssRules)) {
            if (rule.cssText.includes('.graph')) rules.push(rule.cssText);
        }
    }
    const css = rules.join('\n').replace(/var\((--[\w-]+)(?:,\s*([^)]+))?\)/g, (_, name: string, fallback?: string) =>
        computed.getPropertyValue(name).trim() || fallback?.trim() || 'currentColor');
    const style = document.createElementNS(SVG_NS, 'style');
    style.textContent = css;
    clone.insertBefore(style, clone.firstChild);
    const background = computed.getPropertyValue('--vscode-editor-background').trim();
    if (background) clone.setAttribute('style', `background:${background}`);
    return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
}

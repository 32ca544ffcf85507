/// <reference lib="dom" />
/**
 * The job graph webview: receives LogicalGraphs and job state from the extension, lets the user
 * pick the pipeline and the level (logical / job / execution graph), lays out in ELK's worker,
 * draws SVG (fitted to the panel, with zoom and pan: graph-viewport.ts), and posts clicks
 * (select the source range) and SVG exports back.
 */
import { jobText, settingsText } from './graph-header.js';
import type { LogicalGraph } from '../../../../../protocol/logical-graph.js';
import type { FlowDiagnostic } from '../../../../../protocol/lsp-requests.js';
import type { FlinkJobDrawing, FromGraphView, GraphLevel, JobOverlay, ToGraphView } from '../../../../../protocol/webview-messages.js';
import { layoutGraph, type FlowDirection, type PlacedGraph } from './elk-layout.js';
import { graphAt } from './graph-levels.js';
import { nodeState, type NodeState } from './job-state-overlay.js';
import { GraphViewport } from './graph-viewport.js';
import { diagnosticsByNode, exportableSvg, renderGraph } from './svg-renderer.js';
import './job-graph.css';

interface VsCodeApi {
    postMessage(message: FromGraphView): void;
    setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const workerUrl = app.dataset.worker!;

const LEVELS: { level: GraphLevel; label: string; tip: string }[] = [
    { level: 'logical', label: 'Logical', tip: 'One box per operator, as written' },
    { level: 'job', label: 'Job', tip: 'Chained operators grouped into tasks' },
    { level: 'execution', label: 'Execution', tip: 'One box per parallel subtask' }
];

let graphs: LogicalGraph[] = [];
let diagnostics: FlowDiagnostic[] = [];
let stale = false;
let documentUri = '';
let pipeline: string | undefined;
let level: GraphLevel = 'logical';
const overlays = new Map<string, JobOverlay>();
let renderSeq = 0;
let lastShown = '';
let lastLayout: { graph: LogicalGraph; level: GraphLevel; direction: FlowDirection; placed: PlacedGraph } | undefined;
/** Set when the panel shows a Flink job (its own panel: no .flow document, no levels). */
let flinkJob: FlinkJobDrawing | undefined;
let flinkLayout: { key: string; direction: FlowDirection; placed: PlacedGraph } | undefined;

app.innerHTML = `
<div class="toolbar">
  <select id="pipeline" title="Pipeline" aria-label="Pipeline"></select>
  <div class="levels" role="tablist">${LEVELS.map((l) => `<button role="tab" data-level="${l.level}" title="${l.tip}">${l.label}</button>`).join('')}</div>
  <span id="settings" class="settings"></span>
  <span class="spacer"></span>
  <span id="job" class="job"></span>
  <div class="zoom" role="group" aria-label="Zoom">
    <button id="zoom-out" title="Zoom out (-, Ctrl+wheel)" aria-label="Zoom out">−</button>
    <span id="zoom-level" class="zoom-level" aria-live="polite">100%</span>
    <button id="zoom-in" title="Zoom in (+, Ctrl+wheel; double-click a box for 100 %)" aria-label="Zoom in">+</button>
    <button id="zoom-fit" title="Fit the whole graph in the panel (0)">Fit</button>
  </div>
  <button id="export" title="Save the drawn graph as an SVG file">Export SVG</button>
</div>
<div id="banner" class="banner" hidden></div>
<div id="canvas" class="canvas"></div>
<div class="legend">
  <span class="legend-item"><span class="swatch shape-source"></span>source</span>
  <span class="legend-item"><span class="swatch shape-operator"></span>operator</span>
  <span class="legend-item"><span class="swatch shape-sink"></span>sink</span>
  <span class="legend-item"><span class="dot bp-ok"></span>OK</span>
  <span class="legend-item"><span class="dot bp-low"></span>LOW</span>
  <span class="legend-item"><span class="dot bp-high"></span>HIGH back-pressure</span>
</div>`;

const select = document.getElementById('pipeline') as HTMLSelectElement;
const canvas = document.getElementById('canvas')!;
const banner = document.getElementById('banner')!;
const jobLabel = document.getElementById('job')!;
const settingsLabel = document.getElementById('settings')!;
const zoomLevel = document.getElementById('zoom-level')!;
const viewport = new GraphViewport(canvas, (scale) => {
    zoomLevel.textContent = `${Math.round(scale * 100)}%`;
    canvas.dataset.scale = String(scale);
});
document.getElementById('zoom-in')!.addEventListener('click', () => viewport.zoomIn());
document.getElementById('zoom-out')!.addEventListener('click', () => viewport.zoomOut());
document.getElementById('zoom-fit')!.addEventListener('click', () => viewport.fit());
document.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLSelectElement || event.altKey) return;
    if (event.key === '+' || event.key === '=') viewport.zoomIn();
    else if (event.key === '-') viewport.zoomOut();
    else if (event.key === '0') viewport.fit();
    else return;
    event.preventDefault();
});

// Peek Records on an edge. While a job runs the SVG is redrawn with every metrics update, so a
// press and its release can land on two copies of the edge, and the browser then sends no click:
// the edge under the released pointer counts, if the pointer did not move (a drag pans).
let pressedAt: { x: number; y: number } | undefined;
canvas.addEventListener('pointerdown', (event) => { pressedAt = event.button === 0 ? { x: event.clientX, y: event.clientY } : undefined; });
canvas.addEventListener('pointerup', (event) => {
    const from = pressedAt;
    pressedAt = undefined;
    if (from && Math.hypot(event.clientX - from.x, event.clientY - from.y) < 4) peekEdgeAt(event.target);
});
canvas.addEventListener('contextmenu', (event) => { if (peekEdgeAt(event.target)) event.preventDefault(); });

/** Asks the extension to peek at the records on the edge at `target`; false when there is none. */
function peekEdgeAt(target: EventTarget | null): boolean {
    const edge = target instanceof Element ? target.closest('.graph-edge.peekable') : null;
    const nodeId = edge?.getAttribute('data-source-node');
    if (!nodeId || !pipeline) return false;
    vscode.postMessage({ type: 'peek-edge', pipeline, nodeId });
    return true;
}

select.addEventListener('change', () => { pipeline = select.value; persist(); void draw(); });
for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('.levels button'))) {
    button.addEventListener('click', () => { level = button.dataset.level as GraphLevel; void draw(); });
}
document.getElementById('export')!.addEventListener('click', () => {
    const svg = canvas.querySelector('svg');
    if (svg && pipeline) vscode.postMessage({ type: 'export-svg', pipeline, svg: exportableSvg(svg) });
});

window.addEventListener('message', (event: MessageEvent<ToGraphView>) => {
    const message = event.data;
    if (message.type === 'graph') {
        graphs = message.graphs;
        diagnostics = message.diagnostics;
        stale = message.stale;
        documentUri = message.documentUri;
        const names = graphs.map((g) => g.pipeline);
        if (message.pipeline && names.includes(message.pipeline)) pipeline = message.pipeline;
        else if (!pipeline || !names.includes(pipeline)) pipeline = names[0];
        select.innerHTML = names.map((n) => `<option value="${n}">${n}</option>`).join('');
        if (pipeline) select.value = pipeline;
        select.hidden = names.length < 2;
        persist();
        void draw();
    } else if (message.type === 'job') {
        if (message.overlay) overlays.set(message.pipeline, message.overlay);
        else overlays.delete(message.pipeline);
        if (message.pipeline === pipeline) void draw();
    } else if (message.type === 'level') {
        level = message.level;
        void draw();
    } else if (message.type === 'flink-job') {
        flinkJob = message.drawing;
        pipeline = message.drawing.name;
        select.hidden = true;
        document.querySelector<HTMLElement>('.levels')!.style.display = 'none';
        void drawFlinkJob(message.drawing);
    }
});

/** Draws a Flink job: its vertices as Flink planned them, with their figures. */
async function drawFlinkJob(drawing: FlinkJobDrawing): Promise<void> {
    const seq = ++renderSeq;
    showBanner(undefined);
    settingsLabel.textContent = '';
    jobLabel.textContent = `Flink job ${drawing.state}`;
    jobLabel.className = `job state-${drawing.state.toLowerCase()}`;
    const direction: FlowDirection = canvas.clientWidth > 1.6 * window.innerHeight ? 'RIGHT' : 'DOWN';
    // The plan does not change while the job runs: lay it out once, redraw the figures.
    const key = JSON.stringify(drawing.graph);
    const started = performance.now();
    let placed = flinkLayout?.key === key && flinkLayout.direction === direction ? flinkLayout.placed : undefined;
    if (!placed) {
        try {
            placed = await layoutGraph(drawing.graph, workerUrl, direction);
        } catch (err) {
            showBanner(`The graph could not be laid out: ${err instanceof Error ? err.message : String(err)}`);
            return;
        }
        flinkLayout = { key, direction, placed };
    }
    if (seq !== renderSeq) return;
    const svg = renderGraph({ placed, diagnostics: new Map(), states: new Map(Object.entries(drawing.states)), onClick: () => undefined, peekableEdges: false });
    const shown = `flink\n${drawing.jid}`;
    if (shown !== lastShown) viewport.reset();
    lastShown = shown;
    viewport.show(svg);
    vscode.postMessage({ type: 'rendered', pipeline: drawing.name, level: 'job', nodeCount: drawing.graph.nodes.length, layoutMs: Math.round(performance.now() - started) });
}

function persist(): void {
    vscode.setState({ documentUri, pipeline });
}

function showBanner(textContent: string | undefined): void {
    banner.hidden = !textContent;
    banner.textContent = textContent ?? '';
}

async function draw(): Promise<void> {
    if (flinkJob) { await drawFlinkJob(flinkJob); return; }
    const seq = ++renderSeq;
    for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('.levels button'))) {
        button.setAttribute('aria-selected', String(button.dataset.level === level));
    }
    const graph = graphs.find((g) => g.pipeline === pipeline);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (!graph) {
        settingsLabel.textContent = '';
        viewport.reset();
        showBanner(errors.length > 0
            ? `No graph yet: the document has ${errors.length} error${errors.length > 1 ? 's' : ''} (first: line ${errors[0].range.start.line + 1}: ${errors[0].message}).`
            : 'This document declares no pipeline.');
        return;
    }
    showBanner(stale ? `Showing the last valid graph: the document has ${errors.length} error${errors.length > 1 ? 's' : ''} (line ${errors[0]?.range.start.line + 1}: ${errors[0]?.message}).` : undefined);
    const drawn = graphAt(level, graph);
    settingsLabel.textContent = settingsText(graph);
    const overlay = overlays.get(graph.pipeline);
    const states = new Map<string, NodeState>();
    if (overlay) {
        for (const node of drawn.nodes) {
            const state = nodeState(node, overlay);
            if (state) states.set(node.id, state);
        }
        jobLabel.textContent = jobText(overlay, Date.now());
        jobLabel.className = `job state-${overlay.details.state.toLowerCase()}`;
    } else {
        jobLabel.textContent = '';
    }
    const started = performance.now();
    // Flink draws left to right; a panel beside the editor is rarely wide enough for that,
    // and reads better top to bottom.
    const direction: FlowDirection = canvas.clientWidth > 1.6 * window.innerHeight ? 'RIGHT' : 'DOWN';
    let placed;
    if (lastLayout && lastLayout.graph === graph && lastLayout.level === level && lastLayout.direction === direction) {
        // Only the job state changed: keep the layout, redraw the boxes.
        placed = { ...lastLayout.placed, nodes: lastLayout.placed.nodes.map((p) => ({ ...p, node: drawn.nodes.find((n) => n.id === p.node.id) ?? p.node })) };
    } else {
        try {
            placed = await layoutGraph(drawn, workerUrl, direction);
        } catch (err) {
            showBanner(`The graph could not be laid out: ${err instanceof Error ? err.message : String(err)}`);
            return;
        }
        lastLayout = { graph, level, direction, placed };
    }
    if (seq !== renderSeq) return; // a newer draw started meanwhile
    const layoutMs = Math.round(performance.now() - started);
    const svg = renderGraph({
        placed,
        diagnostics: diagnosticsByNode(graph.nodes, diagnostics),
        states,
        onClick: (placedNode) => vscode.postMessage({ type: 'reveal-node', pipeline: graph.pipeline, nodeId: placedNode.node.nodeIds[0] }),
        // Records can be peeked at while the pipeline's job runs.
        peekableEdges: overlay?.details.state === 'RUNNING'
    });
    // Another pipeline or level is another picture: fit it, whatever the previous zoom was.
    const shown = `${graph.pipeline}\n${level}`;
    if (shown !== lastShown) viewport.reset();
    lastShown = shown;
    viewport.show(svg);
    vscode.postMessage({ type: 'rendered', pipeline: graph.pipeline, level, nodeCount: drawn.nodes.length, layoutMs });
}

vscode.postMessage({ type: 'ready' });

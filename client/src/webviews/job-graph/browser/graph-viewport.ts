/// <reference lib="dom" />
/**
 * Zoom and pan of the drawn graph inside its scrolling canvas. The SVG keeps its viewBox (graph
 * units) and gets width and height of viewBox × scale, so the canvas's own scroll bars pan a
 * graph larger than the panel; dragging pans too, Ctrl/⌘ + wheel zooms around the pointer,
 * double-clicking a box zooms to 100 % around it, and Fit shows the whole graph. Until the user
 * zooms, every new drawing and every panel resize fits the graph (never enlarging it past
 * 100 %); after that the user's zoom is kept across redraws.
 */
import { fitTextToScale } from './readable-text.js';

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 2;
const ZOOM_STEP = 1.25;
/** A press that moves less than this is a click, not a drag. */
const DRAG_THRESHOLD_PX = 4;

/** The canvas's padding (job-graph.css), left out of the room a fitted graph may take. */
const CANVAS_PADDING = 4;

export class GraphViewport {
    private svg: SVGSVGElement | undefined;
    private width = 0;
    private height = 0;
    private current = 1;
    private userZoomed = false;

    /** `onChange` hears the scale after every change (the toolbar shows it). */
    constructor(private readonly canvas: HTMLElement, private readonly onChange: (scale: number) => void) {
        this.listen();
        new ResizeObserver(() => { if (this.svg && !this.userZoomed) this.fit(); }).observe(canvas);
    }

    get scale(): number { return this.current; }

    /**
     * Shows a newly drawn SVG: fitted unless the user zoomed, in which case the same scale and
     * scroll position are kept (a redraw for job state must not move the view).
     */
    show(svg: SVGSVGElement): void {
        const [, , width, height] = (svg.getAttribute('viewBox') ?? '0 0 0 0').split(' ').map(Number);
        const { scrollLeft, scrollTop } = this.canvas;
        this.svg = svg;
        this.width = width;
        this.height = height;
        this.canvas.replaceChildren(svg);
        if (this.userZoomed) {
            this.apply(this.current);
            this.canvas.scrollLeft = scrollLeft;
            this.canvas.scrollTop = scrollTop;
        } else {
            this.fit();
        }
    }

    /** Forgets the drawing and the user's zoom: the next one is fitted (another pipeline or level). */
    reset(): void {
        this.svg = undefined;
        this.userZoomed = false;
        this.canvas.replaceChildren();
    }

    /** The whole graph in the panel, at most 100 %. */
    fit(): void {
        if (!this.svg) return;
        const room = this.room();
        this.userZoomed = false;
        this.apply(Math.min(1, room.width / this.width, room.height / this.height));
    }

    /** Zooms in (factor > 1) or out around a point of the window (default: the canvas centre). */
    zoomBy(factor: number, clientX?: number, clientY?: number): void {
        const box = this.canvas.getBoundingClientRect();
        this.zoomAround(this.current * factor, clientX ?? box.left + box.width / 2, clientY ?? box.top + box.height / 2);
    }

    zoomIn(): void { this.zoomBy(ZOOM_STEP); }
    zoomOut(): void { this.zoomBy(1 / ZOOM_STEP); }

    /** Zooms to at least 100 % and brings a box to the middle of the panel. */
    zoomToNode(node: Element): void {
        const box = node.getBoundingClientRect();
        const canvasBox = this.canvas.getBoundingClientRect();
        this.zoomAround(Math.max(1, this.current), box.left + box.width / 2, box.top + box.height / 2,
            canvasBox.left + canvasBox.width / 2, canvasBox.top + canvasBox.height / 2);
    }

    /** The canvas's inner size: what a fitted graph may take. */
    private room(): { width: number; height: number } {
        return {
            width: Math.max(1, this.canvas.clientWidth - 2 * CANVAS_PADDING),
            height: Math.max(1, this.canvas.clientHeight - 2 * CANVAS_PADDING)
        };
    }

    /**
     * Sets a new scale keeping the graph point under (fromX, fromY) on the screen, or moving it
     * to (toX, toY) when given.
     */
    private zoomAround(scale: number, fromX: number, fromY: number, toX = fromX, toY = fromY): void {
        if (!this.svg) return;
        const before = this.svg.getBoundingClientRect();
        const graphX = (fromX - before.left) / this.current;
        const graphY = (fromY - before.top) / this.current;
        this.userZoomed = true;
        this.apply(scale);
        const after = this.svg.getBoundingClientRect();
        this.canvas.scrollLeft += after.left + graphX * this.current - toX;
        this.canvas.scrollTop += after.top + graphY * this.current - toY;
    }

    private apply(scale: number): void {
        if (!this.svg) return;
        this.current = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
        // Rounded down: a fitted graph one pixel too big would add scroll bars, shrink the room and refit.
        this.svg.setAttribute('width', String(Math.floor(this.width * this.current)));
        this.svg.setAttribute('height', String(Math.floor(this.height * this.current)));
        this.svg.dataset.scale = String(this.current);
        fitTextToScale(this.svg, this.current);
        this.onChange(this.current);
    }

    private listen(): void {
        const canvas = this.canvas;
        canvas.addEventListener('wheel', (event) => {
            if (!event.ctrlKey && !event.metaKey) return; // a plain wheel scrolls
            event.preventDefault();
            this.zoomBy(Math.exp(-event.deltaY * 0.002), event.clientX, event.clientY);
        }, { passive: false });
        canvas.addEventListener('dblclick', (event) => {
            const node = (event.target as Element).closest('.graph-node');
            if (node) this.zoomToNode(node);
        });
        // Drag to pan. A drag that started on a box must not also click it.
        let drag: { x: number; y: number; left: number; top: number; moved: boolean } | undefined;
        canvas.addEventListener('pointerdown', (event) => {
            if (event.button !== 0) return;
            drag = { x: event.clientX, y: event.clientY, left: canvas.scrollLeft, top: canvas.scrollTop, moved: false };
        });
        canvas.addEventListener('pointermove', (event) => {
            if (!drag) return;
            const dx = event.clientX - drag.x;
            const dy = event.clientY - drag.y;
            if (!drag.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) return;
            if (!drag.moved) {
                drag.moved = true;
                canvas.classList.add('panning');
                canvas.setPointerCapture(event.pointerId);
            }
            canvas.scrollLeft = drag.left - dx;
            canvas.scrollTop = drag.top - dy;
        });
        // The click that ends a drag is swallowed (capture phase, before the box hears it).
        let swallowClicksUntil = 0;
        canvas.addEventListener('click', (click) => {
            if (performance.now() < swallowClicksUntil) click.stopPropagation();
        }, { capture: true });
        const end = (): void => {
            canvas.classList.remove('panning');
            if (drag?.moved) swallowClicksUntil = performance.now() + 250;
            drag = undefined;
        };
        canvas.addEventListener('pointerup', end);
        canvas.addEventListener('pointercancel', end);
    }
}

/// <reference lib="dom" />
/**
 * Keeps the graph's text readable at every zoom. Text is never drawn smaller than
 * {@link MIN_TEXT_PX} on screen: zoomed out, each text is drawn at that size (in graph units it
 * grows as the scale shrinks), truncated to its box, and a box keeps only as many of its lines
 * as still fit (name first, then detail or state, then back-pressure). Below
 * {@link OVERVIEW_SCALE} not even a name fits: the overview shows shapes, colours and arrows, and
 * each box's tooltip names it; zooming in brings the text back.
 */
import { NODE_HEIGHT } from './elk-layout.js';

/** The smallest on-screen font size, in CSS pixels. */
export const MIN_TEXT_PX = 11;

/** On-screen sizes at 100 %: the box name, its other lines, edge labels, the parallelism badge. */
const BASE_PX = { label: 12.5, line: 11, edge: 11, badge: 11 };
/** Average glyph width as a share of the font size (names in the UI font, figures monospace). */
const GLYPH = { label: 0.62, line: 0.61, edge: 0.61 };
const TOP = 5;
const BOTTOM = 3;
const LINE_GAP = 1.3;

/** Below this scale no line of text fits in a box: the overview. */
export const OVERVIEW_SCALE = MIN_TEXT_PX * 1.15 / (NODE_HEIGHT - TOP - BOTTOM);

/** Font size in graph units that shows `basePx` at 100 % and never less than the minimum on screen. */
export function fontUnits(basePx: number, scale: number): number {
    return Math.max(MIN_TEXT_PX, basePx * scale) / scale;
}

function truncate(text: string, widthUnits: number, charUnits: number): string {
    const max = Math.floor(widthUnits / charUnits);
    if (max < 2) return '';
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function place(t: SVGTextElement, text: string, size: number, x: number, y: number): void {
    t.textContent = text;
    // Rounded up: rounding down would draw the smallest text a hair under the minimum.
    t.setAttribute('font-size', String(Math.ceil(size * 1000) / 1000));
    t.setAttribute('x', x.toFixed(1));
    t.setAttribute('y', y.toFixed(1));
    t.toggleAttribute('visibility', false);
}

function hide(t: SVGTextElement): void {
    t.setAttribute('visibility', 'hidden');
}

/** Sizes, places, truncates or hides every text of a rendered graph for drawing at `scale`. */
export function fitTextToScale(svg: SVGSVGElement, scale: number): void {
    const label = fontUnits(BASE_PX.label, scale);
    const line = fontUnits(BASE_PX.line, scale);
    for (const g of Array.from(svg.querySelectorAll<SVGGElement>('.graph-node'))) {
        const width = Number(g.dataset.width);
        const height = Number(g.dataset.height);
        const left = Number(g.dataset.textLeft);
        // Room between the badge's right edge and the box's (a sink's chevron needs more).
        const badgeInset = Number(g.dataset.badgeInset);
        // The parallelism badge grows with its text; once it would take more than a third of the
        // box's height it is left out (the tooltip says the parallelism).
        const badge = g.querySelector<SVGCircleElement>('.graph-node-badge');
        const badgeText = g.querySelector<SVGTextElement>('.graph-node-badge-text');
        const badgeFont = fontUnits(BASE_PX.badge, scale);
        const radius = Math.max(10, badgeFont * 0.85);
        const shown = radius <= height / 3;
        const cx = width - badgeInset - radius;
        if (badge && badgeText) {
            if (shown) {
                badge.toggleAttribute('visibility', false);
                badge.setAttribute('r', radius.toFixed(1));
                badge.setAttribute('cx', cx.toFixed(1));
                badge.setAttribute('cy', (radius + 4).toFixed(1));
                place(badgeText, badgeText.dataset.full ?? '', badgeFont, cx, radius + 4 + badgeFont * 0.36);
            } else {
                badge.setAttribute('visibility', 'hidden');
                hide(badgeText);
            }
        }
        const textWidth = width - left - (shown ? badgeInset + 2 * radius + 6 : 6);
        let baseline = TOP;
        const lines = Array.from(g.querySelectorAll<SVGTextElement>('text[data-line]'));
        for (const [i, t] of lines.entries()) {
            const size = i === 0 ? label : line;
            baseline += i === 0 ? size * 0.95 : size * LINE_GAP;
            const text = truncate(t.dataset.full ?? '', textWidth, size * (i === 0 ? GLYPH.label : GLYPH.line));
            if (baseline + size * 0.25 > height - BOTTOM || !text) {
                for (const rest of lines.slice(i)) hide(rest);
                break;
            }
            place(t, text, size, left, baseline);
        }
    }
    const edge = fontUnits(BASE_PX.edge, scale);
    // Edge labels drawn larger than a box is tall would cover the graph: the overview drops them.
    const edgesShown = edge * 2 <= NODE_HEIGHT;
    for (const g of Array.from(svg.querySelectorAll<SVGGElement>('.graph-edge'))) {
        const t = g.querySelector<SVGTextElement>('.graph-edge-label');
        const bg = g.querySelector<SVGRectElement>('.graph-edge-label-bg');
        if (!t || !bg) continue;
        const x = Number(t.dataset.x);
        const y = Number(t.dataset.y);
        if (!edgesShown) {
            hide(t);
            bg.setAttribute('visibility', 'hidden');
            continue;
        }
        const text = t.dataset.full ?? '';
        const w = text.length * edge * GLYPH.edge + edge * 0.7;
        place(t, text, edge, x, y + edge * 0.36);
        bg.toggleAttribute('visibility', false);
        bg.setAttribute('x', (x - w / 2).toFixed(1));
        bg.setAttribute('y', (y - edge * 0.75).toFixed(1));
        bg.setAttribute('width', w.toFixed(1));
        bg.setAttribute('height', (edge * 1.5).toFixed(1));
    }
}

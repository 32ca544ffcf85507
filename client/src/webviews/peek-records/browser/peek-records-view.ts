/// <reference lib="dom" />
/**
 * The Peek Records webview: a live table of the records a tap samples (newest first), each with
 * the subtask that produced it, a Pause/Resume button, and a filter box taking a `.flow`
 * expression (checked by the extension; the type checker's message shows under the box).
 */
import type { TappedRecord } from '../../../../../protocol/cluster-api.js';
import type { SchemaField } from '../../../../../protocol/logical-graph.js';
import type { FromPeekView, ToPeekView } from '../../../../../protocol/webview-messages.js';
import './peek-records.css';

interface VsCodeApi { postMessage(message: FromPeekView): void }
declare function acquireVsCodeApi(): VsCodeApi;

/** The most records the table keeps (the oldest go first). */
const KEPT = 500;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
app.innerHTML = `
<div class="toolbar">
  <span id="title" class="title"></span>
  <span class="spacer"></span>
  <button id="pause" title="Stop showing new records (the tap keeps running)">Pause</button>
  <button id="clear" title="Remove the records shown">Clear</button>
</div>
<div id="status" class="status"></div>
<form id="filter-form" class="filter">
  <input id="filter" type="text" spellcheck="false" aria-label="Filter expression"
    placeholder="Filter: a .flow expression over the fields, e.g. amount > 50 and customer == &quot;ada&quot; (Enter applies, empty clears)">
</form>
<div id="filter-errors" class="filter-errors" role="alert" hidden></div>
<div id="banner" class="banner" hidden></div>
<table><thead id="head"></thead><tbody id="rows"></tbody></table>
<p id="empty" class="empty">Waiting for records…</p>`;

const title = document.getElementById('title')!;
const status = document.getElementById('status')!;
const pauseButton = document.getElementById('pause') as HTMLButtonElement;
const filterInput = document.getElementById('filter') as HTMLInputElement;
const filterErrors = document.getElementById('filter-errors')!;
const banner = document.getElementById('banner')!;
const head = document.getElementById('head')!;
const rows = document.getElementById('rows') as HTMLTableSectionElement;
const empty = document.getElementById('empty')!;

let fields: SchemaField[] = [];
/** The status line: the sampling rate and filter, then the tap's counts. */
let sampling = '';
let counts = '';
let paused = false;
let shown = 0;

function escapeHtml(s: string): string {
    return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

function cell(value: unknown): string {
    if (value === null || value === undefined) return '<span class="null">null</span>';
    if (typeof value === 'object') return escapeHtml(JSON.stringify(value));
    return escapeHtml(String(value));
}

function showBanner(text: string | undefined, kind = 'info'): void {
    banner.hidden = !text;
    banner.className = `banner ${kind}`;
    banner.textContent = text ?? '';
}

function renderHead(): void {
    head.innerHTML = `<tr><th class="seq">#</th><th class="subtask">subtask</th>${fields.map((f) => `<th>${escapeHtml(f.name)}</th>`).join('')}</tr>`;
}

function addRecords(records: TappedRecord[]): void {
    const html = records.slice().reverse().map((r) =>
        `<tr><td class="seq">${r.seq}</td><td class="subtask">${r.subtask}</td>${fields.map((f) => `<td>${cell(r.record[f.name])}</td>`).join('')}</tr>`).join('');
    rows.insertAdjacentHTML('afterbegin', html);
    while (rows.rows.length > KEPT) rows.deleteRow(rows.rows.length - 1);
    shown = rows.rows.length;
    empty.hidden = shown > 0;
}

pauseButton.addEventListener('click', () => vscode.postMessage({ type: paused ? 'resume' : 'pause' }));
document.getElementById('clear')!.addEventListener('click', () => {
    rows.innerHTML = '';
    shown = 0;
    empty.hidden = false;
});
document.getElementById('filter-form')!.addEventListener('submit', (event) => {
    event.preventDefault();
    vscode.postMessage({ type: 'set-filter', text: filterInput.value });
});

window.addEventListener('message', (event: MessageEvent<ToPeekView>) => {
    const message = event.data;
    switch (message.type) {
        case 'tap':
            title.textContent = message.title;
            sampling = `sampling up to ${message.recordsPerSecond} records/s per TaskManager${message.filter ? ` where ${message.filter}` : ''}`;
            counts = '';
            status.textContent = sampling;
            fields = message.fields;
            filterInput.value = message.filter;
            filterErrors.hidden = true;
            rows.innerHTML = '';
            shown = 0;
            empty.hidden = false;
            renderHead();
            break;
        case 'records':
            if (message.records.length > 0) addRecords(message.records);
            counts = `${message.seen} passed · ${message.matched === message.seen ? '' : `${message.matched} matched · `}${message.sampled} sampled`;
            status.textContent = `${sampling} · ${counts}`;
            break;
        case 'paused':
            paused = message.paused;
            pauseButton.textContent = paused ? 'Resume' : 'Pause';
            showBanner(paused ? 'Paused: new records are not shown (the job keeps running).' : undefined);
            break;
        case 'filter-errors':
            filterErrors.hidden = false;
            // Each message with the expression, the part it is about underlined.
            filterErrors.innerHTML = message.errors.map((e) => {
                const end = Math.max(e.endColumn, e.column + 1);
                const text = message.text;
                const marked = `${escapeHtml(text.slice(0, e.column))}<u>${escapeHtml(text.slice(e.column, end))}</u>${escapeHtml(text.slice(end))}`;
                return `<div class="filter-error"><code>${marked}</code> ${escapeHtml(e.message)}</div>`;
            }).join('');
            break;
        case 'ended':
            showBanner(`The tap ended: ${message.reason}.`, 'ended');
            pauseButton.disabled = true;
            filterInput.disabled = true;
            break;
    }
});

vscode.postMessage({ type: 'ready' });

/// <reference lib="dom" />
/**
 * The results webview: one paged table per collect sink, with the sink's schema as header,
 * and CSV/JSON export buttons; a sink of updates shows its current table (one row per key,
 * updated in place) with the number of changes. Pages come from the extension on request.
 */
import type { FlowType } from '../../../../../protocol/logical-graph.js';
import type { FromResultsView, ResultSetSummary, ToResultsView } from '../../../../../protocol/webview-messages.js';
import './results.css';

interface VsCodeApi { postMessage(message: FromResultsView): void }
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const sets = new Map<string, ResultSetSummary>();
const pages = new Map<string, Extract<ToResultsView, { type: 'page' }>>();
let header = '';

function escapeHtml(s: string): string {
    return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

function typeName(type: FlowType): string {
    if (type.kind === 'array') return `${typeName(type.element)}[]${type.nullable ? '?' : ''}`;
    if (type.kind === 'record') return `{${type.fields.map((f) => `${f.name}: ${typeName(f.type)}`).join(', ')}}`;
    if (type.kind === 'null') return 'null';
    return `${type.kind}${type.nullable ? '?' : ''}`;
}

function cell(value: unknown): string {
    if (value === null || value === undefined) return '<span class="null">null</span>';
    if (typeof value === 'object') return escapeHtml(JSON.stringify(value));
    return escapeHtml(String(value));
}

function render(): void {
    const parts = [`<h2 class="title">${escapeHtml(header)}</h2>`];
    if (sets.size === 0) parts.push('<p class="empty">No collect sink has returned rows yet.</p>');
    for (const set of sets.values()) {
        const page = pages.get(set.nodeId);
        const columns = set.schema.length > 0 ? set.schema.map((f) => f.name) : Object.keys(page?.rows[0] ?? {});
        const pageCount = page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;
        const first = page && page.total > 0 ? page.page * page.pageSize + 1 : 0;
        const last = page ? Math.min(page.total, (page.page + 1) * page.pageSize) : 0;
        parts.push(`<section class="result" data-node-id="${escapeHtml(set.nodeId)}">
  <div class="result-bar">
    <span class="result-name">${escapeHtml(set.name)}</span>
    <span class="result-count" data-total="${set.total}">${set.total} rows</span>
    ${set.updating ? `<span class="updating" data-changes="${set.updating.changes}" title="The sink's rows are updates: each replaces the row with the same ${escapeHtml(set.updating.keyFields.join(', '))}, in place">updating table by ${escapeHtml(set.updating.keyFields.join(', '))} · ${set.updating.changes} changes</span>` : ''}
    ${set.notKept > 0 ? `<span class="not-kept" title="The editor keeps the first ${set.total} rows of a sink">${set.notKept} later rows not kept</span>` : ''}
    <span class="spacer"></span>
    <button data-action="prev" ${!page || page.page === 0 ? 'disabled' : ''}>‹ Prev</button>
    <span class="page">rows ${first}–${last} · page ${(page?.page ?? 0) + 1} of ${pageCount}</span>
    <button data-action="next" ${!page || page.page + 1 >= pageCount ? 'disabled' : ''}>Next ›</button>
    <button data-action="csv">Export CSV</button>
    <button data-action="json">Export JSON</button>
  </div>
  <table>
    <thead><tr><th class="row-number">#</th>${columns.map((c) => {
        const field = set.schema.find((f) => f.name === c);
        return `<th>${escapeHtml(c)}${field ? `<span class="type">${escapeHtml(typeName(field.type))}</span>` : ''}</th>`;
    }).join('')}</tr></thead>
    <tbody>${(page?.rows ?? []).map((row, i) => `<tr><td class="row-number">${first + i}</td>${columns.map((c) => `<td>${cell(row[c])}</td>`).join('')}</tr>`).join('')}</tbody>
  </table>
</section>`);
    }
    app.innerHTML = parts.join('\n');
}

app.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest('button');
    const section = button?.closest<HTMLElement>('section.result');
    if (!button || !section) return;
    const nodeId = section.dataset.nodeId!;
    const page = pages.get(nodeId)?.page ?? 0;
    switch (button.dataset.action) {
        case 'prev': vscode.postMessage({ type: 'request-page', nodeId, page: page - 1 }); break;
        case 'next': vscode.postMessage({ type: 'request-page', nodeId, page: page + 1 }); break;
        case 'csv': vscode.postMessage({ type: 'export', nodeId, format: 'csv' }); break;
        case 'json': vscode.postMessage({ type: 'export', nodeId, format: 'json' }); break;
    }
});

window.addEventListener('message', (event: MessageEvent<ToResultsView>) => {
    const message = event.data;
    if (message.type === 'result-sets') {
        header = `${message.jobName} · ${message.jobState}`;
        sets.clear();
        for (const set of message.sets) sets.set(set.nodeId, set);
    } else {
        pages.set(message.nodeId, message);
    }
    render();
});

render();
vscode.postMessage({ type: 'ready' });

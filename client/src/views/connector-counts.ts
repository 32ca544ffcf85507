/**
 * What the editor says about a job's sources and sinks (rows read, skipped, dead-lettered;
 * records written and where), from the counters of GET /jobs/:jid and the metrics push messages.
 * No vscode import: the Jobs view, the skipped-rows warning and the unit tests share it.
 */
import type { JobDetails, JobMetricsMessage, SinkCounters, SourceCounters } from '../../../protocol/cluster-api.js';

/** Takes the counters of a metrics push message into the job's details (older clusters send none). */
export function applyConnectorCounters(details: JobDetails, message: Pick<JobMetricsMessage, 'sources' | 'sinks'>): void {
    if (message.sources) details.sources = message.sources;
    if (message.sinks) details.sinks = message.sinks;
}

/** The last path segment, short enough for a tree row. */
function fileName(path: string): string {
    return path.split(/[\\/]/).pop() ?? path;
}

/** `orders (orders.csv): 1000 read, 3 skipped, 0 dead-lettered` */
export function sourceCountsText(source: SourceCounters): string {
    return `${source.name} (${source.path !== null ? fileName(source.path) : source.connector}): ${source['read-records']} read, ` +
        `${source['skipped-records']} skipped, ${source['dead-lettered-records']} dead-lettered`;
}

/** `sink 1 (orders) -> out.jsonl: 997 written`; `number` counts from 1. */
export function sinkCountsText(sink: SinkCounters, number: number): string {
    const input = sink.description.split(' -> ')[0];
    return `sink ${number} (${input}) -> ${sink.path !== null ? fileName(sink.path) : sink.connector}: ${sink['write-records']} written`;
}

/** Rows skipped by all sources of the job. */
export function skippedRows(details: JobDetails): number {
    return (details.sources ?? []).reduce((sum, s) => sum + s['skipped-records'], 0);
}

/** Rows sent to dead-letter side outputs by all sources of the job. */
export function deadLetteredRows(details: JobDetails): number {
    return (details.sources ?? []).reduce((sum, s) => sum + s['dead-lettered-records'], 0);
}

/** The short part of a job row's description: `3 rows skipped · 1 dead-lettered`, or ''. */
export function badRowsDescription(details: JobDetails): string {
    const skipped = skippedRows(details);
    const deadLettered = deadLetteredRows(details);
    return [skipped > 0 ? `${skipped} row${skipped === 1 ? '' : 's'} skipped` : '', deadLettered > 0 ? `${deadLettered} dead-lettered` : '']
        .filter((part) => part !== '').join(' · ');
}

/** Markdown lines for a job's tooltip: one per source, then one per sink. */
export function connectorCountsMarkdown(details: JobDetails): string {
    const lines = [
        ...(details.sources ?? []).map((s) => `source ${sourceCountsText(s)}`),
        ...(details.sinks ?? []).map((s, i) => sinkCountsText(s, i + 1))
    ];
    return lines.map((line) => `- ${line.replace(/[\\`*_[\]]/g, '\\$&')}`).join('\n');
}

/** The warning for a job that ended with skipped rows, naming each source that skipped some; undefined when none did. */
export function skippedRowsWarning(details: JobDetails): string | undefined {
    const skipping = (details.sources ?? []).filter((s) => s['skipped-records'] > 0);
    if (skipping.length === 0) return undefined;
    const total = skippedRows(details);
    const which = skipping.map((s) => `${s.name} skipped ${s['skipped-records']} of ${s['read-records']}${s.path !== null ? ` (${fileName(s.path)})` : ''}`).join('; ');
    return `Job ${details.name} ${details.state.toLowerCase()} with ${total} bad row${total === 1 ? '' : 's'} skipped (onError skip): ${which}.`;
}

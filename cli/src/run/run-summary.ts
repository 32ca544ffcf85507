/**
 * The final summary of `flowline run`, on stderr as soon as each job ended: per source, the rows read,
 * skipped and dead-lettered; per sink, what it wrote and where; late records windows dropped.
 * Lines on and off a terminal;
 * one JSON line (`{"type":"summary",...}`) with --status json. Skipped rows are never silent.
 */
import type { JobDetails, RunSummaryEvent, SinkCounters, SourceCounters } from '../../../protocol/cluster-api.js';
import { displayPath } from '../../../runtime/src/operators/operator-error.js';

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `source orders (data/orders.csv): 1000 rows read, 3 skipped, 0 dead-lettered` */
export function sourceLine(source: SourceCounters): string {
    const from = source.path !== null ? displayPath(source.path) : source.connector;
    return `source ${source.name} (${from}): ${plural(source['read-records'], 'row')} read, ` +
        `${source['skipped-records']} skipped, ${source['dead-lettered-records']} dead-lettered`;
}

/** `sink 2 (orders.deadLetter) -> out/bad.jsonl: 3 records written`; `number` counts from 1. */
export function sinkLine(sink: SinkCounters, number: number): string {
    const input = sink.description.split(' -> ')[0];
    const to = sink.path !== null ? displayPath(sink.path) : sink.connector;
    // A checkpointed job's print/collect sink may repeat records after a restart: said where the counts are.
    const atLeastOnce = sink.delivery === 'at-least-once' ? ' (at least once: records after the last checkpoint are repeated after a restart)' : '';
    return `sink ${number} (${input}) -> ${to}: ${plural(sink['write-records'], 'record')} written${atLeastOnce}`;
}

/** The summary as text lines, sources first, in the pipeline's order. */
export function summaryLines(details: JobDetails): string[] {
    // A cluster of an older Flowline (--cluster) sends no counters: then there is nothing to list.
    const late = details['late-records-dropped'] ?? 0;
    return [
        ...(details.sources ?? []).map(sourceLine),
        ...(details.sinks ?? []).map((sink, i) => sinkLine(sink, i + 1)),
        // Late data a window dropped is lost data too: said whenever there was any.
        ...(late > 0 ? [`late records dropped: ${late} (behind the watermark; a window's late records can be read with a sink on its .late side output)`] : [])
    ];
}

/** The summary as the last --status json event. */
export function summaryEvent(details: JobDetails): RunSummaryEvent {
    return {
        type: 'summary', jid: details.jid, status: details.state, sources: details.sources ?? [], sinks: details.sinks ?? [],
        'late-records-dropped': details['late-records-dropped'] ?? 0
    };
}

/** How long to wait for the counters of an ended job to become final before printing them as they are. */
const FINAL_COUNTERS_TIMEOUT_MS = 5000;

/**
 * The details of an ended job once its counters are final: the job's state turns terminal
 * when it ends, but its subtasks' last metrics may land just after, so wait until every source
 * and sink says `complete`. A cluster of an older Flowline sends no counters: nothing to wait for.
 */
export async function finalDetails(details: () => Promise<JobDetails>): Promise<JobDetails> {
    const deadline = Date.now() + FINAL_COUNTERS_TIMEOUT_MS;
    for (;;) {
        const job = await details();
        const counters = [...(job.sources ?? []), ...(job.sinks ?? [])];
        if (counters.every((c) => c.complete) || Date.now() >= deadline) return job;
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

/**
 * One job's summary as stderr text: its lines, under `Name:` and indented when the run has
 * several pipelines; or one JSON `summary` event naming the pipeline with --status json.
 */
export function summaryText(details: JobDetails, pipeline: string, several: boolean, json: boolean): string {
    if (json) return `${JSON.stringify({ ...summaryEvent(details), pipeline })}\n`;
    const lines = summaryLines(details).map((line) => `${several ? '  ' : ''}${line}\n`);
    return `${several ? `${pipeline}:\n` : ''}${lines.join('')}`;
}

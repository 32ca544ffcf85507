/**
 * `flowline run --tap STREAM` (like `vector tap`): a live, rate-limited sample of the records a
 * stream carries while the job runs, on stdout as JSON lines
 * `{"stream":"big","subtask":0,"record":{...}}` (plus `"pipeline"` when several pipelines run).
 * Records are written as the print sink writes them (timestamps as ISO-8601 strings). The stream
 * is checked before anything is submitted; `--tap-filter` is a `.flow` expression over the
 * stream's fields, type-checked by the language in the context of the stream's last operator.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { TapInfo, TapRequest } from '../../../protocol/cluster-api.js';
import type { LogicalGraph, SchemaField } from '../../../protocol/logical-graph.js';
import { resolveTapTarget, tappableStreams, TapTargetError, type TapTarget } from '../../../runtime/src/cluster/tap-target.js';
import { compileRowFormatter } from '../../../runtime/src/connectors/common/row-formatter.js';
import type { Row } from '../../../runtime/src/operators/operator.js';
import { UsageError } from '../usage-error.js';

export interface TapOptions {
    tap?: string;
    tapRate?: number;
    tapFilter?: string;
}

/** What to tap in one pipeline. */
export interface PlannedTap {
    pipeline: string;
    target: TapTarget;
    request: TapRequest;
}

/**
 * The tap each graph gets (graphs without the stream get none). Throws a UsageError when
 * --tap-rate/--tap-filter come without --tap, when no graph has the stream (listing their
 * streams), or when the filter does not check.
 */
export async function planTaps(file: string, graphs: LogicalGraph[], options: TapOptions): Promise<PlannedTap[]> {
    if (options.tap === undefined) {
        if (options.tapRate !== undefined || options.tapFilter !== undefined) throw new UsageError('--tap-rate and --tap-filter need --tap STREAM.');
        return [];
    }
    const stream = options.tap;
    const planned: PlannedTap[] = [];
    for (const graph of graphs) {
        if (!tappableStreams(graph).includes(stream)) continue;
        let target: TapTarget;
        try {
            target = resolveTapTarget(graph, { stream });
        } catch (error) {
            if (error instanceof TapTargetError) throw new UsageError(`--tap ${stream}: ${error.message}`);
            throw error;
        }
        const request: TapRequest = { stream, ...(options.tapRate !== undefined ? { recordsPerSecond: options.tapRate } : {}) };
        if (options.tapFilter !== undefined) request.filter = await compileTapFilter(file, graph, target, options.tapFilter);
        planned.push({ pipeline: graph.pipeline, target, request });
    }
    if (planned.length === 0) {
        const known = graphs.map((g) => `${graphs.length > 1 ? `${g.pipeline}: ` : ''}${tappableStreams(g).join(', ') || 'none'}`);
        throw new UsageError(`--tap ${stream}: ${file} has no stream '${stream}'. Its streams: ${known.join('; ')}.`);
    }
    return planned;
}

/** The filter text checked and lowered by the language, over the tapped node's output. */
async function compileTapFilter(file: string, graph: LogicalGraph, target: TapTarget, text: string): Promise<TapRequest['filter']> {
    if (!file.endsWith('.flow')) throw new UsageError('--tap-filter needs a .flow file: a .json graph has no source to check the expression against.');
    // Loaded on demand, as the language is for .flow files only.
    const { compileNodeExpression } = await import('../../../language/src/graph/node-expression.js');
    const result = await compileNodeExpression({
        uri: pathToFileURL(resolve(file)).href, pipeline: graph.pipeline, nodeId: target.nodeId, text, at: 'output', expect: 'condition'
    });
    if ('errors' in result) {
        // No file or line: the expression is the command line's, so point into it instead.
        const lines = result.errors.map((e) => `--tap-filter '${text}': ${e.message}${text.length > 1 ? ` (at column ${e.column + 1}: '${text.slice(e.column, Math.max(e.endColumn, e.column + 1))}')` : ''}`);
        throw new UsageError(lines.join('\n'));
    }
    return result.expr;
}

/** Writes a tap's sampled records as JSON lines, and what it sampled once it ended. */
export class TapPrinter {
    private readonly format: (row: Row) => Row;

    constructor(readonly pipeline: string, readonly stream: string, fields: SchemaField[], private readonly withPipeline: boolean) {
        this.format = compileRowFormatter(fields);
    }

    line(subtask: number, record: Record<string, unknown>): string {
        const head = this.withPipeline ? { pipeline: this.pipeline } : {};
        return JSON.stringify({ ...head, stream: this.stream, subtask, record: this.format(record) });
    }

    /**
     * For the run's summary: `tap big: 36 records sampled of 3241 seen (at most 10 per second)`;
     * with a filter `tap big: 12 records sampled of 40 matching amount > 900 (3241 seen; ...)`.
     */
    static summary(info: Pick<TapInfo, 'stream' | 'seen' | 'matched' | 'sampled' | 'recordsPerSecond' | 'filter'>, filterText?: string): string {
        const of = info.filter ? `${info.matched} matching ${filterText ?? 'the filter'} (${info.seen} seen; ` : `${info.seen} seen (`;
        return `tap ${info.stream}: ${info.sampled} record${info.sampled === 1 ? '' : 's'} sampled of ${of}at most ${info.recordsPerSecond} per second)`;
    }
}

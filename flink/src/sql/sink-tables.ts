/**
 * Sinks: a CREATE TEMPORARY TABLE per sink (filesystem csv/json, print, blackhole) and the INSERT
 * that fills it. File sinks write timestamps as the local runtime does (ISO-8601 in UTC with
 * milliseconds), so both write the same files and `flowline run` reads either back.
 */
import type { LogicalEdge, LogicalNode, SinkConfig } from '../../../protocol/logical-graph.js';
import { materializeOrder } from './ranking-sql.js';
import { containsDuration, fileUrl } from './source-tables.js';
import { isoTimestampSql } from './time-sql.js';
import { identifier, sqlType, withOptions } from './sql-syntax.js';
import type { TranslationContext } from './translation-context.js';

export function translateSink(ctx: TranslationContext, node: LogicalNode, config: SinkConfig, edge: LogicalEdge | undefined): void {
    if (!edge) return;
    if (edge.sideOutput) {
        // Node ids are `<pipeline>/<stream>/<n>-<kind>` or `<pipeline>/source/<name>`.
        const [, stream, rest] = edge.source.split('/');
        const producer = stream === 'source' ? rest : stream;
        ctx.report(node, edge.sideOutput === 'late' ? 'flink-late-side-output' : 'flink-dead-letter-sink',
            `${producer}.${edge.sideOutput}`,
            edge.sideOutput === 'late'
                ? `The sink reads the late records of ${producer}: Flink SQL's window aggregates drop records that arrive after the watermark, with no side output for them.`
                : `The sink reads the dead letters of ${producer}: Flink's file formats have no dead-letter output for malformed rows.`);
        return;
    }
    if (config.connector === 'collect') {
        ctx.report(node, 'flink-collect-sink', 'collect',
            'A collect sink keeps the rows for the editor\'s results view of a local run; a Flink job has no such channel. Write to a file (csv, jsonl) or print instead.');
        return;
    }
    const input = materializeOrder(ctx, ctx.relationOf(edge));
    const override = ctx.options.sinkPathOverride?.(node);
    const format = config.connector === 'csv' ? 'csv' : config.connector === 'jsonl' || override !== undefined ? 'json' : undefined;
    const path = override ?? config.path;
    if (format && ctx.streaming && !input.appendOnly) {
        ctx.report(node, 'flink-updates-to-file-sink', `${config.connector} sink of an updating stream`,
            `In streaming mode Flink produces these rows as a changelog (each update retracts the previous row: a rolling aggregate, distinct, a regular left join or a ranking over everything), and Flink's filesystem sink writes appends only (the local runtime's '| upsert', which writes each update as a line, has no Flink counterpart). Print it, use a window, or run in batch mode.`);
    }
    const options: [string, string][] = format
        ? [['connector', 'filesystem'], ['path', fileUrl(path ?? '')], ['format', format]]
        : [['connector', config.connector === 'blackhole' ? 'blackhole' : 'print']];
    if (format === 'csv' && typeof config.options.delimiter === 'string' && config.options.delimiter !== ',') {
        options.push(['csv.field-delimiter', config.options.delimiter]);
    }
    // Flink's blackhole connector takes no parallelism (parallelism-notes.ts notes it).
    if (node.parallelismPinned && config.connector !== 'blackhole') options.push(['sink.parallelism', String(node.parallelism)]);
    if (format) ctx.fileSinks++;
    for (const f of format ? node.schema.filter((f) => containsDuration(f.type)) : []) {
        ctx.report(node, 'flink-duration-column', `${f.name}: duration`,
            `The field ${f.name} is a duration: Flink's csv and json formats cannot write an interval column.`);
    }
    const fileTimestamps = format !== undefined;
    const columns = node.schema.map((f) => `  ${identifier(f.name)} ${fileTimestamps && f.type.kind === 'timestamp' ? 'STRING' : sqlType(f.type)}`);
    const table = identifier(ctx.uniqueName(`sink_${node.id.split('/').pop()}_${config.connector}`));
    // Flink's filesystem sink writes the same `name=value` folders (PARTITIONED BY), the files without those columns.
    const partitioned = format && config.partitionBy ? ` PARTITIONED BY (${config.partitionBy.map(identifier).join(', ')})` : '';
    ctx.definitions.push(`CREATE TEMPORARY TABLE ${table} (\n${columns.join(',\n')}\n)${partitioned} ${withOptions(options)}`);
    const items = node.schema.map((f, i) => {
        const column = identifier(input.columns[i] ?? f.name);
        return fileTimestamps && f.type.kind === 'timestamp'
            ? `${isoTimestampSql(column)} AS ${identifier(f.name)}`
            : column;
    });
    ctx.inserts.push(`INSERT INTO ${table}\nSELECT ${items.join(', ')}\nFROM ${input.name}`);
}

/**
 * Sources: a CREATE TEMPORARY TABLE reading the file (or generating rows), then a view giving
 * the rows the .flow schema's names and types, converted as the local runtime converts them.
 * The view is what the rest of the script reads.
 */
import type { Expr, FlowType, LogicalNode, SchemaField, SourceConfig } from '../../../protocol/logical-graph.js';
import { readCsvHeader } from './csv-header.js';
import { mapExpr, nodeExpressionSql } from './node-expression-sql.js';
import { identifier, intervalLiteral, sqlType, stringLiteral, withOptions } from './sql-syntax.js';
import { cellAcceptedSql, parseTimestampSql, textToValueSql } from './text-conversion-sql.js';
import { type Relation, type TranslationContext } from './translation-context.js';
import { valuesAsDataFile, valuesRelation } from './values-source.js';

/** Translates a source node into its table and view. */
export function translateSource(ctx: TranslationContext, node: LogicalNode, config: SourceConfig): Relation {
    // A csv source can skip the rows the local runtime would skip (fileSource); nothing else can.
    if (config.onError === 'deadLetter' || (config.onError === 'skip' && config.connector !== 'csv')) {
        ctx.report(node, `flink-on-error-${config.onError === 'deadLetter' ? 'dead-letter' : 'skip'}`, `onError ${config.onError}`,
            config.onError === 'skip'
                ? `The ${config.connector} source ${config.sourceName} has 'onError skip': Flink's ${config.connector === 'jsonl' ? 'json' : config.connector} format cannot skip a malformed row as the local runtime does (it fails the job, or sets the bad field to null), so only 'onError fail' runs on Flink here ('onError skip' runs on csv sources).`
                : `The source ${config.sourceName} has 'onError deadLetter': Flink's file formats cannot route a malformed row to a dead-letter output (they fail the job, or set the bad field to null), so only 'onError fail' runs on Flink.`);
    }
    switch (config.connector) {
        case 'csv': return fileSource(ctx, node, config, 'csv');
        case 'jsonl': return fileSource(ctx, node, config, 'json');
        case 'text': return fileSource(ctx, node, config, 'raw');
        // Only tables declare watermarks: watermarked rows are read from a data file.
        case 'values': return config.watermark ? fileSource(ctx, node, valuesAsDataFile(ctx, config), 'json') : valuesRelation(ctx, node, config);
        case 'datagen': return datagenSource(ctx, node, config);
        case 'nexmark.person': case 'nexmark.auction': case 'nexmark.bid': return nexmarkSource(ctx, node, config);
    }
}

/**
 * Flink has no Nexmark connector built in (nexmark/nexmark's is a separate jar, with its own
 * unseeded generator): the pipeline reads the same events from the files `flowline nexmark
 * generate` writes, with a jsonl source, to run on Flink.
 */
function nexmarkSource(ctx: TranslationContext, node: LogicalNode, config: SourceConfig): Relation {
    const kind = config.connector.slice('nexmark.'.length);
    ctx.report(node, 'flink-nexmark-source', `${config.connector}(...)`,
        `The source ${config.sourceName} is a Nexmark generator, which Flink does not have built in: write the events to files with 'flowline nexmark generate --events N --seed S --out DIR' and read ${kind} events with jsonl("DIR/${kind}.jsonl") to run this pipeline on Flink.`);
    return { name: identifier(config.sourceName), columns: node.schema.map((f) => f.name), rowtime: config.watermark?.field, appendOnly: true, windowColumns: false };
}

/** datagen's parallelism, when the pipeline fixes it (Flink's filesystem source has no such option: it reads one split per file). */
function scanParallelism(node: LogicalNode): [string, string][] {
    return node.parallelismPinned ? [['scan.parallelism', String(node.parallelism)]] : [];
}

/** The suffix of the computed column holding a parsed event time (the raw column keeps the file's name). */
const ROWTIME_SUFFIX = '__rowtime';

/**
 * csv, jsonl and text files through Flink's filesystem connector. csv cells are read as text and
 * converted in the view (as the local runtime converts them: empty cell = null for a nullable
 * field, ISO-8601 or epoch-millisecond timestamps); JSON values keep their JSON types except
 * timestamps and durations, which may be numbers or strings.
 */
function fileSource(ctx: TranslationContext, node: LogicalNode, config: SourceConfig, format: 'csv' | 'json' | 'raw'): Relation {
    const encoding = typeof config.options.encoding === 'string' ? config.options.encoding : 'utf-8';
    const options: [string, string][] = [['connector', 'filesystem'], ['path', fileUrl(config.path ?? '')], ['format', format]];
    if (encoding !== 'utf-8') {
        if (format === 'raw') options.push(['raw.charset', 'ISO-8859-1']);
        else ctx.report(node, 'flink-source-encoding', `encoding: "${encoding}"`,
            `The ${config.connector} source ${config.sourceName} reads ${encoding}: Flink's ${format} format reads UTF-8 only.`);
    }
    const delimiter = typeof config.options.delimiter === 'string' ? config.options.delimiter : ',';
    const header = format === 'csv' && config.options.header !== false && config.options.header !== 'false';
    if (format === 'csv') {
        if (delimiter.length !== 1) {
            ctx.report(node, 'flink-csv-delimiter', `delimiter: "${delimiter}"`,
                `The csv source ${config.sourceName} uses the delimiter "${delimiter}": Flink's csv format takes a single character.`);
        }
        if (delimiter !== ',') options.push(['csv.field-delimiter', delimiter]);
    }
    // `watermark ... idle D`: the source is idle (holds no watermark back) after D without records.
    if (config.watermark?.idleMs !== undefined) options.push(['scan.watermark.idle-timeout', `${config.watermark.idleMs} ms`]);

    // Physical columns: csv by position (the header's order when it can be read), json by key.
    const headerNames = header ? (ctx.options.csvHeader ?? readCsvHeader)(config.path ?? '', delimiter) : undefined;
    const physical: { name: string; type: string }[] = format === 'csv'
        ? (headerNames ?? node.schema.map((f) => f.name)).map((name) => ({ name, type: 'STRING' }))
        : node.schema.map((f) => ({ name: f.name, type: format === 'raw' ? 'STRING' : jsonColumnType(f.type) }));
    const text = (f: SchemaField) => format === 'csv' || isTextInJson(f.type);
    // onError skip (csv): Flink's parser keeps a short row (missing cells NULL) and drops one with
    // two or more extra cells; one more column catches a single extra cell. The view then keeps
    // the rows whose cells the local runtime accepts.
    const skipBadRows = format === 'csv' && config.onError === 'skip';
    const extraCell = '__flowline_extra_cell';
    if (skipBadRows) options.push(['csv.ignore-parse-errors', 'true']);
    for (const f of node.schema.filter((f) => containsDuration(f.type))) {
        ctx.report(node, 'flink-duration-column', `${f.name}: duration`,
            `The field ${f.name} of the source ${config.sourceName} is a duration: files hold durations as text like "1m30s" or as milliseconds, and Flink's formats read neither as an interval.`);
    }
    const columns = [...physical, ...(skipBadRows ? [{ name: extraCell, type: 'STRING' }] : [])].map((c) => `  ${identifier(c.name)} ${c.type}`);

    const watermark = config.watermark;
    let rowtimeColumn: string | undefined;
    if (watermark) {
        const field = node.schema.find((f) => f.name === watermark.field);
        rowtimeColumn = `${watermark.field}${ROWTIME_SUFFIX}`;
        const raw = identifier(watermark.field);
        // With onError skip a bad time must not fail the job: it is 1970 here, and the view drops the row.
        let parsed = field && text(field) ? parseTimestampSql(raw, skipBadRows) : raw;
        if (skipBadRows) parsed = `COALESCE(${parsed}, TIMESTAMP '1970-01-01 00:00:00')`;
        // The header row is read as data (Flink's csv format cannot skip it): give it some time, the view drops it.
        if (header) parsed = `CASE WHEN ${raw} = ${stringLiteral(watermark.field)} THEN TIMESTAMP '1970-01-01 00:00:00' ELSE ${parsed} END`;
        columns.push(`  ${identifier(rowtimeColumn)} AS ${parsed}`);
        columns.push(`  WATERMARK FOR ${identifier(rowtimeColumn)} AS ${identifier(rowtimeColumn)} - ${intervalLiteral(watermark.delayMs)}`);
    }
    const table = identifier(ctx.uniqueName(`${config.sourceName}_file`));
    ctx.definitions.push(`CREATE TEMPORARY TABLE ${table} (\n${columns.join(',\n')}\n) ${withOptions(options)}`);

    const select = node.schema.map((f) => {
        const raw = identifier(f.name);
        if (f.name === watermark?.field) return `${identifier(rowtimeColumn!)} AS ${raw}`;
        if (format === 'raw') return `REGEXP_REPLACE(${raw}, '\\r$', '') AS ${raw}`;
        // Skipping: converted only when accepted (Flink may evaluate a later filter before this view's WHERE).
        if (skipBadRows) return `CASE WHEN ${cellAcceptedSql(raw, f.type)} THEN ${textToValueSql(raw, f.type)} END AS ${raw}`;
        return `${text(f) ? textToValueSql(raw, f.type) : raw} AS ${raw}`;
    });
    // The header row: the one whose cells are the column names (a data row equal to it would go too).
    const conditions: string[] = [];
    const notHeader = physical.map((c) => `${identifier(c.name)} IS DISTINCT FROM ${stringLiteral(c.name)}`).join(' OR ');
    if (header) conditions.push(skipBadRows ? `(${notHeader})` : notHeader);
    if (skipBadRows) {
        // Every cell present (columns the schema does not read too), none extra, each one accepted.
        const read = new Set(node.schema.map((f) => f.name));
        conditions.push(`${identifier(extraCell)} IS NULL`, ...physical.filter((c) => !read.has(c.name)).map((c) => `${identifier(c.name)} IS NOT NULL`));
        conditions.push(...node.schema.map((f) => `(${cellAcceptedSql(identifier(f.name), f.type)})`));
    }
    const where = conditions.length > 0 ? `\nWHERE ${conditions.join('\n  AND ')}` : '';
    const view = ctx.defineView(config.sourceName, `SELECT ${select.join(', ')}\nFROM ${table}${where}`);
    return { name: view, columns: node.schema.map((f) => f.name), rowtime: watermark?.field, appendOnly: true, windowColumns: false };
}

/** A JSON value the view converts from text: timestamps (numbers or strings in the file). */
function isTextInJson(type: FlowType): boolean {
    return type.kind === 'timestamp';
}

/** Whether a field's type holds a duration anywhere (a column, an element, a nested field). */
export function containsDuration(type: FlowType): boolean {
    if (type.kind === 'duration') return true;
    if (type.kind === 'array') return containsDuration(type.element);
    if (type.kind === 'record') return type.fields.some((f) => containsDuration(f.type));
    return false;
}

function jsonColumnType(type: FlowType): string {
    return isTextInJson(type) ? 'STRING' : sqlType(type);
}

/** `file:///abs/path` for an absolute path (Flink's filesystem connector takes URIs). */
export function fileUrl(path: string): string {
    return path.startsWith('file:') ? path : `file://${path.split('/').map(encodeURIComponent).join('/')}`;
}

const INDEX_COLUMN = '__index';

/**
 * datagen: Flink's datagen connector counts `__index` from 0 (a sequence, so each index comes
 * once whatever the parallelism) and every generated field is a computed column over it:
 * `sequence(s)` is `s + __index`, as in the local runtime. random/oneOf/uuid draw from Flowline's
 * seeded generator, which Flink cannot reproduce: the expression translator reports them.
 */
function datagenSource(ctx: TranslationContext, node: LogicalNode, config: SourceConfig): Relation {
    const generators = config.generators ?? [];
    const count = config.options.count === undefined ? undefined : Number(config.options.count);
    const rate = rowsPerSecond(config.options.rate);
    const index = identifier(INDEX_COLUMN);
    const columns = [`  ${index} BIGINT`];
    for (const g of generators) {
        const expr = mapExpr(g.expr, (e) => (e.k === 'call' && e.fn === 'sequence' ? sequenceExpr(e) : undefined));
        columns.push(`  ${identifier(g.name)} AS ${nodeExpressionSql(ctx, node, expr)}`);
    }
    if (config.watermark) {
        const ts = identifier(config.watermark.field);
        columns.push(`  WATERMARK FOR ${ts} AS ${ts} - ${intervalLiteral(config.watermark.delayMs)}`);
    }
    if (count === undefined) {
        // Flink's sequence generator is bounded, and each subtask holds all of its values in memory
        // before emitting the first (a long "unbounded" range failed the TaskManager with
        // OutOfMemoryError); a random field would repeat values. Nothing in Flink SQL counts forever.
        ctx.report(node, 'flink-unbounded-datagen', `datagen without count`,
            `The source ${config.sourceName} is an unbounded datagen: Flink's datagen can only count a bounded sequence, held in memory by each subtask, so give it a count (datagen(count: N, ...)) to run it on Flink.`);
    }
    const options: [string, string][] = [['connector', 'datagen']];
    if (count !== undefined) options.push(['number-of-rows', String(count)]);
    // Without a rate the local runtime generates as fast as it can; Flink's default is 10 000 rows/s.
    options.push(['rows-per-second', String(rate ?? 1_000_000_000)]);
    options.push([`fields.${INDEX_COLUMN}.kind`, 'sequence'], [`fields.${INDEX_COLUMN}.start`, '0'],
        [`fields.${INDEX_COLUMN}.end`, String(Math.max((count ?? 0) - 1, 0))]);
    options.push(...scanParallelism(node));
    const table = identifier(ctx.uniqueName(`${config.sourceName}_generator`));
    ctx.definitions.push(`CREATE TEMPORARY TABLE ${table} (\n${columns.join(',\n')}\n) ${withOptions(options)}`);
    const view = ctx.defineView(config.sourceName, `SELECT ${node.schema.map((f) => identifier(f.name)).join(', ')}\nFROM ${table}`);
    return { name: view, columns: node.schema.map((f) => f.name), rowtime: config.watermark?.field, appendOnly: true, windowColumns: false };
}

/** `sequence(start)` (start 1 when omitted) as `start + __index`. */
function sequenceExpr(call: Extract<Expr, { k: 'call' }>): Expr {
    const start: Expr = call.args[0] ?? { k: 'literal', value: 1, type: { kind: 'long' } };
    return { k: 'binary', op: '+', left: start, right: { k: 'field', name: INDEX_COLUMN, type: { kind: 'long' } }, type: { kind: 'long' } };
}

/** Records per second from datagen's `rate` option (`1000`, `"1000/s"`, `"60/m"`). */
function rowsPerSecond(value: string | number | boolean | undefined): number | undefined {
    if (value === undefined || typeof value === 'boolean') return undefined;
    if (typeof value === 'number') return value;
    const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(ms|s|m|h))?\s*$/.exec(value);
    if (!m) return undefined;
    return Number(m[1]) / { ms: 0.001, s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
}

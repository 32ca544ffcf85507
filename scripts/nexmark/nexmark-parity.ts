/**
 * The Nexmark parity harness: for each query written in examples/nexmark, one bounded event set
 * (written to files by the generator), the .flow query on the local runtime over it (its
 * nexmark sources set to the same events, its sink to a jsonl file, streaming mode) and the
 * official Nexmark Flink SQL on a real Flink through the SQL Gateway over the files (Nexmark's DDL
 * as filesystem tables with its watermark; the INSERT's SELECT, its changelog folded into the final
 * table), compared as multisets of rows. Windowed results carry their window columns, so equal
 * multisets are equal per window.
 *
 * CLI: `node --import tsx scripts/nexmark/nexmark-parity.ts [q0 q1 ...] [--events N] [--seed S] [--rate R]`
 * with FLOWLINE_FLINK_SQL_GATEWAY_URL set (docs/nexmark.md).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import { SqlGatewayClient } from '../../flink/src/rest/sql-gateway-client.js';
import { loadLogicalGraphs } from '../../language/src/graph/load-logical-graphs.js';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import { NEXMARK_KINDS, NEXMARK_SCHEMAS, nexmarkKindOf, type NexmarkKind } from '../../protocol/nexmark.js';
import { nexmarkFile, writeNexmarkFiles } from '../../runtime/src/connectors/nexmark/nexmark-files.js';
import { q6Reference } from './q6-reference.js';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const QUERY_DIR = join(REPO, 'examples', 'nexmark');
const FLINK_QUERY_DIR = join(REPO, 'scripts', 'nexmark', 'flink-queries');
const BIN = join(REPO, 'bin', 'flowline.js');

export interface EventSet { events: number; seed: number; rate: number }

/** The harness's default event set: small, fixed, 20 s of event time (several 10 s windows). */
export const PARITY_EVENTS: EventSet = { events: 20_000, seed: 1, rate: 1_000 };

export interface QueryParity {
    query: string;
    localRows: number;
    flinkRows: number;
    matches: boolean;
    /** What differs (rows only one side has, a few of each), or how the query is compared. */
    note?: string;
}

/** The queries written in examples/nexmark, in numeric order: ['q0', 'q1', ...]. */
export function writtenQueries(): string[] {
    return readdirSync(QUERY_DIR).filter((f) => /^q\d+\.flow$/.test(f)).map((f) => f.slice(0, -5))
        .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

/** The side table of q13 (Nexmark's side input: each key 0..9999 with its number as text), as the .flow query reads it. */
export const SIDE_INPUT_FILE = join(QUERY_DIR, 'data', 'side_input.csv');

/**
 * The official query's statements, adapted where Flink's cluster lacks what the Nexmark jar
 * brings: q14's count_char (a Java function of that jar) becomes the same count in plain SQL;
 * q13's side table, declared with the legacy filesystem options Flink 2 no longer has, becomes a
 * filesystem csv table over the same file, and its processing-time lookup join (which needs a
 * lookup connector: the filesystem connector has none) a regular join, the same rows on a static table.
 */
export function officialStatements(query: string): { setup: string[]; sinkTable: string; insert: string; select: string } {
    let text = readFileSync(join(FLINK_QUERY_DIR, `${query}.sql`), 'utf8').replace(/^--.*$/gm, '');
    if (query === 'q13') {
        text = text.replace(/\) WITH \(\s*'connector\.type' = 'filesystem'[^;]*;/, `) WITH ('connector' = 'filesystem', 'path' = '${pathToFileURL(SIDE_INPUT_FILE).href}', 'format' = 'csv');`)
            .replace(/JOIN side_input FOR SYSTEM_TIME AS OF B\.p_time AS S/, 'JOIN side_input AS S');
    }
    if (query === 'q14') {
        text = text.replace(/CREATE FUNCTION count_char[^;]*;/, '')
            .replace(/count_char\(extra, 'c'\)/, "(CHAR_LENGTH(extra) - CHAR_LENGTH(REPLACE(extra, 'c', '')))");
    }
    const statements = text.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
    const insert = statements.find((s) => /^INSERT INTO/i.test(s));
    if (!insert) throw new Error(`${query}.sql has no INSERT`);
    // The sink tables are blackholes; the SELECT's rows are what we compare.
    const setup = statements.filter((s) => s !== insert && !/^CREATE TABLE nexmark_q/i.test(s));
    const sinkTable = statements.find((s) => /^CREATE TABLE nexmark_q/i.test(s)) ?? '';
    return { setup, sinkTable, insert, select: insert.replace(/^INSERT INTO\s+\S+\s*/i, '') };
}

const SQL_TYPES: Record<string, string> = { long: 'BIGINT', string: 'VARCHAR', timestamp: 'TIMESTAMP(3)' };

/** Nexmark's DDL (ddl_gen.sql + ddl_views.sql) as filesystem tables over the event files, with its watermark. */
export function eventTableDdl(dir: string): string[] {
    return NEXMARK_KINDS.map((kind) => {
        const columns = NEXMARK_SCHEMAS[kind].map((f) => `  \`${f.name}\` ${SQL_TYPES[f.type.kind]}`);
        return `CREATE TEMPORARY TABLE ${kind} (\n${columns.join(',\n')},\n  WATERMARK FOR \`dateTime\` AS \`dateTime\` - INTERVAL '4' SECOND\n) WITH ('connector' = 'filesystem', 'path' = '${pathToFileURL(nexmarkFile(dir, kind)).href}', 'format' = 'json')`;
    });
}

/**
 * Runs the official query on Flink over the files; returns the final table's rows (column name ->
 * value). `upsertKey` names the key columns for a result Flink sends as an upsert changelog
 * (updates without their update-before, as its Top-N does).
 */
export async function flinkRows(sqlGatewayUrl: string, dir: string, query: string, upsertKey?: string[], partitioned?: { output: PartitionedOutput; folder: string }): Promise<Record<string, unknown>[]> {
    if (partitioned) return flinkPartitionedRows(sqlGatewayUrl, dir, query, partitioned.output, partitioned.folder);
    const { setup, select } = officialStatements(query);
    const session = await new SqlGatewayClient(sqlGatewayUrl, 300_000).openSession({ 'execution.runtime-mode': 'streaming', 'table.local-time-zone': 'UTC' });
    try {
        for (const statement of [...eventTableDdl(dir), ...setup]) await session.execute(statement);
        const result = await session.execute(select);
        const names = result.columns.map((c) => c.name);
        const upsert = result.rows.some((r) => r.kind === 'UPDATE_AFTER') && !result.rows.some((r) => r.kind === 'UPDATE_BEFORE');
        if (upsert) {
            if (!upsertKey) throw new Error(`${query}: Flink sends an upsert changelog, and the .flow query names no key to fold it by`);
            const byKey = new Map<string, Record<string, unknown>>();
            for (const r of result.rows) {
                const row = Object.fromEntries(names.map((n, i) => [n, r.fields[i]]));
                const key = JSON.stringify(upsertKey.map((k) => row[k]));
                if (r.kind === 'DELETE') byKey.delete(key);
                else byKey.set(key, row);
            }
            return [...byKey.values()];
        }
        // The final table of the changelog: inserts and update-afters add a row, update-befores and deletes remove one.
        const table = new Map<string, { row: Record<string, unknown>; count: number }>();
        for (const r of result.rows) {
            const row = Object.fromEntries(names.map((n, i) => [n, r.fields[i]]));
            const key = JSON.stringify(r.fields);
            const entry = table.get(key) ?? { row, count: 0 };
            entry.count += r.kind === 'INSERT' || r.kind === 'UPDATE_AFTER' ? 1 : -1;
            table.set(key, entry);
        }
        return [...table.values()].flatMap((e) => Array.from({ length: Math.max(e.count, 0) }, () => e.row));
    } finally {
        await session.close().catch(() => undefined);
    }
}

/** A partitioned sink's output: the files' columns, and the partition fields the folders are named by. */
export interface PartitionedOutput { columns: string[]; partitionBy: string[] }

/**
 * Reads a partitioned csv folder (`<dir>/dt=.../hm=.../<files>`) back as rows: each file's columns,
 * plus each partition field with its folder name's value as written (still escaped, so both sides
 * must name the folders alike). Hidden files (parts not committed) and _SUCCESS markers are not data.
 */
export function readPartitionedCsv(dir: string, output: PartitionedOutput): Record<string, unknown>[] {
    const rows: Record<string, unknown>[] = [];
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
        if (!entry.isFile() || entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
        const folder = relative(dir, entry.parentPath).split(sep);
        const partition: Record<string, unknown> = {};
        for (const [i, field] of output.partitionBy.entries()) {
            const [name, ...value] = (folder[i] ?? '').split('=');
            if (name !== field) throw new Error(`${join(entry.parentPath, entry.name)}: expected the folder of partition field ${field}, found '${folder[i]}'`);
            partition[field] = value.join('=');
        }
        const records = parseCsv(readFileSync(join(entry.parentPath, entry.name)), { relax_column_count: false }) as string[][];
        for (const record of records) rows.push({ ...Object.fromEntries(output.columns.map((c, i) => [c, record[i]])), ...partition });
    }
    return rows;
}

/**
 * Runs the official query with its own partitioned filesystem sink table (q10), its path set to
 * `folder`, and reads the committed files back: the INSERT runs synchronously (`table.dml-sync`)
 * with checkpoints, since Flink's streaming file sink commits files only at checkpoints (the last
 * one when the bounded input ends).
 */
async function flinkPartitionedRows(sqlGatewayUrl: string, dir: string, query: string, output: PartitionedOutput, folder: string): Promise<Record<string, unknown>[]> {
    const { setup, sinkTable, insert } = officialStatements(query);
    const table = sinkTable.replace(/'path'\s*=\s*'[^']*'/, `'path' = '${pathToFileURL(folder).href}'`);
    const session = await new SqlGatewayClient(sqlGatewayUrl, 300_000).openSession({
        'execution.runtime-mode': 'streaming', 'table.local-time-zone': 'UTC', 'table.dml-sync': 'true', 'execution.checkpointing.interval': '2s'
    });
    try {
        for (const statement of [...eventTableDdl(dir), ...setup, table, insert]) await session.execute(statement);
    } finally {
        await session.close().catch(() => undefined);
    }
    return readPartitionedCsv(folder, output);
}

/** The query's graph with its nexmark sources set to `events` and its one sink writing JSON lines to `out`. */
export async function localGraph(query: string, events: EventSet, out: string): Promise<LogicalGraph> {
    const { graphs } = await loadLogicalGraphs(join(QUERY_DIR, `${query}.flow`));
    if (graphs.length !== 1) throw new Error(`${query}.flow should hold one pipeline, not ${graphs.length}`);
    const graph = graphs[0];
    const sinks = graph.nodes.filter((n) => n.config.kind === 'sink');
    if (sinks.length !== 1) throw new Error(`${query}.flow should have one sink, not ${sinks.length}`);
    for (const node of graph.nodes) {
        if (node.config.kind === 'source' && nexmarkKindOf(node.config.connector)) {
            node.config.options = { ...node.config.options, events: events.events, seed: events.seed, rate: events.rate };
            node.config.bounded = true;
        }
        if (node.config.kind === 'sink') {
            // A partitioned sink (q10) is what is compared: it keeps its csv folders, written under `out`.
            node.config = node.config.partitionBy
                ? { kind: 'sink', connector: 'csv', path: out, options: { header: false }, partitionBy: node.config.partitionBy }
                : { kind: 'sink', connector: 'jsonl', path: out, options: {} };
        }
    }
    return graph;
}

/**
 * The key fields of an updating result: a streaming aggregate without a window emits an updated
 * row per record (docs/language.md), so the final table holds the last row of each key.
 */
function updatingKeyFields(graph: LogicalGraph): string[] | undefined {
    // The graph says which rows are updates, and of which key, on the node the sink reads.
    const sink = graph.nodes.find((n) => n.config.kind === 'sink');
    const feeding = graph.nodes.find((n) => graph.edges.some((e) => e.source === n.id && e.target === sink?.id));
    if (feeding?.changelog) return feeding.changelog.keyFields;
    const rolling = graph.nodes.filter((n) => n.config.kind === 'aggregate' && !n.config.window);
    if (rolling.length !== 1 || rolling[0].config.kind !== 'aggregate') return undefined;
    const keys = rolling[0].config.keys;
    return keys.every((k) => k.k === 'field') ? keys.map((k) => (k as { name: string }).name) : undefined;
}

/** Runs the .flow query on the local runtime (`flowline run`, in its mode or `mode`) at `parallelism`; returns its final rows and, for an updating result, its key. */
export async function localRows(work: string, query: string, events: EventSet, parallelism = 2, mode?: 'batch' | 'streaming'): Promise<{ rows: Record<string, unknown>[]; keyFields?: string[]; partitioned?: PartitionedOutput }> {
    let out = join(work, `${query}-local.jsonl`);
    const graphFile = join(work, `${query}.graph.json`);
    const graph = await localGraph(query, events, out);
    if (mode) graph.mode = mode;
    const sink = graph.nodes.find((n) => n.config.kind === 'sink')!;
    const partitionBy = sink.config.kind === 'sink' ? sink.config.partitionBy : undefined;
    if (partitionBy && sink.config.kind === 'sink') {
        out = join(work, `${query}-local`);
        sink.config.path = out;
    }
    writeFileSync(graphFile, JSON.stringify(graph));
    await promisify(execFile)(process.execPath, [BIN, 'run', graphFile, '--mode', graph.mode, '--parallelism', String(parallelism)], { maxBuffer: 64 * 1024 * 1024 });
    if (partitionBy) {
        const partitioned = { columns: sink.schema.map((f) => f.name).filter((n) => !partitionBy.includes(n)), partitionBy };
        return { rows: readPartitionedCsv(out, partitioned), partitioned };
    }
    const rows = readFileSync(out, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    const keyFields = updatingKeyFields(graph);
    if (!keyFields) return { rows };
    const last = new Map<string, Record<string, unknown>>();
    for (const row of rows) last.set(JSON.stringify(keyFields.map((f) => row[f])), row);
    return { rows: [...last.values()], keyFields };
}

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?$/;
const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

/** One value in a form both sides agree on: timestamps as epoch ms, numbers (also DECIMAL text) to 15 digits. */
function canonical(value: unknown): unknown {
    if (typeof value === 'string' && TIMESTAMP_TEXT.test(value)) return Date.parse(`${value.replace(' ', 'T').replace(/Z$/, '')}Z`);
    if (typeof value === 'string' && NUMBER_TEXT.test(value)) return Number(Number(value).toPrecision(15));
    if (typeof value === 'number') return Number(value.toPrecision(15));
    return value;
}

/**
 * Rows as comparable strings: by column name when both sides name the same columns, else by
 * position (Flink names a second `dateTime` `dateTime0`; the .flow query names it).
 */
function keyed(rows: Record<string, unknown>[], names: string[] | undefined): string[] {
    return rows.map((row) => JSON.stringify((names ?? Object.keys(row)).map((n) => canonical(row[n])))).sort();
}

/** Compares two multisets of rows; undefined when equal, else what differs. */
export function compareRows(local: Record<string, unknown>[], flink: Record<string, unknown>[]): string | undefined {
    const localNames = local[0] ? Object.keys(local[0]) : [];
    const flinkNames = flink[0] ? Object.keys(flink[0]) : [];
    const sameNames = localNames.length === flinkNames.length && localNames.every((n) => flinkNames.includes(n));
    const a = keyed(local, sameNames ? localNames : undefined);
    const b = keyed(flink, sameNames ? localNames : undefined);
    const counts = new Map<string, number>();
    for (const k of a) counts.set(k, (counts.get(k) ?? 0) + 1);
    for (const k of b) counts.set(k, (counts.get(k) ?? 0) - 1);
    const onlyLocal = [...counts].filter(([, c]) => c > 0);
    const onlyFlink = [...counts].filter(([, c]) => c < 0);
    if (onlyLocal.length === 0 && onlyFlink.length === 0) return undefined;
    const sample = (rows: [string, number][]) => rows.slice(0, 3).map(([k, c]) => `${k}${Math.abs(c) > 1 ? ` x${Math.abs(c)}` : ''}`).join('; ');
    return `${onlyLocal.reduce((s, [, c]) => s + c, 0)} rows only local (${sample(onlyLocal)}), ${onlyFlink.reduce((s, [, c]) => s - c, 0)} rows only on Flink (${sample(onlyFlink)})`;
}

/**
 * q12 counts per processing-time window, which depends on when the rows arrive: its windows
 * cannot agree run to run, so it is compared by each bidder's total over all windows.
 */
function totalsPerBidder(rows: Record<string, unknown>[]): Record<string, unknown>[] {
    const totals = new Map<string, number>();
    for (const r of rows) totals.set(String(r.bidder), (totals.get(String(r.bidder)) ?? 0) + Number(r.bid_count));
    return [...totals].map(([bidder, total]) => ({ bidder, total }));
}

/**
 * q12 cannot equal Flink on bounded files: Flink fires a processing-time window only when the
 * wall clock passes its end, and not at the end of the input, so the job ends with the windows
 * still open unfired (over the harness's seconds of input: no rows), while the local runtime
 * fires every open window at the end. What both define is checked instead, against the bid
 * file's count per bidder (a plain evaluator): the local windows' totals per bidder equal it (every
 * bid in exactly one window), and Flink's rows, the windows it did fire, stay within it. `matches`
 * says both hold; the note says how many rows Flink emitted.
 */
function q12Parity(local: Record<string, unknown>[], flink: Record<string, unknown>[], dir: string): QueryParity {
    const perBidder = new Map<string, number>();
    for (const line of readFileSync(nexmarkFile(dir, 'bid'), 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        const bidder = String((JSON.parse(line) as { bidder: unknown }).bidder);
        perBidder.set(bidder, (perBidder.get(bidder) ?? 0) + 1);
    }
    const expected = [...perBidder].map(([bidder, total]) => ({ bidder, total }));
    const localDifference = compareRows(totalsPerBidder(local), expected);
    const beyond = totalsPerBidder(flink).filter((r) => Number(r.total) > (perBidder.get(String(r.bidder)) ?? 0));
    const flinkNote = `Flink fired ${flink.length} window rows before its bounded input ended (it fires no processing-time window at the end)`;
    return {
        query: 'q12', localRows: local.length, flinkRows: flink.length, matches: localDifference === undefined && beyond.length === 0,
        note: localDifference !== undefined ? `local totals per bidder differ from the bid file's counts: ${localDifference}`
            : beyond.length > 0 ? `${flinkNote}, ${beyond.length} bidders above the bid file's counts (${JSON.stringify(beyond.slice(0, 3))})`
                : `not comparable row by row: ${flinkNote}; the local windows' totals per bidder equal the bid file's counts, Flink's stay within them`
    };
}

/** Runs the harness for `queries` over one event set; `work` receives the files. */
export async function runNexmarkParity(sqlGatewayUrl: string, queries: string[], events: EventSet = PARITY_EVENTS, work = mkdtempSync(join(tmpdir(), 'flowline-nexmark-parity-'))): Promise<QueryParity[]> {
    const dir = join(work, 'events');
    if (!NEXMARK_KINDS.every((k: NexmarkKind) => existsSync(nexmarkFile(dir, k)))) {
        mkdirSync(dir, { recursive: true });
        writeNexmarkFiles({ ...events, outOfOrder: 1 }, dir);
    }
    const results: QueryParity[] = [];
    for (const query of queries) {
        let local: Record<string, unknown>[];
        let flink: Record<string, unknown>[];
        try {
            const run = await localRows(work, query, events);
            local = run.rows;
            const partitioned = run.partitioned ? { output: run.partitioned, folder: join(work, `${query}-flink-${Date.now()}`) } : undefined;
            // Flink SQL cannot run q6 (its suite leaves it out): a plain evaluator of the same files stands in.
            flink = query === 'q6' ? q6Reference(dir) : await flinkRows(sqlGatewayUrl, dir, query, run.keyFields, partitioned);
        } catch (error) {
            results.push({ query, localRows: 0, flinkRows: 0, matches: false, note: `failed: ${(error as Error).message.split('\n').slice(0, 4).join(' ')}` });
            continue;
        }
        const note: string | undefined = query === 'q6' ? 'compared with scripts/nexmark/q6-reference.ts (Flink SQL cannot run q6)' : undefined;
        if (query === 'q12') {
            results.push(q12Parity(local, flink, dir));
            continue;
        }
        const difference = compareRows(local, flink);
        results.push({ query, localRows: local.length, flinkRows: flink.length, matches: difference === undefined, note: difference ?? note });
    }
    return results;
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const option = (name: string, fallback: number): number => {
        const i = args.indexOf(`--${name}`);
        return i >= 0 ? Number(args.splice(i, 2)[1]) : fallback;
    };
    const events: EventSet = { events: option('events', PARITY_EVENTS.events), seed: option('seed', PARITY_EVENTS.seed), rate: option('rate', PARITY_EVENTS.rate) };
    const gateway = process.env.FLOWLINE_FLINK_SQL_GATEWAY_URL;
    if (!gateway) {
        console.error('Set FLOWLINE_FLINK_SQL_GATEWAY_URL to a Flink SQL Gateway (flowline flink start prints it).');
        process.exit(2);
    }
    const queries = args.length > 0 ? args : writtenQueries();
    for (const r of await runNexmarkParity(gateway, queries, events)) {
        console.log(`${r.query.padEnd(4)} ${r.matches ? 'matches' : 'DIFFERS'}  local ${r.localRows} rows, Flink ${r.flinkRows} rows${r.note ? `: ${r.note}` : ''}`);
    }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();

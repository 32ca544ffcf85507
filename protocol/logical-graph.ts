/**
 * The LogicalGraph: the one contract between the language (which builds it from a checked
 * pipeline) and everything that consumes it (the local runtime, the graph preview, the Flink
 * translator). Plain JSON, versioned, dependency-free: nothing here may import langium or vscode.
 */
import type { CheckpointingSettings, RestartStrategySettings } from './checkpoints.js';

/**
 * The version a graph is written in: the lowest one that can describe it, so a consumer that
 * reads only an older version refuses a graph using something newer instead of misreading it.
 * 1: the original contract. 2: adds temporal joins (`temporal` on a join node). 3: adds Top-N per
 * key (`topN` nodes), the `max_by`/`min_by` aggregates, and the `decimal` and `date` types (a node's
 * schema holds one). 4: adds aggregates over updating rows (`updatingInput`), partitioned file
 * sinks (`partitionBy` on a sink), OVER aggregates (`over` nodes), count and cumulate windows,
 * Top-N per window (`window`, `withTies` on a `topN` node), and calendar arithmetic (`calendarAdd`
 * expressions: `ts + 1 month`).
 */
export const LOGICAL_GRAPH_VERSION = 4;
export type LogicalGraphVersion = 1 | 2 | 3 | 4;

/** Aggregate functions a version-3 reader knows and an older one does not. */
export const VERSION_3_AGGREGATES: readonly string[] = ['max_by', 'min_by'];

/** The lowest LogicalGraph version that describes a graph with these nodes. */
export function logicalGraphVersionFor(nodes: readonly LogicalNode[]): LogicalGraphVersion {
    if (nodes.some((n) => usesVersion4Config(n) || usesCalendarArithmetic(n.config))) return 4;
    if (nodes.some((n) => n.config.kind === 'topN' || (n.config.kind === 'aggregate' && usesVersion3Aggregate(n.config.fields)))) return 3;
    if (nodes.some((n) => n.schema.some((f) => usesVersion3Type(f.type)))) return 3;
    return nodes.some((n) => n.config.kind === 'join' && n.config.temporal === true) ? 2 : 1;
}

/**
 * Version 4 constructs: an aggregate over updating rows, a partitioned file sink, OVER aggregates,
 * count and cumulate windows, Top-N per window.
 */
function usesVersion4Config(node: LogicalNode): boolean {
    const c = node.config;
    if (c.kind === 'over') return true;
    if (c.kind === 'aggregate' && (c.window?.type === 'count' || c.window?.type === 'cumulate')) return true;
    if (c.kind === 'topN' && (c.window !== undefined || c.withTies === true)) return true;
    return (c.kind === 'aggregate' && c.updatingInput !== undefined) || (c.kind === 'sink' && c.partitionBy !== undefined);
}

function usesVersion3Aggregate(fields: readonly NamedExpr[]): boolean {
    const walk = (e: Expr): boolean => {
        if (e.k === 'call' && VERSION_3_AGGREGATES.includes(e.fn)) return true;
        return childExprs(e).some(walk);
    };
    return fields.some((f) => walk(f.expr));
}

/** True when some expression in a node's configuration is calendar arithmetic (version 4: an older reader has no `calendarAdd`). */
export function usesCalendarArithmetic(config: unknown): boolean {
    if (Array.isArray(config)) return config.some(usesCalendarArithmetic);
    if (config === null || typeof config !== 'object') return false;
    if ((config as { k?: unknown }).k === 'calendarAdd') return true;
    return Object.values(config).some(usesCalendarArithmetic);
}

/** DECIMAL and DATE values (version 3): a version-2 reader would misread their text as strings. */
function usesVersion3Type(t: FlowType): boolean {
    switch (t.kind) {
        case 'decimal': case 'date': return true;
        case 'array': return usesVersion3Type(t.element);
        case 'record': return t.fields.some((f) => usesVersion3Type(f.type));
        default: return false;
    }
}

/** The direct sub-expressions of an expression. */
export function childExprs(e: Expr): Expr[] {
    switch (e.k) {
        case 'member': return [e.receiver];
        case 'unary': return [e.operand];
        case 'binary': return [e.left, e.right];
        case 'isNull': return [e.operand];
        case 'in': return [e.operand, ...e.values];
        case 'call': return e.args;
        case 'if': return [e.condition, e.then, e.else];
        case 'case': return [...e.branches.flatMap((b) => [b.when, b.then]), ...(e.otherwise ? [e.otherwise] : [])];
        case 'cast': return [e.value];
        case 'calendarAdd': return [e.value];
        case 'record': return e.fields.map((f) => f.value);
        case 'array': return e.items;
        default: return [];
    }
}

/** A primitive value type of the .flow language. */
export type PrimitiveTypeName = 'int' | 'long' | 'double' | 'boolean' | 'string' | 'timestamp' | 'duration' | 'date';

/**
 * A checked type. `timestamp` values are epoch milliseconds (numbers) at run time, `duration`
 * values are milliseconds, `int`/`long`/`double` are JavaScript numbers. A `decimal` (DECIMAL(p, s),
 * exact) is its canonical text with exactly `scale` digits after the point (`"12.50"`), a `date`
 * its ISO text `"2026-01-31"` (protocol/decimal-types.ts, runtime/src/expressions/decimal-values.ts).
 */
export type FlowType =
    | { kind: PrimitiveTypeName; nullable?: boolean }
    | { kind: 'null' }
    | { kind: 'decimal'; precision: number; scale: number; nullable?: boolean }
    | { kind: 'array'; element: FlowType; nullable?: boolean }
    | { kind: 'record'; fields: SchemaField[]; nullable?: boolean };

/** One field of a stream's schema, in order. */
export interface SchemaField {
    name: string;
    type: FlowType;
}

/** A position in a source file (0-based, as in LSP). */
export interface SourcePosition { line: number; character: number }

/** Where a node came from, so runtime errors and graph clicks map back to the editor. */
export interface SourceLocation {
    uri: string;
    range: { start: SourcePosition; end: SourcePosition };
}

/**
 * A checked expression, as a tree the runtime compiles to a JavaScript function. Field names
 * are the flat names of the input record (after a join, right-hand fields that clash with a
 * left-hand field are named `<stream>_<field>`).
 */
export type Expr =
    | { k: 'field'; name: string; type: FlowType }
    | { k: 'member'; receiver: Expr; name: string; type: FlowType }
    | { k: 'literal'; value: string | number | boolean | null; type: FlowType }
    | { k: 'unary'; op: 'not' | '-'; operand: Expr; type: FlowType }
    | { k: 'binary'; op: BinaryOperator; left: Expr; right: Expr; type: FlowType }
    | { k: 'isNull'; operand: Expr; negated: boolean; type: FlowType }
    | { k: 'in'; operand: Expr; values: Expr[]; type: FlowType }
    | { k: 'call'; fn: string; args: Expr[]; distinct?: boolean; type: FlowType }
    | { k: 'if'; condition: Expr; then: Expr; else: Expr; type: FlowType }
    | { k: 'case'; branches: { when: Expr; then: Expr }[]; otherwise?: Expr; type: FlowType }
    | { k: 'cast'; value: Expr; type: FlowType }
    /**
     * `t + 1 month`, `d - 2 days` (version 4): a timestamp or date moved by `amount` whole calendar
     * months or days (negative: back; years and weeks are 12 months and 7 days). Months keep the
     * day of the month, clamped to the last day of a shorter month, and a timestamp its time of
     * day (UTC), as SQL's `+ INTERVAL '1' MONTH`. The result has the value's type.
     */
    | { k: 'calendarAdd'; value: Expr; unit: 'month' | 'day'; amount: number; type: FlowType }
    | { k: 'window'; property: 'start' | 'end'; type: FlowType }
    | { k: 'record'; fields: { name: string; value: Expr }[]; type: FlowType }
    | { k: 'array'; items: Expr[]; type: FlowType };

export type BinaryOperator =
    | 'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'like' | '+' | '-' | '*' | '/' | '%';

/** An output column of a map/aggregate: `name: expr`. */
export interface NamedExpr { name: string; expr: Expr }

/** How records travel along an edge (Flink's ship strategies). */
export type ShipStrategy = 'FORWARD' | 'HASH' | 'REBALANCE' | 'BROADCAST';

export type ErrorPolicy = 'fail' | 'skip' | 'deadLetter';

export type WindowSpec =
    | { type: 'tumbling'; sizeMs: number; timeField?: string }
    | { type: 'sliding'; sizeMs: number; slideMs: number; timeField?: string }
    | { type: 'session'; gapMs: number; timeField?: string }
    /** Flink's CUMULATE: windows [start, start + stepMs), [start, start + 2 stepMs), ... up to sizeMs, starting every sizeMs (version 4). */
    | { type: 'cumulate'; sizeMs: number; stepMs: number; timeField?: string }
    /**
     * Count windows per key (version 4): tumbling, every `size` rows of a key; sliding (`slide`), after every
     * `slide` rows of a key its last `size` rows (fewer at first, as Flink's countWindow). With `timeField`
     * the rows are counted in event-time order (ties by the whole row), each once the watermark passes it;
     * without, in arrival order. An incomplete tumbling window never fires (as Flink's).
     */
    | { type: 'count'; size: number; slide?: number; timeField?: string };
// timeField absent = processing time (count windows: arrival order).

/** The configuration of each node kind. */
export type NodeConfig =
    | SourceConfig
    | { kind: 'filter'; predicate: Expr }
    | { kind: 'map'; fields: NamedExpr[] }
    | { kind: 'flatMap'; value: Expr; as: string }
    | { kind: 'udf'; role: 'map' | 'filter'; file: string; exportName: string }
    /** Aggregation per key (keys empty = global); `window` set for windowed aggregation;
     *  `rolling` emits an updated row after every input record (reduce, or streaming without window). */
    | { kind: 'aggregate'; keys: Expr[]; fields: NamedExpr[]; window?: WindowSpec; rolling: boolean;
        allowedLatenessMs?: number;
        /** Graph version 4: the input is an upsert changelog keyed by `keyFields` (a superset of `keys`,
         *  plain fields): each input row replaces the earlier row with the same key values, which is
         *  taken back out of its group's aggregate (retracted) before the new row is added. */
        updatingInput?: { keyFields: string[] } }
    /** Equi-join. `within` set = interval join in streaming mode; otherwise a hash join
     *  (batch) or a regular join holding both sides (streaming). */
    | { kind: 'join'; joinType: 'inner' | 'left'; leftKeys: Expr[]; rightKeys: Expr[]; withinMs?: number;
        leftFields: string[]; rightFields: { from: string; as: string }[];
        /** Interval joins: each side's event-time field (absent: that side's timestamp field among the output fields).
         *  Temporal joins: both set: the left record's event time and the right side's version time (its own field name). */
        leftTimeField?: string; rightTimeField?: string;
        /** Temporal join (`join R as of t`, graph version 2): each left record meets the version of the right
         *  row with its key (`rightKeys`, plain fields) whose `rightTimeField` is the latest <= the left record's
         *  `leftTimeField`, once the watermark has passed the left record's time; the output keeps the left's event time. */
        temporal?: true }
    | { kind: 'union' }
    | { kind: 'distinct' }
    /** Sort / first N. With `window` (the output of a windowed aggregate, in both modes): per window,
     *  each window ranked once it is complete (`window` says how to tell); otherwise over the
     *  whole input, at its end. `acrossWindows`: that input is the rows of windowed aggregates
     *  taken all together (`across windows`), which streaming mode may rank when it is bounded. */
    | { kind: 'orderBy'; keys: { expr: Expr; descending: boolean }[]; window?: RowWindow; acrossWindows?: boolean }
    | { kind: 'limit'; count: number; window?: RowWindow; acrossWindows?: boolean }
    | TopNConfig
    | OverConfig
    | SinkConfig;

/**
 * OVER aggregation (`over last N rows` / `over last 1h`; graph version 4, Flink's
 * `OVER (PARTITION BY keys ORDER BY timeField ROWS|RANGE BETWEEN ... PRECEDING AND CURRENT ROW)`):
 * every input row, in event-time order per key (`keys`, the HASH edge's keys; empty: all rows),
 * with `fields` (aggregates; a field outside an aggregate is the current row's) computed over
 * the key's last `rows` rows up to and including it (ties in time ordered by the whole row), or
 * over its rows whose time is within `rangeMs` before its own, up to rows of the same time (RANGE
 * includes peers). Output: the row's fields, then `fields`. Streaming: a row is emitted once the
 * watermark passes its time; a row behind the watermark on arrival is late (dropped, counted).
 */
export interface OverConfig {
    kind: 'over';
    keys: Expr[];
    fields: NamedExpr[];
    timeField: string;
    rows?: number;
    rangeMs?: number;
}

/**
 * Top-N per key (`top N by ...`, `keep first|last by ...`; graph version 3): the first `count`
 * rows of each key (`keys`, also the HASH edge's keys; empty: one global ranking) in `order`,
 * ties broken by the whole row (as orderBy). `rankField` adds the rank (1..count) as a long.
 * Batch mode: each key's rows at the end of the input. Streaming mode: after every record, the
 * rows whose rank it changed (an updating stream, see `LogicalNode.changelog`); with
 * `finalOnWatermark` (keep first by the event-time field) instead each key's first row once the
 * watermark has passed its time, once (an append stream; later rows of the key are dropped).
 */
export interface TopNConfig {
    kind: 'topN';
    keys: Expr[];
    order: { expr: Expr; descending: boolean }[];
    count: number;
    rankField?: string;
    finalOnWatermark?: boolean;
    /**
     * Version 4, `keep ... until t`: each key stays open until the watermark passes `t` (the latest
     * value of `t` over the key's rows); its first row is then final and emitted once (an append
     * stream), later rows of the key are late. `timeFields` are the input's event-time fields: the
     * output watermark is held back to the earliest of them over the open keys' rows, so the rows
     * emitted at closing are not late downstream.
     */
    until?: Expr;
    timeFields?: string[];
    /**
     * Version 4: right after a windowed aggregate, ranks each window (and key) on its own, once
     * the window is complete, in both modes: an append stream (Flink's window Top-N).
     */
    window?: RowWindow;
    /** Version 4 (with `window` only): keeps every row tied with the count-th (RANK() <= count, not ROW_NUMBER()). */
    withTies?: boolean;
}

/**
 * An orderBy/limit that ranks its whole input, neither per window nor across windows: streaming
 * mode cannot run it (its rows may be updates, and it would wait for the end of the input), so
 * only batch mode can. The checker reports it in a .flow file; both graph loaders (the language's
 * for a .flow file run with --mode streaming, the CLI's for a .json one) refuse it with this test.
 */
export function isGlobalRanking(config: NodeConfig): boolean {
    return (config.kind === 'orderBy' || config.kind === 'limit') && config.window === undefined && !config.acrossWindows;
}

/** Which window a row of a windowed aggregate belongs to, and when that window is complete. */
export interface RowWindow {
    /** Fields holding window.start and/or window.end: rows with equal values are one window. */
    fields: string[];
    /** The window ends at the value of `endField` plus `endOffsetMs` (the window size when it holds window.start). */
    endField: string;
    endOffsetMs: number;
    /** Event time: a window is complete once the watermark reaches its end; processing time: once the clock does. */
    eventTime: boolean;
}

/**
 * The encodings a file source reads (its `encoding` option, "utf-8" when absent), written exactly
 * so: the checker refuses other spellings in a .flow file, the runtime's graph validator in a graph.
 */
export const SOURCE_ENCODINGS = ['utf-8', 'latin1'] as const;
export type SourceEncoding = typeof SOURCE_ENCODINGS[number];

export interface SourceConfig {
    kind: 'source';
    /** The name the source is declared with (`orders`), as dead letters and run summaries show it. */
    sourceName: string;
    connector: 'csv' | 'jsonl' | 'text' | 'values' | 'datagen' | 'nexmark.person' | 'nexmark.auction' | 'nexmark.bid';
    /** Absolute file path for file connectors. */
    path?: string;
    /** Connector options as given (csv: header, delimiter; datagen: count, rate, seed; nexmark.*: events, rate, seed, outOfOrder). */
    options: Record<string, string | number | boolean>;
    /** Inline records for `values(...)`. */
    values?: Record<string, unknown>[];
    /** Generated fields for `datagen`, each an expression evaluated per record. */
    generators?: NamedExpr[];
    bounded: boolean;
    watermark?: { field: string; delayMs: number; idleMs?: number };
    onError: ErrorPolicy;
}

export interface SinkConfig {
    kind: 'sink';
    connector: 'print' | 'csv' | 'jsonl' | 'collect' | 'blackhole';
    path?: string;
    options: Record<string, string | number | boolean>;
    /** Graph version 4: a csv/jsonl sink writing into `path` as a folder, one subfolder per value of each of
     *  these fields in turn (`dt=2015-07-15/hm=10-00/part-...`, Flink's `PARTITIONED BY`); the files hold the other fields. */
    partitionBy?: string[];
}

export type NodeKind = NodeConfig['kind'];

export interface LogicalNode {
    /** Stable id derived from pipeline, stream and operator position. */
    id: string;
    /** Short human name, e.g. `filter`, `source: orders`, `sink: print`. */
    name: string;
    /** The operator text as written, for display. */
    description: string;
    config: NodeConfig;
    /** The output schema (for sinks, the input schema). */
    schema: SchemaField[];
    parallelism: number;
    /**
     * Set when the parallelism is fixed by the pipeline (`| parallelism N`) or by what the node
     * is (a global orderBy/limit/aggregate, a single-file connector): changing the pipeline's
     * default parallelism (`flowline run --parallelism`) leaves such a node alone.
     */
    parallelismPinned?: boolean;
    location: SourceLocation;
    /** Side outputs this node can emit: `deadLetter` (sources), `late` (event-time windows). */
    sideOutputs?: ('deadLetter' | 'late')[];
    /**
     * Set when the node's output is an updating stream (streaming mode only): Flink's upsert
     * changelog, each row the newest version of the row with the same values of `keyFields`
     * (absent: the key is not among the columns). A reader showing the result keeps the latest
     * row per key (an updating table) instead of appending rows; batch mode emits final rows only.
     */
    changelog?: { kind: 'upsert'; keyFields?: string[] };
}

export interface LogicalEdge {
    source: string;
    target: string;
    ship: ShipStrategy;
    /** For HASH edges: the key expressions evaluated on the records of `source`. */
    keys?: Expr[];
    /** For joins: which input of the target this edge feeds. Unions: input order. */
    input?: 'left' | 'right' | number;
    /** Set when the edge carries a side output of `source` instead of its main output. */
    sideOutput?: 'deadLetter' | 'late';
}

export interface LogicalGraph {
    version: LogicalGraphVersion;
    pipeline: string;
    mode: 'batch' | 'streaming';
    /** The pipeline's default parallelism. */
    parallelism: number;
    nodes: LogicalNode[];
    edges: LogicalEdge[];
    location: SourceLocation;
    /**
     * Checkpointing (the pipeline header's `checkpoint every ...`; CLI flags override it). Absent:
     * no checkpoints. Job settings, not operators: a reader that ignores them computes the same
     * results (without fault tolerance), so they do not raise the graph's version.
     */
    checkpointing?: CheckpointingSettings;
    /** The restart strategy (the header's `restart ...`). Absent: Flink's default (`effectiveRestartStrategy`). */
    restartStrategy?: RestartStrategySettings;
}

/** The schema of a source's `deadLetter` side output: the raw row and why it was rejected. */
export const DEAD_LETTER_SCHEMA: SchemaField[] = [
    { name: 'source', type: { kind: 'string' } },
    { name: 'file', type: { kind: 'string', nullable: true } },
    { name: 'line', type: { kind: 'long', nullable: true } },
    { name: 'raw', type: { kind: 'string' } },
    { name: 'error', type: { kind: 'string' } }
];

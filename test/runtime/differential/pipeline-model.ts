/**
 * The pipelines the differential tests generate, as plain data: a source (optionally unioned
 * with a second one), stateless stages, an optional stateful terminal and stateless stages after
 * it. `flowText` writes one as a `.flow` file; the reference evaluator interprets the same data.
 */

/**
 * The value types the generator uses (numbers are whole: sums stay exact in any order).
 * Timestamps (epoch milliseconds) are only carried along and used by windows.
 */
export type BaseType = 'int' | 'string' | 'boolean' | 'timestamp';

export interface FieldType { base: BaseType; nullable: boolean }
export interface Field { name: string; type: FieldType }
export type Schema = Field[];

export type Value = number | string | boolean | null;
export type Row = Record<string, Value>;

/** Expressions, a subset of the language's. */
export type Ex =
    | { k: 'field'; name: string }
    | { k: 'int'; v: number }
    | { k: 'str'; v: string }
    | { k: 'bool'; v: boolean }
    | { k: 'arith'; op: '+' | '-' | '*' | '%'; l: Ex; r: Ex }
    | { k: 'neg'; e: Ex }
    | { k: 'concat'; l: Ex; r: Ex }
    | { k: 'cmp'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; l: Ex; r: Ex }
    | { k: 'logic'; op: 'and' | 'or'; l: Ex; r: Ex }
    | { k: 'not'; e: Ex }
    | { k: 'isNull'; e: Ex; negated: boolean }
    | { k: 'in'; e: Ex; values: Ex[] }
    | { k: 'if'; c: Ex; t: Ex; e: Ex | null }
    | { k: 'coalesce'; args: Ex[] }
    | { k: 'call'; fn: 'upper' | 'lower' | 'length' | 'abs' | 'starts_with'; args: Ex[] };

/** An aggregate item: `name: fn(arg)`, `name: count()`, or `name: max(arg) - min(arg)`. */
export type AggregateItem =
    | { k: 'key'; name: string }
    | { k: 'windowStart'; name: string }
    | { k: 'count'; name: string }
    | { k: 'agg'; name: string; fn: 'count' | 'sum' | 'min' | 'max' | 'avg'; distinct: boolean; arg: Ex }
    | { k: 'spread'; name: string; arg: Ex };

/**
 * Filter, map/select, flatMap and rebalance keep or reshape records one at a time; `parallelism`
 * (`| parallelism N` after the operator) makes the edges around it REBALANCE.
 */
export type StatelessStage =
    | { op: 'filter'; cond: Ex; parallelism?: number }
    | { op: 'map'; keyword: 'map' | 'select'; items: { name: string; expr: Ex | null }[]; parallelism?: number }
    | { op: 'flatMap'; array: { k: 'list'; items: Ex[] } | { k: 'split'; s: Ex }; as: string; parallelism?: number }
    | { op: 'rebalance' };

/** An event-time window on the timestamp field `ts` (sizes in minutes). */
export type WindowSpec =
    | { type: 'tumbling'; size: number }
    | { type: 'sliding'; size: number; slide: number }
    | { type: 'session'; gap: number };

/** The stateful operator ending the chain (keys: the `keyBy` fields, empty for none). */
export type Terminal =
    | { op: 'distinct'; keys: string[] }
    | { op: 'aggregate' | 'reduce'; keys: string[]; window?: WindowSpec; items: AggregateItem[] };

/** The timestamp field windows use; the source declares a watermark on it. */
export const TIME_FIELD = 'ts';
/** The watermark delay: larger than the input's time span, so no record is ever late. */
export const WATERMARK_DELAY = '1d';

export interface Pipeline {
    /** values(...) in the file, or a jsonl file next to it (see dataFiles). */
    source: 'values' | 'jsonl';
    schema: Schema;
    rows: Row[];
    /** A second source of the same schema, unioned into the first. */
    unionRows: Row[] | null;
    stages: StatelessStage[];
    terminal: Terminal | null;
    /** Stages after the terminal (only after distinct, or after an aggregate in batch comparisons). */
    after: StatelessStage[];
}

/** The name of the count() item every generated aggregate has: the final row of a key has the largest. */
export const COUNT_FIELD = 'n';
/** The name of the window.start item every windowed aggregate has (part of the key of its rows). */
export const WINDOW_START_FIELD = 'ws';

export function flowText(p: Pipeline): string {
    const schema = `{ ${p.schema.map((f) => `${f.name}: ${typeText(f.type)}`).join(', ')} }`;
    const ops: string[] = [];
    if (p.unionRows) ops.push('union b');
    ops.push(...p.stages.map(stageText));
    if (p.terminal) {
        if (p.terminal.keys.length > 0) ops.push(`keyBy ${p.terminal.keys.join(', ')}`);
        if (p.terminal.op !== 'distinct' && p.terminal.window) ops.push(windowText(p.terminal.window));
        ops.push(p.terminal.op === 'distinct' ? 'distinct' : `${p.terminal.op} { ${p.terminal.items.map(aggregateItemText).join(', ')} }`);
    }
    ops.push(...p.after.map(stageText));
    const watermark = p.schema.some((f) => f.name === TIME_FIELD) ? ` { watermark ${TIME_FIELD} - ${WATERMARK_DELAY} }` : '';
    const lines = [
        'pipeline Generated {',
        `    source a: ${schema} = ${p.source === 'jsonl' ? 'jsonl("a.jsonl")' : valuesText(p.rows, p.schema)}${watermark}`,
        ...(p.unionRows ? [`    source b: ${schema} = ${p.source === 'jsonl' ? 'jsonl("b.jsonl")' : valuesText(p.unionRows, p.schema)}${watermark}`] : []),
        `    stream out = a${ops.map((o) => `\n        | ${o}`).join('')}`,
        '    sink out -> collect',
        '}',
        ''
    ];
    return lines.join('\n');
}

/** The files a pipeline reads, by name relative to its .flow file. */
export function dataFiles(p: Pipeline): Record<string, string> {
    if (p.source !== 'jsonl') return {};
    const jsonl = (rows: Row[]): string => rows.map((r) => `${JSON.stringify(r)}\n`).join('');
    return { 'a.jsonl': jsonl(p.rows), ...(p.unionRows ? { 'b.jsonl': jsonl(p.unionRows) } : {}) };
}

function typeText(t: FieldType): string {
    return `${t.base}${t.nullable ? '?' : ''}`;
}

function valuesText(rows: Row[], schema: Schema): string {
    // values() needs at least one record; an empty input is a filter that drops everything.
    const records = rows.map((r) => `{ ${schema.filter((f) => r[f.name] !== null).map((f) => `${f.name}: ${f.type.base === 'timestamp' ? `timestamp "${new Date(r[f.name] as number).toISOString()}"` : literal(r[f.name])}`).join(', ')} }`);
    return `values(${records.join(', ')})`;
}

function literal(v: Value): string {
    if (v === null) return 'null';
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number' && v < 0) return `-${-v}`;
    return String(v);
}

function stageText(s: StatelessStage): string {
    const text = operatorText(s);
    return s.op !== 'rebalance' && s.parallelism !== undefined ? `${text}\n        | parallelism ${s.parallelism}` : text;
}

function operatorText(s: StatelessStage): string {
    switch (s.op) {
        case 'filter': return `filter ${exText(s.cond)}`;
        case 'map': return `${s.keyword} { ${s.items.map((i) => (i.expr === null ? i.name : `${i.name}: ${exText(i.expr)}`)).join(', ')} }`;
        case 'flatMap': return `flatMap ${s.array.k === 'list' ? `[${s.array.items.map(exText).join(', ')}]` : `split(${exText(s.array.s)}, "-")`} as ${s.as}`;
        case 'rebalance': return 'rebalance';
    }
}

function windowText(w: WindowSpec): string {
    switch (w.type) {
        case 'tumbling': return `window tumbling ${w.size}m on ${TIME_FIELD}`;
        case 'sliding': return `window sliding ${w.size}m every ${w.slide}m on ${TIME_FIELD}`;
        case 'session': return `window session gap ${w.gap}m on ${TIME_FIELD}`;
    }
}

function aggregateItemText(i: AggregateItem): string {
    switch (i.k) {
        case 'key': return i.name;
        case 'windowStart': return `${i.name}: window.start`;
        case 'count': return `${i.name}: count()`;
        case 'agg': return `${i.name}: ${i.fn}(${i.distinct ? 'distinct ' : ''}${exText(i.arg)})`;
        case 'spread': return `${i.name}: max(${exText(i.arg)}) - min(${exText(i.arg)})`;
    }
}

/** Fully parenthesised, so precedence never changes what the reference evaluator computes. */
export function exText(e: Ex): string {
    switch (e.k) {
        case 'field': return e.name;
        case 'int': return e.v < 0 ? `(-${-e.v})` : String(e.v);
        case 'str': return JSON.stringify(e.v);
        case 'bool': return String(e.v);
        case 'arith': return `(${exText(e.l)} ${e.op} ${exText(e.r)})`;
        case 'neg': return `(-${exText(e.e)})`;
        case 'concat': return `(${exText(e.l)} + ${exText(e.r)})`;
        case 'cmp': return `(${exText(e.l)} ${e.op} ${exText(e.r)})`;
        case 'logic': return `(${exText(e.l)} ${e.op} ${exText(e.r)})`;
        case 'not': return `(not ${exText(e.e)})`;
        case 'isNull': return `(${exText(e.e)} is ${e.negated ? 'not ' : ''}null)`;
        case 'in': return `(${exText(e.e)} in (${e.values.map(exText).join(', ')}))`;
        case 'if': return `(if ${exText(e.c)} then ${exText(e.t)} else ${e.e === null ? 'null' : exText(e.e)})`;
        case 'coalesce': return `coalesce(${e.args.map(exText).join(', ')})`;
        case 'call': return `${e.fn}(${e.args.map(exText).join(', ')})`;
    }
}

/**
 * A deliberately plain interpreter of generated pipelines, written from docs/language.md and
 * sharing no code with the runtime: what the runtime's results are compared against. It
 * computes the final results of bounded input (batch semantics): one row per key for
 * aggregate and reduce.
 */
import { TIME_FIELD, type AggregateItem, type Ex, type Pipeline, type Row, type StatelessStage, type Terminal, type Value, type WindowSpec } from './pipeline-model.js';

/** The records `p` produces, in no particular order. */
export function evaluate(p: Pipeline): Row[] {
    let rows = [...p.rows, ...(p.unionRows ?? [])];
    for (const stage of p.stages) rows = applyStage(stage, rows);
    if (p.terminal) rows = applyTerminal(p.terminal, rows);
    for (const stage of p.after) rows = applyStage(stage, rows);
    return rows;
}

/** The value of `e` for record `row`, with SQL's null semantics. */
export function evalEx(e: Ex, row: Row): Value {
    switch (e.k) {
        case 'field': {
            if (!(e.name in row)) throw new Error(`reference: no field ${e.name} in ${JSON.stringify(row)}`);
            return row[e.name];
        }
        case 'int': return e.v;
        case 'str': return e.v;
        case 'bool': return e.v;
        case 'arith': {
            const l = evalEx(e.l, row) as number | null;
            const r = evalEx(e.r, row) as number | null;
            if (l === null || r === null) return null;
            switch (e.op) {
                case '+': return l + r;
                case '-': return l - r;
                case '*': return l * r;
                case '%': return l % r;
            }
            break;
        }
        case 'neg': {
            const v = evalEx(e.e, row) as number | null;
            return v === null ? null : -v;
        }
        case 'concat': {
            const l = evalEx(e.l, row) as string | null;
            const r = evalEx(e.r, row) as string | null;
            return l === null || r === null ? null : l + r;
        }
        case 'cmp': {
            const l = evalEx(e.l, row);
            const r = evalEx(e.r, row);
            if (l === null || r === null) return null;
            switch (e.op) {
                case '==': return l === r;
                case '!=': return l !== r;
                case '<': return l < r;
                case '<=': return l <= r;
                case '>': return l > r;
                case '>=': return l >= r;
            }
            break;
        }
        case 'logic': {
            const l = evalEx(e.l, row) as boolean | null;
            const r = evalEx(e.r, row) as boolean | null;
            if (e.op === 'and') {
                if (l === false || r === false) return false;
                return l === null || r === null ? null : true;
            }
            if (l === true || r === true) return true;
            return l === null || r === null ? null : false;
        }
        case 'not': {
            const v = evalEx(e.e, row) as boolean | null;
            return v === null ? null : !v;
        }
        case 'isNull': return (evalEx(e.e, row) === null) !== e.negated;
        case 'in': {
            const v = evalEx(e.e, row);
            if (v === null) return null;
            const values = e.values.map((x) => evalEx(x, row));
            if (values.includes(v)) return true;
            return values.includes(null) ? null : false;
        }
        case 'if': return evalEx(e.c, row) === true ? evalEx(e.t, row) : e.e === null ? null : evalEx(e.e, row);
        case 'coalesce': {
            for (const a of e.args) {
                const v = evalEx(a, row);
                if (v !== null) return v;
            }
            return null;
        }
        case 'call': {
            const args = e.args.map((a) => evalEx(a, row));
            if (args.includes(null)) return null;
            switch (e.fn) {
                case 'upper': return (args[0] as string).toUpperCase();
                case 'lower': return (args[0] as string).toLowerCase();
                case 'length': return Array.from(args[0] as string).length; // characters (code points), as Flink counts them
                case 'abs': return Math.abs(args[0] as number);
                case 'starts_with': return (args[0] as string).startsWith(args[1] as string);
            }
        }
    }
    throw new Error(`reference: cannot evaluate ${JSON.stringify(e)}`);
}

function applyStage(stage: StatelessStage, rows: Row[]): Row[] {
    switch (stage.op) {
        case 'filter': return rows.filter((r) => evalEx(stage.cond, r) === true);
        case 'map': return rows.map((r) => Object.fromEntries(stage.items.map((i) => [i.name, i.expr === null ? r[i.name] : evalEx(i.expr, r)])));
        case 'flatMap': return rows.flatMap((r) => {
            const elements = stage.array.k === 'list' ? stage.array.items.map((x) => evalEx(x, r)) : splitOnDash(evalEx(stage.array.s, r) as string | null);
            return elements === null ? [] : elements.map((el) => ({ ...r, [stage.as]: el }));
        });
        case 'rebalance': return rows;
    }
}

/** `split(s, "-")` as Java splits: trailing empty parts dropped, unless nothing matched; null for null. */
function splitOnDash(s: string | null): string[] | null {
    if (s === null) return null;
    if (!s.includes('-')) return [s];
    const parts = s.split('-');
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    return parts;
}

/** Records are equal when all their fields are: the identity used by distinct and grouping. */
function identity(values: Value[]): string {
    return JSON.stringify(values);
}

function applyTerminal(t: Terminal, rows: Row[]): Row[] {
    if (t.op === 'distinct') {
        const seen = new Map<string, Row>();
        for (const r of rows) {
            const id = identity(Object.keys(r).sort().map((k) => r[k]));
            if (!seen.has(id)) seen.set(id, r);
        }
        return [...seen.values()];
    }
    const groups = new Map<string, { start: number | null; rows: Row[] }>();
    for (const r of rows) {
        for (const start of t.window ? windowStarts(t.window, r[TIME_FIELD] as number) : [null]) {
            const id = identity([...t.keys.map((k) => r[k]), start]);
            const group = groups.get(id);
            if (group) group.rows.push(r);
            else groups.set(id, { start, rows: [r] });
        }
    }
    const all = [...groups.values()];
    const windows = t.window?.type === 'session' ? all.flatMap((g) => sessions(g.rows, t.window!.type === 'session' ? t.window!.gap * MINUTE : 0)) : all;
    return windows.map((group) => Object.fromEntries(t.items.map((item) => [item.name, aggregateValue(item, group.rows, group.start)])));
}

const MINUTE = 60_000;

/** The starts of the windows a record at `time` belongs to (one group per session key for now, split later). */
function windowStarts(w: WindowSpec, time: number): (number | null)[] {
    switch (w.type) {
        case 'tumbling': return [Math.floor(time / (w.size * MINUTE)) * w.size * MINUTE];
        case 'sliding': {
            const starts: number[] = [];
            const slide = w.slide * MINUTE;
            for (let start = Math.floor(time / slide) * slide; start > time - w.size * MINUTE; start -= slide) starts.push(start);
            return starts;
        }
        case 'session': return [null];
    }
}

/** A key's records split into sessions: a gap of more than `gap` without records ends one (touching windows merge). */
function sessions(rows: Row[], gap: number): { start: number; rows: Row[] }[] {
    const sorted = [...rows].sort((a, b) => (a[TIME_FIELD] as number) - (b[TIME_FIELD] as number));
    const result: { start: number; rows: Row[] }[] = [];
    let end = -Infinity;
    for (const r of sorted) {
        const time = r[TIME_FIELD] as number;
        if (time <= end) result[result.length - 1].rows.push(r);
        else result.push({ start: time, rows: [r] });
        end = Math.max(end, time + gap);
    }
    return result;
}

function aggregateValue(item: AggregateItem, group: Row[], windowStart: number | null = null): Value {
    switch (item.k) {
        case 'key': return group[0][item.name];
        case 'windowStart': return windowStart;
        case 'count': return group.length;
        case 'spread': {
            const max = aggregateValue({ k: 'agg', name: '', fn: 'max', distinct: false, arg: item.arg }, group) as number | null;
            const min = aggregateValue({ k: 'agg', name: '', fn: 'min', distinct: false, arg: item.arg }, group) as number | null;
            return max === null || min === null ? null : max - min;
        }
        case 'agg': {
            // Aggregates ignore nulls; count(distinct x) counts distinct values.
            let values = group.map((r) => evalEx(item.arg, r)).filter((v) => v !== null);
            if (item.distinct) values = [...new Set(values)];
            if (item.fn === 'count') return values.length;
            if (values.length === 0) return null;
            switch (item.fn) {
                case 'sum': return (values as number[]).reduce((a, b) => a + b, 0);
                case 'avg': return (values as number[]).reduce((a, b) => a + b, 0) / values.length;
                case 'min': return values.reduce((a, b) => (b < a ? b : a));
                case 'max': return values.reduce((a, b) => (b > a ? b : a));
            }
        }
    }
}

/**
 * The records a sink wrote, parsed, as a multiset to compare: a local file (csv with its header,
 * JSON lines), a Flink filesystem sink's directory of part files (csv without header, JSON lines),
 * or the print sink's lines on stdout. Numbers are compared to 12 significant digits (a sum of
 * doubles in another order differs in the last bits); csv cells that are numbers become numbers.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { parse } from 'csv-parse/sync';

export type SinkRecord = Record<string, unknown>;

function normalise(value: unknown): unknown {
    if (typeof value === 'number') return Number(value.toPrecision(12));
    if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) && /^[-+0-9.eE]+$/.test(value)) return normalise(Number(value));
    if (value === '') return null;
    if (Array.isArray(value)) return value.map(normalise);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
    return value;
}

/** Records as sorted canonical JSON texts: equal arrays mean equal multisets. */
export function multiset(records: SinkRecord[]): string[] {
    return records.map((r) => JSON.stringify(Object.fromEntries(Object.keys(r).sort().map((k) => [k, normalise(r[k])])))).sort();
}

function parseText(text: string, format: 'csv' | 'json', columns: string[], header: boolean, delimiter = ','): SinkRecord[] {
    if (format === 'json') return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as SinkRecord);
    const rows = parse(text, { delimiter, relax_column_count: true }) as string[][];
    const names = header ? rows.shift() ?? columns : columns;
    return rows.map((cells) => Object.fromEntries(names.map((n, i) => [n, cells[i]])));
}

/** A local sink's file, or at parallelism > 1 its part files `<name>-<i>.<ext>` (runtime's partPath). */
export function localFileRecords(path: string, format: 'csv' | 'json', columns: string[], delimiter?: string): SinkRecord[] {
    const ext = extname(path);
    const parts = (i: number) => join(dirname(path), `${basename(path, ext)}-${i}${ext}`);
    const files = existsSync(path) ? [path] : Array.from({ length: 64 }, (_, i) => parts(i)).filter((f) => existsSync(f));
    if (files.length === 0) throw new Error(`the local run wrote no ${path}`);
    return files.flatMap((f) => parseText(readFileSync(f, 'utf-8'), format, columns, format === 'csv', delimiter));
}

/** Every committed part file of a Flink filesystem sink's directory (hidden in-progress files are not results). */
export function flinkDirectoryRecords(dir: string, format: 'csv' | 'json', columns: string[], delimiter?: string): SinkRecord[] {
    if (!existsSync(dir)) throw new Error(`Flink wrote nothing to ${dir}`);
    const parts = statSync(dir).isDirectory() ? readdirSync(dir).filter((f) => !f.startsWith('.')).map((f) => join(dir, f)) : [dir];
    return parts.flatMap((f) => parseText(readFileSync(f, 'utf-8'), format, columns, false, delimiter));
}

/** The records of the local print sink on stdout (`<subtask>> {json}` lines; no prefix at parallelism 1). */
export function printedRecords(stdout: string): SinkRecord[] {
    return stdout.split('\n').map((l) => /^(?:\d+> )?(\{.*\})$/.exec(l)).filter((m): m is RegExpExecArray => m !== null).map((m) => JSON.parse(m[1]) as SinkRecord);
}

/**
 * The header row of a csv file on this machine, for `TranslateOptions.csvHeader`: Flink reads csv
 * columns by position, the local runtime by header name, so the translator declares the columns
 * in the file's order. Undefined when the file cannot be read here (it may exist only where Flink runs).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export function readCsvHeader(path: string, delimiter: string): string[] | undefined {
    let fd: number | undefined;
    try {
        fd = openSync(path, 'r');
        const buffer = Buffer.alloc(64 * 1024);
        const length = readSync(fd, buffer, 0, buffer.length, 0);
        const text = buffer.subarray(0, length).toString('utf-8').replace(/^\uFEFF/, '');
        const firstLine = text.split(/\r?\n/)[0];
        const rows = parse(firstLine, { delimiter, relax_quotes: true }) as string[][];
        return rows[0]?.map((name) => name.trim());
    } catch {
        return undefined;
    } finally {
        if (fd !== undefined) closeSync(fd);
    }
}

/**
 * csv(path, header: true, delimiter: ",", encoding: "utf-8"): one record per row, converted by the
 * schema. With a header, columns are matched by name (any order, extra columns ignored); without,
 * by position. Records are read by csv-records.ts (a fast reader for regular csv, csv-parse for
 * the rest, with the same records and errors); malformed rows (unreadable, bytes that are not UTF-8, more
 * or fewer cells than the header or schema) and values that do not fit their type go to the
 * source's bad-row policy with file:line:column. The path may name a directory or a glob; the
 * files are read as splits (common/file-splits.ts) whose first records csv-boundaries.ts finds.
 * Restored from a checkpoint taken while the fast reader read, a subtask seeks to the record start
 * after the last record it had handled (else it reads its splits again and skips what it emitted).
 */
import { createReadStream } from 'node:fs';
import type { FileReadPosition } from '../../../../protocol/checkpoints.js';
import type { LogicalNode, SchemaField, SourceConfig } from '../../../../protocol/logical-graph.js';
import type { Row, SourceContext, SourceFunction } from '../../operators/operator.js';
import { BadInputError } from '../common/bad-row-handler.js';
import { openSplitStream } from '../common/file-progress.js';
import { assignSplits, SplitProgress, type FileSplit } from '../common/file-splits.js';
import { convertText, FieldError } from '../common/row-converter.js';
import { listSourceFiles } from '../common/source-files.js';
import { SourceOutput } from '../common/source-output.js';
import { invalidUtf8Problem, sourceEncoding } from '../common/source-encoding.js';
import { csvRecordStarts, type CsvRecordStart } from './csv-boundaries.js';
import { fileRangePieces } from './csv-file-reads.js';
import { csvChunks, csvRecords, FILE_START, type CsvSettings } from './csv-records.js';
import { compileCsvRowDecoder, type CsvRowDecoder } from './csv-row-decoder.js';

/** 1-based character column where field `index` starts in the raw text of a row. */
export function fieldColumn(raw: string, index: number, delimiter: string): number {
    let field = 0;
    let quoted = false;
    for (let i = 0; i < raw.length; i++) {
        if (field === index) return i + 1;
        const c = raw[i];
        if (c === '"') quoted = !quoted;
        else if (!quoted && raw.startsWith(delimiter, i)) field++;
    }
    return field === index ? raw.length + 1 : 1;
}

/** The csv source. */
export class CsvSource implements SourceFunction {
    /**
     * Whether records are decoded straight into rows (csv-row-decoder.ts) where they can be; off,
     * every record takes the general path. Tests compare the two.
     */
    static typedDecoding = true;
    private readonly config: SourceConfig;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'source') throw new Error(`${node.id} is not a source`);
        this.config = node.config;
    }

    async run(ctx: SourceContext): Promise<void> {
        const { options, path } = this.config;
        const settings: CsvSettings = {
            header: options.header !== false && options.header !== 'false',
            delimiter: typeof options.delimiter === 'string' ? options.delimiter : ',',
            encoding: sourceEncoding(this.config)
        };
        const out = new SourceOutput(ctx, this.config, path);
        const files = await listSourceFiles(path, ctx);
        const splits = assignSplits(files, ctx.parallelism, ctx.subtaskIndex);
        const progress = new SplitProgress(ctx, splits);
        // A restore with a byte position: the splits before its file were read completely.
        const restored = ctx.restoredPosition?.file;
        const resumeIndex = restored === undefined ? 0 : splits.findIndex((s) => s.file.path === restored.path);
        if (resumeIndex < 0) throw new Error(`the checkpoint's read position names ${restored!.path}, which is not among the files this subtask reads now`);
        for (let index = resumeIndex; index < splits.length; index++) {
            const split = splits[index];
            if (ctx.cancelled) break;
            out.badRows.file = split.file.path;
            await this.readSplit(split, settings, ctx, out, progress, index === resumeIndex ? restored : undefined);
        }
        progress.finish();
        await out.flush();
    }

    /** Reads the records that start in one split's byte range (from `restored` on, when given). */
    private async readSplit(split: FileSplit, settings: CsvSettings, ctx: SourceContext, out: SourceOutput, progress: SplitProgress, restored?: FileReadPosition): Promise<void> {
        const { file } = split;
        const [first, last] = restored?.csv !== undefined
            // The position knows the record start and the split's end: nothing before it is scanned.
            ? [{ offset: restored.offset, newlines: (restored.line ?? 1) - 1, parserLines: restored.csv.parserLines, recordDelimiter: restored.csv.recordDelimiter }, { ...FILE_START, offset: restored.csv.splitEnd }]
            : split.start === 0 && split.end === file.size
                ? [FILE_START, { ...FILE_START, offset: file.size }]
                : csvRecordStarts(file.path, file.size, settings.delimiter, [split.start, split.end]);
        const position = (start: CsvRecordStart): FileReadPosition => ({
            path: file.path, offset: start.offset, line: start.newlines + 1,
            csv: { parserLines: start.parserLines, ...(start.recordDelimiter !== undefined ? { recordDelimiter: start.recordDelimiter } : {}), splitEnd: last.offset }
        });
        out.readTo(() => position(first));
        if (last.offset <= first.offset) return;
        const schema = this.node.schema;
        let columns: number[] | undefined = settings.header ? undefined : schema.map((_, i) => i);
        // Every row has as many cells as the header (or, without one, as the schema has fields).
        let cells = schema.length;
        if (settings.header && first.offset > 0) {
            // A split after the first reads the header at the file's start (before the split, or,
            // when only empty lines come before, as its own first record).
            const found = await this.readHeader(file.path, first, settings, out);
            if (found !== undefined) ({ columns, cells } = found);
        }
        const assigned = split.end - split.start;
        // Progress counts the bytes read from `at` scaled to the split's assigned share of them.
        const share = (at: number): number => (assigned * (last.offset - at)) / (last.offset - first.offset);
        const open = (at: number) => openSplitStream(file.path, at, last.offset, progress, share(at));
        const read = (at: number) => {
            const scale = last.offset > at ? share(at) / (last.offset - at) : 0;
            return fileRangePieces(file.path, at, last.offset, (n) => progress.advance(n * scale));
        };
        // Once the columns are known, records are decoded straight into rows where they can be.
        let decoder: CsvRowDecoder | undefined;
        const decoderFor = (): CsvRowDecoder | undefined => {
            if (columns === undefined || !CsvSource.typedDecoding) return undefined;
            decoder ??= compileCsvRowDecoder(schema, columns, cells);
            return decoder;
        };
        const headerFirst = columns === undefined && CsvSource.typedDecoding;
        for await (const { rows, records, startAfter } of csvChunks(open, first, settings, { decoder: decoderFor, read, headerFirst })) {
            if (ctx.cancelled) break;
            // Where the next record starts after the chunk's n-th item (rows and records in file
            // order), for a checkpoint at a flush (none while csv-parse reads).
            const after = (n: number): (() => FileReadPosition) | null => startAfter === undefined ? null : () => position(startAfter(n));
            let next = 0;
            for (let r = 0; r < records.length; r++) {
                const { record, raw, line, bad, unreadable, before } = records[r];
                // rows[next] is item next + r: the r records before it come first.
                for (; next < before; next++) if (out.push(rows[next])) await out.flush(after(next + r));
                if (unreadable !== undefined) {
                    out.badRows.reject({ line, column: 1 }, raw, unreadable);
                    continue;
                }
                if (record.length === 1 && record[0] === '' && raw.trim() === '') continue; // an empty line
                if (columns === undefined) {
                    if (bad !== undefined) throw new BadInputError(`${out.badRows.where(bad)}: the header: ${invalidUtf8Problem(bad)}`);
                    columns = this.mapHeader(record, schema, out);
                    cells = record.length;
                    continue;
                }
                if (bad !== undefined) {
                    out.badRows.reject(bad, raw.replace(/\r?\n$/, ''), invalidUtf8Problem(bad));
                    continue;
                }
                if (record.length !== cells) {
                    this.rejectCellCount(record, cells, columns, raw, line, settings.delimiter, out);
                    continue;
                }
                const row = this.convert(record, columns, schema, raw, line, settings.delimiter, out);
                if (row !== undefined && out.push(row)) await out.flush(after(before + r));
            }
            for (; next < rows.length; next++) if (out.push(rows[next])) await out.flush(after(next + records.length));
        }
        // The split is read: a restore starts at its end, reads nothing from it (no line to name).
        out.readTo(() => ({ path: file.path, offset: last.offset, csv: { parserLines: 0, splitEnd: last.offset } }));
    }

    /** The header's column mapping from the records before `before` (undefined when they are all empty lines). */
    private async readHeader(path: string, before: CsvRecordStart, settings: CsvSettings, out: SourceOutput): Promise<{ columns: number[]; cells: number } | undefined> {
        // Small reads: a restored subtask reads the header, not the records before its position.
        const open = (at: number) => createReadStream(path, { start: at, end: before.offset - 1, highWaterMark: 16 * 1024 });
        for await (const rows of csvRecords(open, FILE_START, settings)) {
            for (const { record, raw, bad, unreadable } of rows) {
                if (unreadable !== undefined) continue; // not in a regular prefix: the split owning it reports it
                if (record.length === 1 && record[0] === '' && raw.trim() === '') continue;
                if (bad !== undefined) throw new BadInputError(`${out.badRows.where(bad)}: the header: ${invalidUtf8Problem(bad)}`);
                return { columns: this.mapHeader(record, this.node.schema, out), cells: record.length };
            }
        }
        return undefined;
    }

    /** Matches schema fields to header columns; a missing column is an error whatever the policy. */
    private mapHeader(header: string[], schema: SchemaField[], out: SourceOutput): number[] {
        const names = header.map((h) => h.trim());
        return schema.map((f) => {
            const i = names.indexOf(f.name);
            if (i < 0) throw new BadInputError(`${out.badRows.where({ line: 1, column: 1 })}: the header has no column "${f.name}" (its columns: ${names.join(', ')})`);
            return i;
        });
    }

    /** A row with missing or extra cells: the column is where the first extra cell starts, or the row's end. */
    private rejectCellCount(record: string[], cells: number, columns: number[], raw: string, line: number, delimiter: string, out: SourceOutput): void {
        const text = raw.replace(/\r?\n$/, '');
        if (record.length > cells) {
            out.badRows.reject({ line, column: fieldColumn(raw, cells, delimiter) }, text,
                `expected ${cells} fields, found ${record.length} (an extra value ${JSON.stringify(record[cells])})`);
            return;
        }
        const missing = this.node.schema.find((_, i) => columns[i] >= record.length);
        out.badRows.reject({ line, column: text.trimEnd().length + 1 }, text.trimEnd(),
            `expected ${cells} fields, found ${record.length}${missing ? ` (no value for field "${missing.name}")` : ''}`);
    }

    private convert(record: string[], columns: number[], schema: SchemaField[], raw: string, line: number, delimiter: string, out: SourceOutput): Row | undefined {
        const row: Row = {};
        for (let i = 0; i < schema.length; i++) {
            const col = columns[i];
            const f = schema[i];
            try {
                row[f.name] = convertText(f, record[col]);
            } catch (err) {
                if (!(err instanceof FieldError)) throw err;
                out.badRows.reject({ line, column: fieldColumn(raw, col, delimiter) }, raw.replace(/\r?\n$/, ''), err.message);
                return undefined;
            }
        }
        return row;
    }
}

/**
 * csv(path, header: true, delimiter: ","): one record per row, converted by the schema. With a
 * header, columns are matched by name (any order, extra columns ignored); without, by position.
 * Parsing is csv-parse's; malformed rows and values that do not fit their type go to the
 * source's bad-row policy with file:line:column. Subtask i of p takes data rows i, i+p, ...
 */
import { parse, type CsvError } from 'csv-parse';
import type { LogicalNode, SchemaField, SourceConfig } from '../../../../protocol/logical-graph.js';
import type { Row, SourceContext, SourceFunction } from '../../operators/operator.js';
import { BadInputError } from '../common/bad-row-handler.js';
import { openSourceFile } from '../common/file-progress.js';
import { recordBatches } from '../common/record-batches.js';
import { convertText, FieldError } from '../common/row-converter.js';
import { SourceOutput } from '../common/source-output.js';

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

interface ParsedRecord { record: string[]; raw: string }

/** The csv source. */
export class CsvSource implements SourceFunction {
    private readonly config: SourceConfig;

    constructor(private readonly node: LogicalNode) {
        if (node.config.kind !== 'source') throw new Error(`${node.id} is not a source`);
        this.config = node.config;
    }

    async run(ctx: SourceContext): Promise<void> {
        const { options, path } = this.config;
        const header = options.header !== false && options.header !== 'false';
        const delimiter = typeof options.delimiter === 'string' ? options.delimiter : ',';
        const out = new SourceOutput(ctx, this.config, path);
        const skipBad = this.config.onError !== 'fail';
        const stream = await openSourceFile(path, ctx);
        // Line numbers are counted from each record's raw text rather than asking csv-parse for
        // `info` (which costs a quarter of the parsing time). After a record csv-parse had to skip,
        // counting resumes after the line its error names.
        let nextLine = 1;
        let consumed = 0;
        const resync: { at: number; line: number }[] = [];
        const parser = stream.pipe(parse({
            delimiter,
            raw: true,
            relax_column_count: true,
            bom: true,
            skip_records_with_error: skipBad,
            on_skip: (err: CsvError | undefined, raw: string | undefined) => {
                const line = (err as { lines?: number } | undefined)?.lines;
                out.badRows.reject({ line, column: 1 }, (raw ?? '').replace(/\r?\n$/, ''), `malformed CSV: ${err?.message ?? 'unreadable row'}`);
                if (line !== undefined) resync.push({ at: parser.info.records, line: line + 1 });
                return undefined;
            }
        }));
        const schema = this.node.schema;
        let columns: number[] | undefined = header ? undefined : schema.map((_, i) => i);
        // Parallel instances all parse the file; each converts (and judges) every p-th data row.
        let rowIndex = -1;
        try {
            for await (const records of recordBatches<ParsedRecord>(parser)) {
                if (ctx.cancelled) break;
                for (const { record, raw } of records) {
                    while (resync.length > 0 && resync[0].at <= consumed) nextLine = resync.shift()!.line;
                    consumed++;
                    const line = nextLine;
                    for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) nextLine++;
                    if (record.length === 1 && record[0] === '' && raw.trim() === '') continue; // an empty line
                    if (columns === undefined) {
                        columns = this.mapHeader(record, schema, out);
                        continue;
                    }
                    if (++rowIndex % ctx.parallelism !== ctx.subtaskIndex) continue;
                    const row = this.convert(record, columns, schema, raw, line, delimiter, out);
                    if (row !== undefined && out.push(row)) await out.flush();
                }
            }
        } catch (err) {
            if (err instanceof BadInputError) throw err;
            const e = err as CsvError & { lines?: number };
            throw new BadInputError(`${out.badRows.where({ line: e.lines, column: 1 })}: malformed CSV: ${e.message}`);
        } finally {
            stream.destroy();
        }
        await out.flush();
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

    private convert(record: string[], columns: number[], schema: SchemaField[], raw: string, line: number, delimiter: string, out: SourceOutput): Row | undefined {
        const row: Row = {};
        for (let i = 0; i < schema.length; i++) {
            const col = columns[i];
            const f = schema[i];
            if (col >= record.length) {
                out.badRows.reject({ line, column: raw.trimEnd().length + 1 }, raw.trimEnd(), `expected ${columns.length > 0 ? Math.max(...columns) + 1 : 0} fields, found ${record.length} (no value for field "${f.name}")`);
                return undefined;
            }
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

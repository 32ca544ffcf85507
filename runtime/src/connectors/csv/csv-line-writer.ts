/**
 * The csv sink's records as text without csv-stringify's per-field machinery: one generated
 * function per schema writes a record's line, with exactly csv-stringify's output for the options
 * the sink uses (a one-character delimiter, `"` quotes doubled inside, a field quoted when it holds
 * the delimiter, a quote, CR or LF; null and undefined empty; numbers as `"" + n`, booleans as
 * `String(b)`, objects as JSON, timestamps as ISO-8601 UTC as the row formatter writes them).
 * csv-stringify cost q10 (every bid to a partitioned csv file) a third of its CPU in arrays and
 * option lookups per field. test/runtime-operators/csv-line-writer.test.ts checks the two agree.
 */
import type { SchemaField } from '../../../../protocol/logical-graph.js';
import { instantiate } from '../../expressions/compile-expression.js';
import { propertyAccess } from '../../expressions/expression-codegen.js';
import type { Row } from '../../operators/operator.js';

/** Writes records as csv lines, each ending in LF. */
export type CsvLineWriter = (rows: Row[]) => string;

/** A field's text, quoted when csv-stringify would quote it. */
function csvField(text: string, delimiter: string): string {
    if (text.includes('"')) return `"${text.replaceAll('"', '""')}"`;
    if (text.includes(delimiter) || text.includes('\n') || text.includes('\r')) return `"${text}"`;
    return text;
}

/** A value that is not a string, as csv-stringify casts it (the sink casts booleans with String). */
function cast(v: unknown): string {
    if (typeof v === 'object') return JSON.stringify(v);
    return `${v as string}`;
}

/**
 * The line writer for `schema`'s fields in order, or undefined for a delimiter this path does not
 * cover (several characters, a quote or a line break: csv-stringify then writes the records).
 */
export function compileCsvLineWriter(schema: SchemaField[], delimiter: string): CsvLineWriter | undefined {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') return undefined;
    const parts = schema.map((f, i) => {
        const v = `v${i}`;
        const read = `const ${v} = ${propertyAccess('r', f.name)};`;
        const timestamp = f.type.kind === 'timestamp' ? `typeof ${v} === 'number' ? csvField(new Date(${v}).toISOString(), d) : ` : '';
        return `${read}
            ${i > 0 ? 'line += d;' : ''}
            if (${v} !== null && ${v} !== undefined && ${v} !== '') line += ${timestamp}typeof ${v} === 'string' ? csvField(${v}, d) : csvField(cast(${v}), d);`;
    });
    const write = instantiate(`const [csvField, cast, d] = $C;
        return function csvLines(rows) {
            let text = '';
            for (let i = 0; i < rows.length; i++) {
                const r = rows[i];
                let line = '';
                ${parts.join('\n')}
                text += line + '\\n';
            }
            return text;
        };`, [csvField, cast, delimiter]);
    return write as CsvLineWriter;
}

/**
 * How `flowline sql` and `flowline submit` print a construct Flink cannot run:
 * `file:line:column: error CODE: message` (a note, which does not block: `warning CODE`), the file relative to the working directory when it
 * lies below it (as `flowline check` prints files).
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlinkSqlDiagnostic } from '../../../flink/src/sql/flink-sql-script.js';

export function flinkDiagnosticLine(d: FlinkSqlDiagnostic, severity: 'error' | 'warning' = 'error'): string {
    const { line, character } = d.location.range.start;
    return `${displayPath(d.location.uri)}:${line + 1}:${character + 1}: ${severity} ${d.code}: ${d.message}`;
}

function displayPath(uri: string): string {
    if (!uri.startsWith('file:')) return uri;
    const path = fileURLToPath(uri);
    const rel = relative(process.cwd(), path);
    return rel.startsWith('..') || rel === '' ? path : rel;
}

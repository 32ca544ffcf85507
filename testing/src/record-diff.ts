/**
 * The text of a failed records expectation: a summary message, the expected and actual records
 * (one a line, sorted for a multiset so an editor's diff view lines them up), and a diff that
 * lists missing (-) and unexpected (+) records, each missing one beside the arrived record closest
 * to it with the first field that differs.
 */
import type { SchemaField } from '../../protocol/logical-graph.js';
import { compareMultiset, firstDifferenceInOrder, firstDifferingField, valuesEqual, type Tolerance } from './record-comparison.js';
import { recordText, valueText, type Row } from './record-text.js';

/** A failure's text, without its location (the runner adds the expect line). */
export interface FailureText {
    message: string;
    expected?: string;
    actual?: string;
    diff: string;
}

/** At most this many records are listed in a diff; the rest are counted. */
const MAX_LISTED = 50;

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Compares and, when the records differ, says how; undefined when they match. */
export function compareRecords(label: string, schema: SchemaField[], expected: Row[], actual: Row[], inOrder: boolean, tolerance: Tolerance): FailureText | undefined {
    const counts = `${plural(expected.length, 'record')} expected, ${actual.length} arrived`;
    const how = `compared ${inOrder ? 'in order' : 'as a multiset'}${tolerance.absolute !== undefined ? `, doubles within ${tolerance.absolute}` : ''}`;
    if (inOrder) {
        const index = firstDifferenceInOrder(schema, expected, actual, tolerance);
        if (index < 0) return undefined;
        const lines = [`${counts}; ${how}`];
        const n = Math.max(expected.length, actual.length);
        for (let i = 0; i < n && lines.length <= MAX_LISTED; i++) {
            const e = expected[i];
            const a = actual[i];
            if (e !== undefined && a !== undefined && !firstDifferingField(schema, e, a, tolerance)) {
                lines.push(`  [${i}] ${recordText(schema, a)}`);
                continue;
            }
            if (e !== undefined) lines.push(`- [${i}] ${recordText(schema, e)}`);
            if (a !== undefined) lines.push(`+ [${i}] ${recordText(schema, a)}`);
            if (e !== undefined && a !== undefined) lines.push(`      ${fieldDifference(schema, e, a, tolerance)}`);
        }
        if (n > MAX_LISTED) lines.push(`  … ${n - MAX_LISTED} more`);
        return {
            message: `${label}: the records differ from index ${index} (${counts})`,
            expected: expected.map((r) => recordText(schema, r)).join('\n'),
            actual: actual.map((r) => recordText(schema, r)).join('\n'),
            diff: lines.join('\n')
        };
    }
    const { missing, unexpected } = compareMultiset(schema, expected, actual, tolerance);
    if (missing.length === 0 && unexpected.length === 0) return undefined;
    const parts = [missing.length > 0 ? `${plural(missing.length, 'expected record')} missing` : '', unexpected.length > 0 ? `${plural(unexpected.length, 'unexpected record')}` : ''].filter(Boolean);
    const lines = [`${counts}; ${how}`];
    const left = unexpected.map((row) => ({ row, text: recordText(schema, row) })).sort((a, b) => a.text.localeCompare(b.text));
    let listed = 0;
    for (const row of missing) {
        if (listed++ >= MAX_LISTED) break;
        lines.push(`- ${recordText(schema, row)}`);
        const closest = closestRecord(schema, row, left.map((l) => l.row), tolerance);
        if (closest >= 0) {
            const [match] = left.splice(closest, 1);
            lines.push(`+ ${match.text}`);
            lines.push(`    ${fieldDifference(schema, row, match.row, tolerance)}`);
        }
    }
    for (const l of left) {
        if (listed++ >= MAX_LISTED) break;
        lines.push(`+ ${l.text}`);
    }
    const total = missing.length + unexpected.length;
    if (listed > MAX_LISTED) lines.push(`  … ${total - MAX_LISTED} more`);
    const sorted = (rows: Row[]): string => rows.map((r) => recordText(schema, r)).sort().join('\n');
    return { message: `${label}: ${parts.join(', ')} (${counts})`, expected: sorted(expected), actual: sorted(actual), diff: lines.join('\n') };
}

/** `total: expected 100.0, got 50.0` for the first field that differs. */
function fieldDifference(schema: SchemaField[], expected: Row, actual: Row, tolerance: Tolerance): string {
    const field = firstDifferingField(schema, expected, actual, tolerance);
    if (!field) return 'equal';
    return `${field.name}: expected ${valueText(field.type, expected[field.name])}, got ${valueText(field.type, actual[field.name])}`;
}

/** The index of the candidate with the most fields equal to `row` (first on ties); -1 when none shares a field. */
function closestRecord(schema: SchemaField[], row: Row, candidates: Row[], tolerance: Tolerance): number {
    let best = -1;
    let bestScore = 0;
    candidates.forEach((c, i) => {
        const score = schema.filter((f) => valuesEqual(f.type, row[f.name], c[f.name], tolerance)).length;
        if (score > bestScore) {
            best = i;
            bestScore = score;
        }
    });
    return best;
}

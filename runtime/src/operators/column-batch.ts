/**
 * A batch of records held as columns: one array per field, no object per record. Sources that
 * generate their records (datagen) fill columns, and the operators that can read them (fused
 * filter/map/flatMap loops, aggregates, the combiner) run code generated to read `column[i]`
 * where the row path reads `row.field`; rows are built from the columns only where some consumer
 * needs objects (materializeRows), with the same fields in the same order as the row path builds.
 */
import type { Row } from './operator.js';

/**
 * A consumer reads a batch during the call that hands it over, and never keeps its columns: the
 * source refills them for its next batch (records that must outlive the call are copied out as
 * rows, e.g. by materializeRows).
 */
export interface ColumnBatch {
    /** The field names, in schema order (the order a record's own properties have). */
    readonly fields: readonly string[];
    /** columns[f][i] is field `fields[f]` of record i (a column may be longer than `length`). */
    readonly columns: readonly ArrayLike<unknown>[];
    readonly length: number;
}

/** Something that takes column batches (an operator, the output gate). */
export interface ColumnConsumer {
    processColumns(batch: ColumnBatch): void;
}

type RowBuilder = (columns: readonly ArrayLike<unknown>[], from: number, to: number) => Row[];

const builders = new Map<string, RowBuilder>();

/** The row builder for a field list: one object literal per record, properties in field order. */
function rowBuilder(fields: readonly string[]): RowBuilder {
    const key = JSON.stringify(fields);
    let build = builders.get(key);
    if (build === undefined) {
        const literal = fields.map((f, j) => `${JSON.stringify(f)}: c${j}[i]`).join(', ');
        const bind = fields.map((_, j) => `const c${j} = columns[${j}];`).join(' ');
        build = new Function('columns', 'from', 'to', `${bind}
            const rows = [];
            for (let i = from; i < to; i++) rows.push({ ${literal} });
            return rows;`) as RowBuilder;
        builders.set(key, build);
    }
    return build;
}

/** The records of `batch` (from index `from`) as row objects. */
export function materializeRows(batch: ColumnBatch, from = 0): Row[] {
    return rowBuilder(batch.fields)(batch.columns, from, batch.length);
}

/**
 * Code for the fields of the record at index `index` of the columns bound to `$c0`, `$c1`, ...
 * (see columnBindings): what an ExpressionCodegen's `field` hook returns for a column batch.
 */
export function columnFieldReader(fields: readonly string[], index: string): (name: string) => string {
    const position = new Map(fields.map((f, j) => [f, j]));
    // A field the batch lacks reads as undefined, as a missing property of a row object does.
    return (name) => (position.has(name) ? `$c${position.get(name)}[${index}]` : 'undefined');
}

/** Statements binding `$c<j>` to the columns of `batch` (a variable holding a ColumnBatch). */
export function columnBindings(fields: readonly string[], batch: string): string {
    return fields.map((_, j) => `const $c${j} = ${batch}.columns[${j}];`).join(' ');
}

/** An object literal of the record at `index` of the bound columns (properties in field order). */
export function columnRowLiteral(fields: readonly string[], index: string): string {
    return `{ ${fields.map((f, j) => `${JSON.stringify(f)}: $c${j}[${index}]`).join(', ')} }`;
}


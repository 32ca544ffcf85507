/**
 * Output form of records for print and file sinks: timestamp fields (epoch ms inside the runtime)
 * are written as ISO-8601 UTC strings, which the csv/jsonl sources read back.
 */
import type { SchemaField } from '../../../../protocol/logical-graph.js';
import { instantiate } from '../../expressions/compile-expression.js';
import { propertyAccess } from '../../expressions/expression-codegen.js';
import type { Row } from '../../operators/operator.js';

/**
 * A function giving the output form of a record of `schema` (the record itself when nothing
 * changes, unless `onlySchemaFields`: then always a record of just the schema's fields).
 */
export function compileRowFormatter(schema: SchemaField[], onlySchemaFields = false): (row: Row) => Row {
    if (!onlySchemaFields && !schema.some((f) => f.type.kind === 'timestamp')) return (row) => row;
    const fields = schema.map((f) => {
        const v = propertyAccess('r', f.name);
        return `${JSON.stringify(f.name)}: ${f.type.kind === 'timestamp' ? `(typeof ${v} === 'number' ? new Date(${v}).toISOString() : ${v})` : v}`;
    });
    return instantiate(`return function formatRow(r) { return { ${fields.join(', ')} }; };`, []) as (row: Row) => Row;
}

/**
 * Builds what a debugger shows at a stop from what a subtask has at hand: the record field by
 * field with its types, the key of a keyed operator, and what the operator's `inspect` hook says
 * about the windows and the state behind the record.
 */
import type { OperatorStateView, TypedValue } from '../../../protocol/job-debugging.js';
import type { Expr, LogicalNode, SchemaField } from '../../../protocol/logical-graph.js';
import { compileExpressionList } from '../expressions/compile-expression.js';
import type { Row, StreamOperator } from '../operators/operator.js';
import { toPlainData } from '../state/plain-data.js';

/** The record field by field, in schema order. */
export function typedRecord(row: Row, schema: SchemaField[]): TypedValue[] {
    return schema.map((f) => ({ name: f.name, type: f.type, value: plainValue(row[f.name]) }));
}

/** The key expressions of a keyed node for the given input, or null when the node is not keyed. */
export function keyExpressions(node: LogicalNode, input: number): Expr[] | null {
    const config = node.config;
    if (config.kind === 'aggregate') return config.keys.length > 0 ? config.keys : null;
    if (config.kind === 'join') return input === 1 ? config.rightKeys : config.leftKeys;
    return null;
}

const keyFunctions = new WeakMap<Expr[], (row: Row) => unknown[]>();

/** The record's key on a keyed node (names: the field for a field reference, else `key1`, `key2`...). */
export function typedKey(node: LogicalNode, input: number, row: Row, schema: SchemaField[]): TypedValue[] | null {
    if (node.config.kind === 'distinct') return typedRecord(row, schema);
    const exprs = keyExpressions(node, input);
    if (!exprs) return null;
    let fn = keyFunctions.get(exprs);
    if (!fn) {
        fn = compileExpressionList(exprs);
        keyFunctions.set(exprs, fn);
    }
    const values = fn(row);
    return exprs.map((e, i) => ({ name: e.k === 'field' ? e.name : `key${i + 1}`, type: e.type, value: plainValue(values[i]) }));
}

/** The operator's windows and state for the record, as plain data; an inspection error shows as such. */
export function inspectOperator(operator: StreamOperator | undefined, row: Row, input: number): { windows: { start: number; end: number }[]; state: OperatorStateView[] } {
    if (!operator?.inspect) return { windows: [], state: [] };
    try {
        const seen = operator.inspect(row, input);
        return { windows: seen.windows, state: seen.state.map((s) => ({ label: s.label, value: toPlainData(s.value) })) };
    } catch (error) {
        return { windows: [], state: [{ label: 'state could not be read', value: error instanceof Error ? error.message : String(error) }] };
    }
}

function plainValue(value: unknown): unknown {
    if (value === undefined) return null;
    return toPlainData(value);
}

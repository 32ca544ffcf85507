/**
 * Builders for LogicalGraph nodes and expressions in the shape the language emits, so tests read
 * like the pipelines they stand for.
 */
import type { BinaryOperator, Expr, FlowType, LogicalNode, NodeConfig, PrimitiveTypeName, SchemaField } from '../../protocol/logical-graph.js';

/** A primitive type; `?` suffix makes it nullable (`double?`). */
export function t(name: `${PrimitiveTypeName}` | `${PrimitiveTypeName}?`): FlowType {
    return name.endsWith('?') ? { kind: name.slice(0, -1) as PrimitiveTypeName, nullable: true } : { kind: name as PrimitiveTypeName };
}

/** A schema from `{ name: 'type' }`. */
export function schema(fields: Record<string, Parameters<typeof t>[0]>): SchemaField[] {
    return Object.entries(fields).map(([name, type]) => ({ name, type: t(type) }));
}

export const field = (name: string, type: Parameters<typeof t>[0]): Expr => ({ k: 'field', name, type: t(type) });
export const lit = (value: string | number | boolean | null, type?: Parameters<typeof t>[0]): Expr => ({
    k: 'literal', value,
    type: type ? t(type) : value === null ? { kind: 'null' } : typeof value === 'string' ? t('string') : typeof value === 'boolean' ? t('boolean') : Number.isInteger(value) ? t('int') : t('double')
});
export const bin = (op: BinaryOperator, left: Expr, right: Expr, type: Parameters<typeof t>[0]): Expr => ({ k: 'binary', op, left, right, type: t(type) });
export const call = (fn: string, args: Expr[], type: FlowType | Parameters<typeof t>[0], distinct = false): Expr => ({
    k: 'call', fn, args, type: typeof type === 'string' ? t(type) : type, ...(distinct ? { distinct } : {})
});
export const windowEnd: Expr = { k: 'window', property: 'end', type: t('timestamp') };
export const windowStart: Expr = { k: 'window', property: 'start', type: t('timestamp') };

let counter = 0;

/** A node with a location in `test.flow` at `line` (1-based). */
export function node(config: NodeConfig, outSchema: SchemaField[], extra: Partial<LogicalNode> & { line?: number } = {}): LogicalNode {
    const line = (extra.line ?? 1) - 1;
    const { line: _line, ...rest } = extra;
    void _line;
    return {
        id: `n${counter++}`,
        name: config.kind === 'source' ? `source: ${config.connector}` : config.kind === 'sink' ? `sink: ${config.connector}` : config.kind,
        description: config.kind,
        config,
        schema: outSchema,
        parallelism: 1,
        location: { uri: `file://${process.cwd()}/test.flow`, range: { start: { line, character: 4 }, end: { line, character: 20 } } },
        ...rest
    };
}

/**
 * What both join operators share: compiled join keys (null keys never match, as in SQL) and the
 * compiled builder of an output record from a left and a right record (right null = no match).
 */
import type { LogicalNode, NodeConfig } from '../../../protocol/logical-graph.js';
import { instantiate } from '../expressions/compile-expression.js';
import { ExpressionCodegen, propertyAccess } from '../expressions/expression-codegen.js';
import type { Row } from './operator.js';

export type JoinConfig = Extract<NodeConfig, { kind: 'join' }>;

/** A key function returning undefined when any key part is null (such records match nothing). */
export function compileJoinKey(keys: JoinConfig['leftKeys']): (row: Row) => unknown {
    const codegen = new ExpressionCodegen({ row: 'r' });
    const parts = keys.map((k) => codegen.gen(k));
    const body = parts.length === 1
        ? `const k = ${parts[0]}; return k == null ? undefined : k;`
        : `${parts.map((p, i) => `const k${i} = ${p}; if (k${i} == null) return undefined;`).join('\n')}
           return ${parts.map((_, i) => `$F.keyPart(k${i})`).join(' + "\\u0000" + ')};`;
    return instantiate(`return function joinKey(r) { ${body} };`, codegen.constants) as (row: Row) => unknown;
}

/** Builds the output record: the left fields by name, the right fields renamed per `rightFields`. */
export function compileJoinOutput(config: JoinConfig): (left: Row, right: Row | null) => Row {
    const fields = [
        ...config.leftFields.map((f) => `${JSON.stringify(f)}: ${propertyAccess('l', f)}`),
        ...config.rightFields.map((f) => `${JSON.stringify(f.as)}: r === null ? null : ${propertyAccess('r', f.from)}`)
    ];
    return instantiate(`return function joinOutput(l, r) { return { ${fields.join(', ')} }; };`, []) as (left: Row, right: Row | null) => Row;
}

/** The event-time fields of an interval join's two inputs. */
export function joinTimeFields(node: LogicalNode, config: JoinConfig): { left: string; right: string } {
    const isTimestamp = (name: string) => node.schema.find((f) => f.name === name)?.type.kind === 'timestamp';
    const left = config.leftTimeField ?? config.leftFields.find(isTimestamp);
    const right = config.rightTimeField ?? config.rightFields.find((f) => isTimestamp(f.as))?.from;
    if (left === undefined || right === undefined) {
        throw new Error(`an interval join (within) needs an event-time field on both inputs; found ${left ?? 'none'} on the left and ${right ?? 'none'} on the right`);
    }
    return { left, right };
}

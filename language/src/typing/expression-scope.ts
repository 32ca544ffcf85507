/**
 * Which fields an expression can see, decided by where it stands: the input schema of its
 * operator, both sides in a join condition, nothing in a datagen field or a connector argument.
 */
import { AstUtils, type AstNode } from 'langium';
import {
    isAggregateOp, isOverOp, isConnectorArg, isGeneratedField, isJoinOp, isOperator, isReduceOp, isSink, isSource, isWatermarkOption,
    type Operator, type Source
} from '../generated/ast.js';
import type { SchemaInference } from './schema-inference.js';
import { EMPTY_SCHEMA, type StreamSchema } from './stream-schema.js';

export interface ExpressionScope {
    /** The fields visible by plain name. */
    schema: StreamSchema;
    /** Inside aggregate/reduce: aggregate functions are allowed there. */
    aggregate: boolean;
    /** window.start / window.end are available (an aggregate over a window). */
    window: boolean;
    /** The operator the expression belongs to, if any. */
    operator?: Operator;
}

const NOTHING: ExpressionScope = { schema: EMPTY_SCHEMA, aggregate: false, window: false };

/** The scope of the expression (or field reference) `node`. */
export function expressionScopeOf(node: AstNode, inference: SchemaInference): ExpressionScope {
    for (let child: AstNode | undefined, n: AstNode | undefined = node; n; child = n, n = n.$container) {
        if (isGeneratedField(n) || isConnectorArg(n)) {
            return NOTHING;
        }
        if (isWatermarkOption(n)) {
            const source = AstUtils.getContainerOfType(n, isSource) as Source;
            return { ...NOTHING, schema: inference.schemaOfStream(source) };
        }
        if (isSink(n) && n.input) {
            // `partitioned by dt, hm`: fields of the stream the sink writes.
            return { ...NOTHING, schema: inference.schemaOfStreamRef(n.input) };
        }
        if (isJoinOp(n) && child !== undefined && child === n.asOf) {
            // `join R as of ts`: the time is the left record's own event-time field.
            return { ...NOTHING, schema: inference.inputSchemaOf(n), operator: n };
        }
        if (isOperator(n)) {
            return operatorScope(n, inference);
        }
    }
    return NOTHING;
}

function operatorScope(op: Operator, inference: SchemaInference): ExpressionScope {
    const input = inference.inputSchemaOf(op);
    if (isJoinOp(op)) {
        // Both sides are visible in the condition; the join's own output has exactly those fields.
        return { schema: inference.outputSchemaOf(op), aggregate: false, window: false, operator: op };
    }
    if (isAggregateOp(op) || isReduceOp(op)) {
        // Count windows have no time bounds: window.start/window.end mean nothing there.
        const timeWindow = input.window !== undefined && input.window.kind?.$type !== 'CountWindow';
        return { schema: inference.aggregateScopeOf(op), aggregate: true, window: timeWindow, operator: op };
    }
    if (isOverOp(op)) {
        return { schema: input, aggregate: true, window: false, operator: op };
    }
    return { schema: input, aggregate: false, window: false, operator: op };
}

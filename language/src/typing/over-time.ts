/**
 * The event-time field that orders rows for an OVER aggregate (`on field` as written, else the one
 * field of its input that still holds a source's event time, the field its watermark is on) and
 * for a count window on an event-time stream (which counts rows in event-time order).
 */
import type { Operator, OverOp } from '../generated/ast.js';
import { eventTimeEntries, sourcesUpstreamOf } from './event-time-fields.js';
import { streamRefsOf } from './pipeline-facts.js';
import type { SchemaInference } from './schema-inference.js';

/** The name of the time field `op` orders by, or undefined when the input has none (or several and no `on`). */
export function overTimeField(op: OverOp, inference: SchemaInference): string | undefined {
    if (op.timeField) return op.timeField.field?.$refText;
    const candidates = eventTimeFieldsAt(op, inference);
    return candidates.length === 1 ? candidates[0] : undefined;
}

/** The one input field of `op` holding a source's event time, if there is exactly one. */
export function singleEventTimeFieldAt(op: Operator, inference: SchemaInference): string | undefined {
    const candidates = eventTimeFieldsAt(op, inference);
    return candidates.length === 1 ? candidates[0] : undefined;
}

/** The input fields of `op` that hold a source's event time. */
export function eventTimeFieldsAt(op: Operator, inference: SchemaInference): string[] {
    const input = inference.inputSchemaOf(op);
    return eventTimeEntries(input, sourcesUpstreamOf(streamRefsOf(op.$container))).map((f) => f.name);
}

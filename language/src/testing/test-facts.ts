/**
 * Facts about test blocks shared by their checks and their lowering.
 */
import { parseTimestampLiteral } from '../typing/durations.js';
import type { ThenStep } from '../generated/ast.js';

/** Connectors a `given` may read a fixture file with (the same as sources read files with). */
export const FILE_CONNECTORS = new Set(['csv', 'jsonl', 'text']);

/** Connectors a `given` accepts: inline rows or a fixture file. */
export const GIVEN_CONNECTORS = ['values', ...FILE_CONNECTORS];

/** The epoch ms of a `then watermark` step (UTC unless the text names an offset); undefined for `then end` or a bad instant. */
export function thenStepTime(step: ThenStep): number | undefined {
    const text = step.time ?? step.quotedTime;
    return text === undefined ? undefined : parseTimestampLiteral(text);
}

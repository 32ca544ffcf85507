/**
 * Where late records go: to the `late` side output when the node declares one, otherwise they
 * are dropped and counted, never silently lost.
 */
import type { OperatorContext, Row } from './operator.js';

/** Sends `rows` (late for every window they belong to) to the side output or the dropped count. */
export function routeLateRecords(ctx: OperatorContext, rows: Row[]): void {
    if (rows.length === 0) return;
    if (ctx.node.sideOutputs?.includes('late')) ctx.emitSide('late', rows);
    else ctx.countDropped('late', rows.length);
}

/**
 * Source text for grouping keys. One key is used as is (a Map key); several keys are joined into
 * one string with separators that cannot occur in JSON-free text, keeping null distinct from "null".
 */
import type { Expr } from '../../../protocol/logical-graph.js';
import type { ExpressionCodegen } from './expression-codegen.js';

/** A JavaScript expression for the grouping key of record `r` (the codegen's row). */
export function keySource(codegen: ExpressionCodegen, keys: Expr[]): string {
    if (keys.length === 0) return '0';
    if (keys.length === 1) return codegen.gen(keys[0]);
    return keys.map((k) => `$F.keyPart(${codegen.gen(k)})`).join(' + "\\u0000" + ');
}

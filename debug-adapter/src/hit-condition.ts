/**
 * DAP hit conditions as the runtime counts them (protocol/job-debugging.ts): `5` or `== 5` stops
 * on the 5th hit, `>= 5` on the 5th and every later one, `% 3` on every 3rd.
 */
import type { NodeBreakpoint } from '../../protocol/job-debugging.js';

export type HitCondition = NonNullable<NodeBreakpoint['hitCondition']>;

/** The parsed hit condition, or the reason it is not one. */
export function parseHitCondition(text: string): HitCondition | { error: string } {
    const match = /^\s*(==|>=|%)?\s*(\d+)\s*$/.exec(text);
    const n = match ? Number(match[2]) : NaN;
    if (!match || !Number.isSafeInteger(n) || n < 1) {
        return { error: `The hit count '${text}' is not one of: N or '== N' (the N-th hit), '>= N' (from the N-th hit on), '% N' (every N-th hit), with N a whole number from 1.` };
    }
    return { op: (match[1] ?? '==') as HitCondition['op'], n };
}

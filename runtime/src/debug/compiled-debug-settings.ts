/**
 * The published debug settings, compiled for a subtask's probes: breakpoints grouped by node,
 * their conditions and logpoint templates compiled to functions of the record.
 */
import type { ExceptionStops, LogTemplatePart, NodeBreakpoint } from '../../../protocol/job-debugging.js';
import { compileExpression } from '../expressions/compile-expression.js';
import type { Row } from '../operators/operator.js';
import type { PublishedSettings } from './debug-control-block.js';

export interface CompiledBreakpoint {
    id: number;
    counterSlot: number;
    condition?: (row: Row) => unknown;
    hitCondition?: NodeBreakpoint['hitCondition'];
    logMessage?: (row: Row) => string;
}

export interface CompiledDebugSettings {
    breakpoints: Map<string, CompiledBreakpoint[]>;
    exceptions: ExceptionStops;
    entry: boolean;
    pause: boolean;
    step: PublishedSettings['step'];
}

export function compileDebugSettings(published: PublishedSettings): CompiledDebugSettings {
    const breakpoints = new Map<string, CompiledBreakpoint[]>();
    for (const bp of published.settings.breakpoints) {
        const compiled: CompiledBreakpoint = { id: bp.id, counterSlot: published.counterSlots[bp.id] };
        if (bp.condition) compiled.condition = compileExpression(bp.condition);
        if (bp.hitCondition) compiled.hitCondition = bp.hitCondition;
        if (bp.logMessage) compiled.logMessage = compileTemplate(bp.logMessage);
        const list = breakpoints.get(bp.nodeId) ?? [];
        list.push(compiled);
        breakpoints.set(bp.nodeId, list);
    }
    return { breakpoints, exceptions: published.settings.exceptions, entry: published.entry, pause: published.pause, step: published.step };
}

/** `{customer} paid {amount}`: each hole evaluated on the record; a failing hole shows its error. */
function compileTemplate(parts: LogTemplatePart[]): (row: Row) => string {
    const pieces = parts.map((part) => {
        if ('text' in part) return () => part.text;
        const fn = compileExpression(part.expr);
        return (row: Row) => {
            try {
                return formatValue(fn(row));
            } catch (error) {
                return `<error: ${error instanceof Error ? error.message : String(error)}>`;
            }
        };
    });
    return (row) => pieces.map((piece) => piece(row)).join('');
}

function formatValue(value: unknown): string {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'string') return value;
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
}

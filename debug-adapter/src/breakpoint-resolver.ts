/**
 * Turns the editor's line breakpoints into breakpoints on LogicalGraph nodes: a line maps to the
 * node written on it (an operator, a source, a sink), or moves to the next node line of the
 * pipeline; conditions and logpoint holes are compiled by the language's checker at the node
 * (compileNodeExpression), so a wrong condition comes back as an unverified breakpoint with the
 * checker's message instead of never firing.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { LogTemplatePart, NodeBreakpoint } from '../../protocol/job-debugging.js';
import type { Expr, LogicalNode } from '../../protocol/logical-graph.js';
import { compileNodeExpression, type NodeExpressionResult } from '../../language/src/graph/node-expression.js';
import type { DebuggedProgram } from './debugged-program.js';
import { parseHitCondition } from './hit-condition.js';
import { splitLogTemplate } from './log-template.js';

/** One editor breakpoint: what the editor is told, and what the runtime gets (nothing when unverified). */
export interface ResolvedBreakpoint {
    dap: DebugProtocol.Breakpoint;
    nodes: NodeBreakpoint[];
}

/** A requested breakpoint with a 1-based line (and column). */
export interface LineBreakpoint {
    line: number;
    column?: number;
    condition?: string;
    hitCondition?: string;
    logMessage?: string;
}

export class BreakpointResolver {
    private readonly compiled = new Map<string, Promise<NodeExpressionResult>>();

    constructor(private readonly program: DebuggedProgram) {}

    /** Resolves the breakpoints of one file; `id` is the DAP id each gets. */
    async resolve(file: string, requested: LineBreakpoint[], id: () => number): Promise<ResolvedBreakpoint[]> {
        return Promise.all(requested.map((bp) => this.resolveOne(file, bp, id())));
    }

    private async resolveOne(file: string, bp: LineBreakpoint, id: number): Promise<ResolvedBreakpoint> {
        const unverified = (message: string, line = bp.line): ResolvedBreakpoint => ({ dap: { id, verified: false, line, message }, nodes: [] });
        const place = this.nodeAt(file, bp.line, bp.column);
        if ('error' in place) return unverified(place.error);
        const { node } = place;
        const line = node.location.range.start.line + 1;
        const breakpoint: NodeBreakpoint = { id, nodeId: node.id };
        if (bp.condition?.trim()) {
            const condition = await this.compileAt(node, bp.condition, 'condition');
            if ('error' in condition) return unverified(`Condition: ${condition.error}`, line);
            breakpoint.condition = condition.expr;
        }
        if (bp.hitCondition?.trim()) {
            const hit = parseHitCondition(bp.hitCondition);
            if ('error' in hit) return unverified(hit.error, line);
            breakpoint.hitCondition = hit;
        }
        if (bp.logMessage !== undefined && bp.logMessage !== '') {
            const pieces = splitLogTemplate(bp.logMessage);
            if ('error' in pieces) return unverified(pieces.error, line);
            const parts: LogTemplatePart[] = [];
            for (const piece of pieces) {
                if ('text' in piece) {
                    parts.push(piece);
                    continue;
                }
                const hole = await this.compileAt(node, piece.hole, 'value');
                if ('error' in hole) return unverified(`Log message, {${piece.hole}} at column ${piece.column}: ${hole.error}`, line);
                parts.push({ expr: hole.expr });
            }
            breakpoint.logMessage = parts;
        }
        const moved = line !== bp.line ? ` (moved from line ${bp.line}: no operator there)` : '';
        return { dap: { id, verified: true, line, ...(moved ? { message: `${node.name}${moved}` } : {}) }, nodes: [breakpoint] };
    }

    /** The node a breakpoint on `line` of `file` belongs to, or why there is none. */
    private nodeAt(file: string, line: number, column: number | undefined): { node: LogicalNode } | { error: string } {
        const { graph, pipelines } = this.program;
        const inFile = graph.nodes.filter((n) => samePath(n.location.uri, file));
        const zeroBased = line - 1;
        const covering = inFile.filter((n) => n.location.range.start.line <= zeroBased && zeroBased <= n.location.range.end.line);
        if (covering.length > 0) {
            // Several nodes on one line (`a | filter x | map {...}`): the one at the column, else the first.
            const latestStart = Math.max(...covering.map((n) => n.location.range.start.line));
            const onLine = covering.filter((n) => n.location.range.start.line === latestStart)
                .sort((a, b) => a.location.range.start.character - b.location.range.start.character);
            const atColumn = column === undefined ? undefined
                : onLine.find((n) => n.location.range.start.character <= column - 1 && column - 1 <= n.location.range.end.character);
            return { node: atColumn ?? onLine[0] };
        }
        const programFile = samePath(this.program.uri, file);
        const other = programFile ? pipelines.find((p) => p.name !== graph.pipeline && contains(p.location, zeroBased)) : undefined;
        if (other) return { error: `Line ${line} is in the pipeline ${other.name}, but ${graph.pipeline} is being debugged.` };
        const next = inFile.filter((n) => n.location.range.start.line > zeroBased)
            .sort((a, b) => a.location.range.start.line - b.location.range.start.line || a.location.range.start.character - b.location.range.start.character)[0];
        // Never across another pipeline: its lines are not this pipeline's.
        const between = next && programFile && pipelines.some((p) => p.name !== graph.pipeline
            && p.location.range.start.line > zeroBased && p.location.range.start.line < next.location.range.start.line);
        if (!next || between) return { error: `No operator on or after line ${line} in pipeline ${graph.pipeline}.` };
        return { node: next };
    }

    /**
     * Compiles a condition or a logpoint hole over the records reaching `node`. On a join, records
     * come in on either side, so the expression must mean the same on both.
     */
    private async compileAt(node: LogicalNode, text: string, expect: 'condition' | 'value'): Promise<{ expr: Expr } | { error: string }> {
        const sides = node.config.kind === 'join' ? [0, 1] : [0];
        const results = await Promise.all(sides.map((input) => this.compile(node.id, text, expect, input)));
        const failed = results.findIndex((r) => 'errors' in r);
        if (failed >= 0) {
            const errors = (results[failed] as { errors: { message: string; column: number }[] }).errors;
            const side = sides.length > 1 ? ` (on the join's ${failed === 0 ? 'left' : 'right'} input; a join's records come in on both sides)` : '';
            return { error: errors.map((e) => `${e.message} (column ${e.column + 1})`).join(' ') + side };
        }
        const exprs = results.map((r) => (r as { expr: Expr }).expr);
        if (exprs.length > 1 && JSON.stringify(exprs[0]) !== JSON.stringify(exprs[1])) {
            return { error: `'${text}' reads different fields on the join's two inputs; a join's records come in on both sides, so use fields both sides have under the same name.` };
        }
        return { expr: exprs[0] };
    }

    private compile(nodeId: string, text: string, expect: 'condition' | 'value', input: number): Promise<NodeExpressionResult> {
        const key = JSON.stringify([nodeId, text, expect, input]);
        let result = this.compiled.get(key);
        if (!result) {
            result = compileNodeExpression({ uri: this.program.uri, pipeline: this.program.graph.pipeline, nodeId, text, at: 'input', expect, input });
            this.compiled.set(key, result);
        }
        return result;
    }
}

function samePath(uri: string, file: string): boolean {
    return fileURLToPath(uri) === resolve(file);
}

function contains(location: { range: { start: { line: number }; end: { line: number } } }, line: number): boolean {
    return location.range.start.line <= line && line <= location.range.end.line;
}

/**
 * Compiles a `.flow` expression typed by a user at run time (a breakpoint condition, a logpoint's
 * `{hole}`, a Debug Console expression, a stream tap's filter) in the context of one LogicalGraph
 * node, with the real parser, scoping and type checker: the text is spliced into the pipeline as
 * an operator right where the node's records are (`| filter (<text>)`, or `| map { v: (<text>) }`
 * for a value), the file is checked as a whole, the diagnostics that fall in the spliced text
 * become the expression's errors, and the spliced operator's expression is lowered like any
 * other. So an expression means exactly what it would mean written in the file.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import type { Expr, FlowType } from '../../../protocol/logical-graph.js';
import {
    type Expression, type Model, type Operator, type Pipeline, type StreamRef, isBroadcastOp, isFilterOp, isJoinOp, isKeyByOp,
    isMapOp, isParallelismOp, isPipeline, isRebalanceOp, isSink, isStream, isUnionOp, isWindowOp
} from '../generated/ast.js';
import { createFlowServices } from '../flow-module.js';
import { loadFlowWorkspace } from '../workspace/flow-workspace.js';
import { opKind } from './build-logical-graph.js';
import { ExpressionLowering } from './lower-expression.js';

/** What to compile, and where. */
export interface NodeExpressionRequest {
    /** The `.flow` file's URI (`file:///...`), as in the LogicalGraph's node locations. */
    uri: string;
    /** The file's text when it differs from the disk (an editor's buffer); read from disk when absent. */
    documentText?: string;
    pipeline: string;
    /** A LogicalGraph node id: `<pipeline>/<stream>/<index>-<kind>`, `<pipeline>/source/<name>`, `<pipeline>/sink/<n>`. */
    nodeId: string;
    /** The expression, e.g. `amount > 100 and country == "DE"`. */
    text: string;
    /**
     * `input`: over the record reaching the node (breakpoint conditions, logpoints, the Debug
     * Console); `output`: over the records the node emits (a tap's filter). For a source both
     * mean the record it read; for a sink, the record it writes.
     */
    at: 'input' | 'output';
    /** `condition` must be boolean (the checker's message otherwise); `value` may be any type. Default: `value`. */
    expect?: 'condition' | 'value';
    /** Which input of the node, at `input` (a join's right side is 1, a union's n-th other stream n). Default 0. */
    input?: number;
}

/** A problem in the expression; columns are 0-based offsets into `text` (end exclusive). */
export interface NodeExpressionError {
    message: string;
    column: number;
    endColumn: number;
}

export type NodeExpressionResult = { expr: Expr; type: FlowType } | { errors: NodeExpressionError[] };

/** Thrown for a request that names no node of the file (a caller's mistake, not the user's expression). */
export class UnknownNodeError extends Error {}

/** The name of the value column of a spliced `map` and of a spliced stream (not a name users write). */
const VALUE_COLUMN = '__flowline_value';
const SPLICED_STREAM = '__flowline_expression';

/** Operators that shape the edge into the next operator rather than being nodes. */
function shapesNextEdge(op: Operator): boolean {
    return isKeyByOp(op) || isWindowOp(op) || isRebalanceOp(op) || isBroadcastOp(op) || isParallelismOp(op);
}

/** Compiles `request.text` in the context of its node. Errors in the text are results, not exceptions. */
export async function compileNodeExpression(request: NodeExpressionRequest): Promise<NodeExpressionResult> {
    const path = fileURLToPath(request.uri);
    const original = request.documentText ?? await readFile(path, 'utf8');
    const splice = splicePoint(request, original);
    const condition = (request.expect ?? 'value') === 'condition';
    const operator = condition ? `filter (${request.text}\n)` : `map { ${VALUE_COLUMN}: (${request.text}\n) }`;
    const inserted = splice.kind === 'operator'
        ? ` | ${operator}`
        : `\nstream ${SPLICED_STREAM} = ${splice.streamRef} | ${operator}\n`;
    const textStart = splice.offset + inserted.indexOf(request.text);
    const opStart = splice.offset + inserted.indexOf(operator);
    const opEnd = opStart + operator.length;
    const spliced = original.slice(0, splice.offset) + inserted + original.slice(splice.offset);

    const { services, documents } = await loadFlowWorkspace([path], new Map([[path, spliced]]));
    const document = documents[0];
    const errors = errorsInText(document, textStart, request.text.length, opStart, opEnd);
    if (errors.length > 0) return { errors };
    const op = splicedOperator(document, request.pipeline, opStart, opEnd);
    if (!op) {
        // The text closed the parenthesis and went on (`a) | map {b: 1`): it is not one expression.
        return { errors: [{ message: 'Expected one expression.', column: 0, endColumn: request.text.length }] };
    }
    const expression: Expression | undefined = isFilterOp(op) ? op.condition : isMapOp(op) ? op.projection?.items[0]?.value : undefined;
    if (!expression) return { errors: [{ message: 'Expected one expression.', column: 0, endColumn: request.text.length }] };
    const expr = new ExpressionLowering(services.typing.ExpressionTyper).lower(expression);
    return { expr, type: expr.type };
}

/** Where the expression's operator goes: into a stream, or on a new stream appended to the pipeline. */
type Splice = { kind: 'operator'; offset: number } | { kind: 'stream'; offset: number; streamRef: string };

/** Finds the node in the file as written and says where its records can be tapped by an operator. */
function splicePoint(request: NodeExpressionRequest, text: string): Splice {
    const model = parseOnly(request.uri, text);
    const pipeline = model.elements.filter(isPipeline).find((p) => p.name === request.pipeline);
    if (!pipeline) throw new UnknownNodeError(`${request.uri} has no pipeline '${request.pipeline}'.`);
    const prefix = `${request.pipeline}/`;
    if (!request.nodeId.startsWith(prefix)) throw new UnknownNodeError(`The node '${request.nodeId}' is not in the pipeline '${request.pipeline}'.`);
    const [group, rest] = splitOnce(request.nodeId.slice(prefix.length));
    const appendAt = endOf(pipeline) - 1; // before the pipeline's closing brace
    if (group === 'source') {
        return { kind: 'stream', offset: appendAt, streamRef: rest };
    }
    if (group === 'sink') {
        const sink = pipeline.members.filter(isSink)[Number(rest)];
        if (!sink) throw new UnknownNodeError(`The pipeline '${request.pipeline}' has no sink ${rest}.`);
        return { kind: 'stream', offset: appendAt, streamRef: refText(sink.input) };
    }
    const stream = pipeline.members.filter(isStream).find((s) => s.name === group);
    const match = /^(\d+)-(\w+)$/.exec(rest);
    const index = match ? Number(match[1]) : -1;
    const op = stream?.operators[index];
    if (!stream || !op || opKind(op) !== match![2]) throw new UnknownNodeError(`The pipeline '${request.pipeline}' has no node '${request.nodeId}'.`);
    const input = request.input ?? 0;
    if (request.at === 'output') return { kind: 'operator', offset: endOf(op) };
    if (input > 0) {
        // A join's right side, a union's other streams: records as that stream emits them.
        const other = isJoinOp(op) && input === 1 ? op.right : isUnionOp(op) ? op.others[input - 1] : undefined;
        if (!other) throw new UnknownNodeError(`The node '${request.nodeId}' has no input ${input}.`);
        return { kind: 'stream', offset: appendAt, streamRef: refText(other) };
    }
    // Before the keyBy/window/rebalance in front of the node: they change no field, and an
    // operator between them and the node would not check (a window must be followed by aggregate).
    let previous = index - 1;
    while (previous >= 0 && shapesNextEdge(stream.operators[previous])) previous -= 1;
    return { kind: 'operator', offset: previous >= 0 ? endOf(stream.operators[previous]) : endOf(stream.input) };
}

/** The file parsed (not linked): enough to find nodes and their offsets. */
function parseOnly(uri: string, text: string): Model {
    const services = createFlowServices(EmptyFileSystem).Flow;
    const document = services.shared.workspace.LangiumDocumentFactory.fromString<Model>(text, URI.parse(uri));
    return document.parseResult.value;
}

/**
 * The error diagnostics of the spliced file that belong to the expression: those within the
 * spliced operator, and any syntax error (an unbalanced text derails the parser further on).
 * Warnings and errors elsewhere (a spliced `map` changes what later operators see) are not the
 * expression's.
 */
function errorsInText(document: LangiumDocument, textStart: number, textLength: number, opStart: number, opEnd: number): NodeExpressionError[] {
    const lines = document.textDocument;
    const errors: NodeExpressionError[] = [];
    for (const d of document.diagnostics ?? []) {
        if ((d.severity ?? 1) !== 1) continue;
        const start = lines.offsetAt(d.range.start);
        const end = lines.offsetAt(d.range.end);
        const code = (d.data as { code?: string } | undefined)?.code;
        const syntax = code === 'lexing-error' || code === 'parsing-error';
        if (!syntax && (end < opStart || start > opEnd)) continue;
        const clamp = (offset: number): number => Math.min(Math.max(offset - textStart, 0), textLength);
        const column = clamp(start);
        const message = (typeof d.message === 'string' ? d.message : String(d.message)).replaceAll(VALUE_COLUMN, 'the value');
        const error = { message, column, endColumn: Math.max(clamp(end), Math.min(column + 1, textLength)) };
        // After the parser's first complaint the rest is its recovery's guesswork about the text.
        if (syntax) return [error];
        errors.push(error);
    }
    return errors;
}

/** The operator spliced in, found where it was put; undefined when the text changed the structure around it. */
function splicedOperator(document: LangiumDocument, pipelineName: string, opStart: number, opEnd: number): Operator | undefined {
    const pipeline: Pipeline | undefined = (document.parseResult.value as Model).elements.filter(isPipeline).find((p) => p.name === pipelineName);
    for (const stream of pipeline?.members.filter(isStream) ?? []) {
        for (const op of stream.operators) {
            const cst = op.$cstNode;
            if (cst && cst.offset === opStart) return cst.end === opEnd ? op : undefined;
        }
    }
    return undefined;
}

function endOf(node: { $cstNode?: { end: number } }): number {
    return node.$cstNode!.end;
}

function refText(ref: StreamRef): string {
    return ref.$cstNode!.text;
}

function splitOnce(id: string): [string, string] {
    const slash = id.indexOf('/');
    return slash < 0 ? [id, ''] : [id.slice(0, slash), id.slice(slash + 1)];
}

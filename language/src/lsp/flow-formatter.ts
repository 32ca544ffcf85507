/**
 * Formats .flow documents: one space around operators and after keywords, blocks indented, one
 * blank line between top-level elements. Layout choices the author made on purpose are kept
 * (a `|` on its own line stays on its own line, a one-line projection stays on one line), which
 * also makes formatting idempotent: a formatted file formats to itself.
 * Langium's formatter refuses documents with syntax errors, so half-typed text is never mangled.
 */
import { CstUtils, type AstNode, type CstNode } from 'langium';
import { AbstractFormatter, Formatting, type FormattingAction, type NodeFormatter } from 'langium/lsp';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import * as ast from '../generated/ast.js';

/**
 * One space, or no space; but a line break the author put there is kept as it is, so a long
 * expression or argument list laid out over several lines is never joined into one line.
 */
const SPACE: FormattingAction = { options: {}, moves: [{ characters: 1 }, {}] };
const TIGHT: FormattingAction = { options: {}, moves: [{ characters: 0 }, {}] };
/** A comment or member after the first in a block: on its own line, indented. */
const NEXT_LINE: FormattingAction = { options: {}, moves: [{ tabs: 1, lines: 1 }] };

/** One space before the node, and its contents indented one level deeper (a `|` on its own line). */
const ONE_SPACE_INDENTED: FormattingAction = { options: {}, moves: [{ characters: 1, tabs: 1 }] };

/** An argument on its own line, one level deeper than the line of its call. */
const ARGUMENT_LINE: FormattingAction = { options: {}, moves: [{ tabs: 1, lines: 1 }] };

/** A member on its own line, indented, keeping at most one blank line before it. */
const MEMBER_LINE: FormattingAction = { options: {}, moves: [{ tabs: 1, lines: 1 }, { tabs: 1, lines: 2 }] };

type FormattingContext = Parameters<AbstractFormatter['createHiddenTextEdits']>[3];

/** The .flow formatter (`textDocument/formatting`). */
export class FlowFormatter extends AbstractFormatter {
    protected format(node: AstNode): void {
        const f = this.getNodeFormatter(node);
        if (ast.isModel(node)) {
            this.formatModel(node, f as NodeFormatter<ast.Model>);
        } else if (ast.isSchema(node) || ast.isPipeline(node)) {
            f.keywords('schema', 'pipeline').append(SPACE);
            this.block(f, true);
            f.keyword('{').prepend(SPACE);
        } else if (ast.isInlineSchema(node)) {
            this.block(f, spansLines(node), true);
        } else if (ast.isField(node) || ast.isGeneratedField(node) || ast.isConnectorArg(node)
            || ast.isProjectionItem(node) || ast.isRecordField(node)) {
            this.colon(f);
            f.keyword('=').surround(SPACE);
            f.keyword(',').prepend(TIGHT);
        } else if (ast.isTypeRef(node)) {
            f.keywords('[', ']', '?').prepend(TIGHT);
        } else if (ast.isSource(node)) {
            f.keyword('source').append(SPACE);
            this.colon(f);
            f.keyword('=').surround(SPACE);
            if (node.options.length > 0) {
                this.block(f, true);
                f.keyword('{').prepend(SPACE);
            }
        } else if (ast.isStream(node)) {
            this.formatStream(node, f as NodeFormatter<ast.Stream>);
        } else if (ast.isPipelineTest(node)) {
            f.keyword('test').append(SPACE);
            f.keyword('for').surround(SPACE);
            this.block(f, true);
            f.keyword('{').prepend(SPACE);
        } else if (ast.isGivenStep(node)) {
            f.keyword('given').append(SPACE);
            f.keyword('=').surround(SPACE);
        } else if (ast.isExpectStep(node)) {
            f.keywords('expect', 'failure').append(SPACE);
            f.keywords('is', 'matches', 'count', 'in', 'within', '=').surround(SPACE);
        } else if (ast.isThenStep(node)) {
            f.keywords('then', 'watermark', 'timestamp').append(SPACE);
        } else if (ast.isSink(node)) {
            f.keyword('sink').append(SPACE);
            f.keyword('->').surround(SPACE);
        } else if (ast.isStreamRef(node) || ast.isMemberAccess(node) || ast.isWindowProperty(node)) {
            f.keyword('.').surround(TIGHT);
        } else if (ast.isConnector(node) && spansLines(node)) {
            this.argumentLines(node, f);
        } else if (ast.isConnector(node) || ast.isFunctionCall(node) || ast.isUdfCall(node)
            || ast.isCastExpr(node)) {
            this.parenthesised(f);
            f.keyword('distinct').append(SPACE);
            f.keyword('as').surround(SPACE);
        } else if (ast.isInExpr(node)) {
            this.parenthesised(f);
            f.keyword('in').prepend(SPACE);
            f.keyword('(').prepend(SPACE);
        } else if (ast.isProjection(node) || ast.isRecordLiteral(node)) {
            this.block(f, spansLines(node), true);
        } else if (ast.isArrayLiteral(node)) {
            f.keyword('[').append(TIGHT);
            f.keyword(']').prepend(TIGHT);
            this.commas(f);
        } else if (ast.isBinaryExpr(node)) {
            f.property('operator').surround(SPACE);
        } else if (ast.isUnaryExpr(node)) {
            f.keyword('not').append(SPACE);
            f.keyword('-').append(TIGHT);
        } else if (ast.isIsNullExpr(node)) {
            f.keywords('is', 'not', 'null').prepend(SPACE);
        } else if (ast.isJoinOp(node)) {
            f.keyword('left').append(SPACE);
            f.keyword('join').append(SPACE);
            f.keywords('on', 'within', 'as', 'of').surround(SPACE);
        } else if (ast.isIfExpr(node) || ast.isCaseExpr(node) || ast.isCaseBranch(node)) {
            f.keywords('if', 'case', 'when').append(SPACE);
            f.keywords('then', 'else').surround(SPACE);
            f.keyword('end').prepend(SPACE);
        } else if (ast.isNameRef(node) || ast.isFieldRef(node)) {
            // A field may be named like a keyword (`mode`, `limit`): never format inside a name.
        } else if (ast.isOrderKey(node)) {
            f.property('direction').prepend(SPACE);
        } else if (ast.isOrderByOp(node) || ast.isKeyByOp(node) || ast.isUnionOp(node)) {
            f.keywords('orderBy', 'keyBy', 'union').append(SPACE);
            f.keywords('across', 'windows').prepend(SPACE);
            this.commas(f);
        } else if (ast.isCheckpointSetting(node)) {
            // `checkpoint every 10s exactly once`: one space between the words.
            f.keywords('every', 'exactly', 'once', 'at', 'least').prepend(SPACE);
            f.property('interval').prepend(SPACE);
        } else if (ast.isRestartSetting(node)) {
            f.keyword('restart').append(SPACE);
        } else if (ast.isFixedDelayRestart(node) || ast.isExponentialDelayRestart(node) || ast.isFailureRateRestart(node)) {
            // `fixed 3 delay 1s`, `exponential delay 1s max 1m ...`, `failure rate 3 per 5m ...`
            f.keywords('delay', 'max', 'multiplier', 'reset', 'after', 'attempts', 'rate', 'per').prepend(SPACE);
            const values = f as NodeFormatter<ast.FixedDelayRestart & ast.ExponentialDelayRestart & ast.FailureRateRestart>;
            values.properties('attempts', 'delay', 'initial', 'max', 'multiplier', 'resetAfter', 'maxFailures', 'interval').prepend(SPACE);
        } else if (ast.isLimitOp(node)) {
            f.keyword('limit').append(SPACE);
            f.keywords('across', 'windows').prepend(SPACE);
        } else {
            // Keyword-led constructs: `filter x`, `window tumbling 1m on ts`, `mode batch`, ...
            f.keywords('filter', 'map', 'select', 'flatMap', 'aggregate', 'reduce', 'parallelism',
                'mode', 'watermark', 'onError', 'import', 'tumbling', 'sliding', 'session', 'gap', 'timestamp')
                .append(SPACE);
            if (ast.isWindowOp(node)) f.keyword('window').append(SPACE);
            f.keywords('on', 'as', 'every', 'returns', 'idle', '-').surround(SPACE);
        }
    }

    private formatModel(node: ast.Model, f: NodeFormatter<ast.Model>): void {
        node.imports.slice(1).forEach((imp) => f.node(imp).prepend(Formatting.newLine()));
        node.elements.forEach((element, i) => {
            if (i === 0 && node.imports.length === 0) return;
            // A doc comment belongs to the element after it: the blank line goes above the comment.
            const [comment] = element.$cstNode ? leadingComments(element.$cstNode) : [];
            if (comment) {
                f.cst([comment]).prepend(Formatting.newLines(2));
                f.node(element).prepend(Formatting.newLine());
            } else {
                f.node(element).prepend(Formatting.newLines(2));
            }
        });
    }

    private formatStream(node: ast.Stream, f: NodeFormatter<ast.Stream>): void {
        f.keyword('stream').append(SPACE);
        f.keyword('=').surround(SPACE);
        const pipes = f.keywords('|').nodes;
        pipes.forEach((pipe, i) => {
            const previous = i === 0 ? node.input.$cstNode : node.operators[i - 1]?.$cstNode;
            const operator = node.operators[i];
            const ownLine = previous !== undefined && pipe.range.start.line > previous.range.end.line;
            f.cst([pipe]).prepend(ownLine ? Formatting.indent() : SPACE);
            if (operator) f.node(operator).prepend(ownLine ? ONE_SPACE_INDENTED : SPACE);
        });
    }

    /**
     * A connector call whose arguments the author laid out over several lines (the records of a
     * `values(...)`): each argument that starts a line is indented one level, `)` on its own line
     * goes back; arguments sharing a line stay together.
     */
    private argumentLines(node: ast.Connector, f: NodeFormatter<AstNode>): void {
        f.keyword('(').prepend(TIGHT);
        f.keywords(',').prepend(TIGHT);
        let previous: CstNode | undefined = f.keyword('(').nodes[0];
        for (const [i, arg] of node.args.entries()) {
            const cst = arg.$cstNode;
            if (!cst) continue;
            const ownLine = previous !== undefined && cst.range.start.line > previous.range.end.line;
            f.node(arg).prepend(ownLine ? ARGUMENT_LINE : i === 0 ? TIGHT : SPACE);
            previous = cst;
        }
        const close = f.keyword(')');
        const last = node.args.at(-1)?.$cstNode;
        const closeNode = close.nodes[0];
        close.prepend(last && closeNode && closeNode.range.start.line > last.range.end.line ? Formatting.newLine() : TIGHT);
    }

    /** `{ ... }` (the space before `{` is the parent's): members one per line and indented, or kept on one line with inner spaces. */
    private block(f: NodeFormatter<AstNode>, multiLine: boolean, commas = false): void {
        const open = f.keyword('{');
        const close = f.keyword('}');
        if (multiLine) {
            const interior = f.interior(open, close);
            interior.prepend(MEMBER_LINE);
            // Comments in a block are indented like its members; a blank line above them is kept.
            for (const member of interior.nodes) {
                const comments = leadingComments(member);
                if (comments.length === 0) continue;
                f.cst([comments[0]]).prepend(MEMBER_LINE);
                comments.slice(1).forEach((c) => f.cst([c]).prepend(NEXT_LINE));
                f.cst([member]).prepend(NEXT_LINE);
            }
            const closing = close.nodes[0];
            const trailing = closing ? leadingComments(closing) : [];
            if (trailing.length > 0) {
                f.cst([trailing[0]]).prepend(MEMBER_LINE);
                trailing.slice(1).forEach((c) => f.cst([c]).prepend(NEXT_LINE));
            }
            close.prepend(Formatting.newLine());
        } else {
            open.append(SPACE);
            close.prepend(SPACE);
        }
        if (commas) f.keywords(',').prepend(TIGHT);
    }

    /** Langium only re-indents comments; line breaks before a comment are needed for doc comments. */
    protected override createHiddenTextEdits(previous: CstNode | undefined, hidden: CstNode,
        formatting: FormattingAction | undefined, context: FormattingContext): TextEdit[] {
        const between: Range | undefined = previous && { start: previous.range.end, end: hidden.range.start };
        const move = between && formatting && this.findFittingMove(between, formatting.moves, context);
        if (between && move?.lines !== undefined && between.start.line < between.end.line) {
            const indentation = context.indentation;
            context.indentation += move.tabs ?? 0;
            const edit = this.createLineTextEdit(between, move.lines, context, formatting?.options ?? {});
            context.indentation = indentation;
            return [edit];
        }
        return super.createHiddenTextEdits(previous, hidden, formatting, context);
    }

    private colon(f: NodeFormatter<AstNode>): void {
        f.keyword(':').prepend(TIGHT).append(SPACE);
    }

    private commas(f: NodeFormatter<AstNode>): void {
        f.keywords(',').prepend(TIGHT).append(SPACE);
    }

    private parenthesised(f: NodeFormatter<AstNode>): void {
        f.keyword('(').surround(TIGHT);
        f.keyword(')').prepend(TIGHT);
        this.commas(f);
    }
}

function spansLines(node: AstNode): boolean {
    const cst: CstNode | undefined = node.$cstNode;
    return cst !== undefined && cst.range.start.line !== cst.range.end.line;
}

const COMMENTS = ['ML_COMMENT', 'SL_COMMENT'];

/** The comments directly above a node, first to last (not one trailing the line before). */
function leadingComments(cst: CstNode): CstNode[] {
    const comments: CstNode[] = [];
    let current: CstNode | undefined = cst;
    while (current) {
        const previous = CstUtils.getPreviousNode(current, true);
        if (!previous || !previous.hidden || !CstUtils.isCommentNode(previous, COMMENTS)) break;
        const before = CstUtils.getPreviousNode(previous, false);
        if (before && before.range.end.line === previous.range.start.line) break;
        comments.unshift(previous);
        current = previous;
    }
    return comments;
}

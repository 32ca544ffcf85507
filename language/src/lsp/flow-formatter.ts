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

/** One space before the node, and its contents indented one level deeper (a `|` on its own line). */
const ONE_SPACE_INDENTED: FormattingAction = { options: {}, moves: [{ characters: 1, tabs: 1 }] };

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
            f.keywords('schema', 'pipeline').append(Formatting.oneSpace());
            this.block(f, true);
            f.keyword('{').prepend(Formatting.oneSpace());
        } else if (ast.isInlineSchema(node)) {
            this.block(f, spansLines(node), true);
        } else if (ast.isField(node) || ast.isGeneratedField(node) || ast.isConnectorArg(node)
            || ast.isProjectionItem(node) || ast.isRecordField(node)) {
            this.colon(f);
            f.keyword('=').surround(Formatting.oneSpace());
            f.keyword(',').prepend(Formatting.noSpace());
        } else if (ast.isTypeRef(node)) {
            f.keywords('[', ']', '?').prepend(Formatting.noSpace());
        } else if (ast.isSource(node)) {
            f.keyword('source').append(Formatting.oneSpace());
            this.colon(f);
            f.keyword('=').surround(Formatting.oneSpace());
            if (node.options.length > 0) {
                this.block(f, true);
                f.keyword('{').prepend(Formatting.oneSpace());
            }
        } else if (ast.isStream(node)) {
            this.formatStream(node, f as NodeFormatter<ast.Stream>);
        } else if (ast.isSink(node)) {
            f.keyword('sink').append(Formatting.oneSpace());
            f.keyword('->').surround(Formatting.oneSpace());
        } else if (ast.isStreamRef(node) || ast.isMemberAccess(node) || ast.isWindowProperty(node)) {
            f.keyword('.').surround(Formatting.noSpace());
        } else if (ast.isConnector(node) || ast.isFunctionCall(node) || ast.isUdfCall(node)
            || ast.isCastExpr(node)) {
            this.parenthesised(f);
            f.keyword('distinct').append(Formatting.oneSpace());
            f.keyword('as').surround(Formatting.oneSpace());
        } else if (ast.isInExpr(node)) {
            this.parenthesised(f);
            f.keyword('in').prepend(Formatting.oneSpace());
            f.keyword('(').prepend(Formatting.oneSpace());
        } else if (ast.isProjection(node) || ast.isRecordLiteral(node)) {
            this.block(f, spansLines(node), true);
        } else if (ast.isArrayLiteral(node)) {
            f.keyword('[').append(Formatting.noSpace());
            f.keyword(']').prepend(Formatting.noSpace());
            this.commas(f);
        } else if (ast.isBinaryExpr(node)) {
            f.property('operator').surround(Formatting.oneSpace());
        } else if (ast.isUnaryExpr(node)) {
            f.keyword('not').append(Formatting.oneSpace());
            f.keyword('-').append(Formatting.noSpace());
        } else if (ast.isIsNullExpr(node)) {
            f.keywords('is', 'not', 'null').prepend(Formatting.oneSpace());
        } else if (ast.isJoinOp(node)) {
            f.keyword('left').append(Formatting.oneSpace());
            f.keyword('join').append(Formatting.oneSpace());
            f.keywords('on', 'within').surround(Formatting.oneSpace());
        } else if (ast.isIfExpr(node) || ast.isCaseExpr(node) || ast.isCaseBranch(node)) {
            f.keywords('if', 'case', 'when').append(Formatting.oneSpace());
            f.keywords('then', 'else').surround(Formatting.oneSpace());
            f.keyword('end').prepend(Formatting.oneSpace());
        } else if (ast.isNameRef(node) || ast.isFieldRef(node)) {
            // A field may be named like a keyword (`mode`, `limit`): never format inside a name.
        } else if (ast.isOrderKey(node)) {
            f.property('direction').prepend(Formatting.oneSpace());
        } else if (ast.isOrderByOp(node) || ast.isKeyByOp(node) || ast.isUnionOp(node)) {
            f.keywords('orderBy', 'keyBy', 'union').append(Formatting.oneSpace());
            this.commas(f);
        } else {
            // Keyword-led constructs: `filter x`, `window tumbling 1m on ts`, `mode batch`, ...
            f.keywords('filter', 'map', 'select', 'flatMap', 'aggregate', 'reduce', 'limit', 'parallelism',
                'mode', 'watermark', 'onError', 'import', 'tumbling', 'sliding', 'session', 'gap', 'timestamp')
                .append(Formatting.oneSpace());
            if (ast.isWindowOp(node)) f.keyword('window').append(Formatting.oneSpace());
            f.keywords('on', 'as', 'every', 'returns', 'idle', '-').surround(Formatting.oneSpace());
        }
    }

    private formatModel(node: ast.Model, f: NodeFormatter<ast.Model>): void {
        node.imports.slice(1).forEach((imp) => f.node(imp).prepend(Formatting.newLine()));
        node.elements.forEach((element, i) => {
            if (i === 0 && node.imports.length === 0) return;
            // A doc comment belongs to the element after it: the blank line goes above the comment.
            const comment = leadingComment(element);
            if (comment) {
                f.cst([comment]).prepend(Formatting.newLines(2));
                f.node(element).prepend(Formatting.newLine());
            } else {
                f.node(element).prepend(Formatting.newLines(2));
            }
        });
    }

    private formatStream(node: ast.Stream, f: NodeFormatter<ast.Stream>): void {
        f.keyword('stream').append(Formatting.oneSpace());
        f.keyword('=').surround(Formatting.oneSpace());
        const pipes = f.keywords('|').nodes;
        pipes.forEach((pipe, i) => {
            const previous = i === 0 ? node.input.$cstNode : node.operators[i - 1]?.$cstNode;
            const operator = node.operators[i];
            const ownLine = previous !== undefined && pipe.range.start.line > previous.range.end.line;
            f.cst([pipe]).prepend(ownLine ? Formatting.indent() : Formatting.oneSpace());
            if (operator) f.node(operator).prepend(ownLine ? ONE_SPACE_INDENTED : Formatting.oneSpace());
        });
    }

    /** `{ ... }` (the space before `{` is the parent's): members one per line and indented, or kept on one line with inner spaces. */
    private block(f: NodeFormatter<AstNode>, multiLine: boolean, commas = false): void {
        const open = f.keyword('{');
        const close = f.keyword('}');
        if (multiLine) {
            f.interior(open, close).prepend(MEMBER_LINE);
            close.prepend(Formatting.newLine());
        } else {
            open.append(Formatting.oneSpace());
            close.prepend(Formatting.oneSpace());
        }
        if (commas) f.keywords(',').prepend(Formatting.noSpace());
    }

    /** Langium only re-indents comments; line breaks before a comment are needed for doc comments. */
    protected override createHiddenTextEdits(previous: CstNode | undefined, hidden: CstNode,
        formatting: FormattingAction | undefined, context: FormattingContext): TextEdit[] {
        const lines = formatting?.moves[0]?.lines;
        if (previous && lines !== undefined && previous.range.end.line < hidden.range.start.line) {
            const between: Range = { start: previous.range.end, end: hidden.range.start };
            return [this.createLineTextEdit(between, lines, context, formatting?.options ?? {})];
        }
        return super.createHiddenTextEdits(previous, hidden, formatting, context);
    }

    private colon(f: NodeFormatter<AstNode>): void {
        f.keyword(':').prepend(Formatting.noSpace()).append(Formatting.oneSpace());
    }

    private commas(f: NodeFormatter<AstNode>): void {
        f.keywords(',').prepend(Formatting.noSpace()).append(Formatting.oneSpace());
    }

    private parenthesised(f: NodeFormatter<AstNode>): void {
        f.keyword('(').surround(Formatting.noSpace());
        f.keyword(')').prepend(Formatting.noSpace());
        this.commas(f);
    }
}

function spansLines(node: AstNode): boolean {
    const cst: CstNode | undefined = node.$cstNode;
    return cst !== undefined && cst.range.start.line !== cst.range.end.line;
}

const COMMENTS = ['ML_COMMENT', 'SL_COMMENT'];

/** The first of the comments directly above a node (not one trailing the line before). */
function leadingComment(node: AstNode): CstNode | undefined {
    let first: CstNode | undefined;
    let current = node.$cstNode;
    while (current) {
        const previous = CstUtils.getPreviousNode(current, true);
        if (!previous || !previous.hidden || !CstUtils.isCommentNode(previous, COMMENTS)) break;
        const before = CstUtils.getPreviousNode(previous, false);
        if (before && before.range.end.line === previous.range.start.line) break;
        first = previous;
        current = previous;
    }
    return first;
}

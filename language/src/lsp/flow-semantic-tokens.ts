/**
 * Semantic highlighting: tells the editor what each name is (a schema, a stream, a field, a
 * function), which a TextMate grammar cannot know, e.g. `customers` in `customers.country` is a
 * stream while `country` is a field.
 */
import type { AstNode } from 'langium';
import { AbstractSemanticTokenProvider, type SemanticTokenAcceptor } from 'langium/lsp';
import { SemanticTokenModifiers, SemanticTokenTypes } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import { findBuiltinFunction } from '../typing/builtin-functions.js';

const declaration = SemanticTokenModifiers.declaration;
const defaultLibrary = SemanticTokenModifiers.defaultLibrary;

/** The .flow semantic token provider (`textDocument/semanticTokens`). */
export class FlowSemanticTokenProvider extends AbstractSemanticTokenProvider {
    protected highlightElement(node: AstNode, acceptor: SemanticTokenAcceptor): void {
        if (ast.isSchema(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.type, modifier: declaration });
        } else if (ast.isPipeline(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.namespace, modifier: declaration });
        } else if (ast.isSource(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.variable, modifier: declaration });
            if (node.schemaRef) acceptor({ node, property: 'schemaRef', type: SemanticTokenTypes.type });
        } else if (ast.isStream(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.variable, modifier: declaration });
        } else if (ast.isField(node) || ast.isGeneratedField(node) || ast.isRecordField(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.property, modifier: declaration });
        } else if (ast.isProjectionItem(node) && node.name) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.property, modifier: declaration });
        } else if (ast.isFlatMapOp(node) || ast.isNamedKey(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.property, modifier: declaration });
        } else if (ast.isTypeRef(node)) {
            if (node.schema) acceptor({ node, property: 'schema', type: SemanticTokenTypes.type });
            else if (node.primitive) acceptor({ node, property: 'primitive', type: SemanticTokenTypes.type, modifier: defaultLibrary });
        } else if (ast.isMapOp(node) && node.schemaRef) {
            acceptor({ node, property: 'schemaRef', type: SemanticTokenTypes.type });
        } else if (ast.isStreamRef(node)) {
            acceptor({ node, property: 'stream', type: SemanticTokenTypes.variable });
            if (node.side) acceptor({ node, property: 'side', type: SemanticTokenTypes.property, modifier: defaultLibrary });
        } else if (ast.isNameRef(node)) {
            const target = node.ref?.ref;
            const type = ast.isSource(target) || ast.isStream(target) ? SemanticTokenTypes.variable : SemanticTokenTypes.property;
            acceptor({ node, property: 'ref', type });
        } else if (ast.isFieldRef(node)) {
            acceptor({ node, property: 'field', type: SemanticTokenTypes.property });
        } else if (ast.isMemberAccess(node)) {
            acceptor({ node, property: 'member', type: SemanticTokenTypes.property });
        } else if (ast.isFunctionCall(node)) {
            const builtin = findBuiltinFunction(node.function) !== undefined;
            acceptor({ node, property: 'function', type: SemanticTokenTypes.function, modifier: builtin ? defaultLibrary : [] });
        } else if (ast.isConnector(node)) {
            acceptor({ node, property: 'kind', type: SemanticTokenTypes.function, modifier: defaultLibrary });
        } else if (ast.isConnectorArg(node) && node.name) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.parameter });
        } else if (ast.isPipelineTest(node)) {
            acceptor({ node, property: 'pipeline', type: SemanticTokenTypes.namespace });
        } else if (ast.isGivenStep(node)) {
            acceptor({ node, property: 'source', type: SemanticTokenTypes.variable });
        } else if (ast.isThenStep(node) && node.time) {
            acceptor({ node, property: 'time', type: SemanticTokenTypes.number });
        } else if (ast.isDurationLiteral(node)) {
            acceptor({ node, property: 'value', type: SemanticTokenTypes.number });
        }
    }
}

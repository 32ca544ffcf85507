/**
 * The outline: pipelines with their sources, streams and sinks; schemas with their fields;
 * tests with their expect lines.
 * Sinks have no name in the grammar, so they read as `sink revenue -> print`.
 */
import { GrammarUtils, type AstNode, type LangiumDocument, type MaybePromise } from 'langium';
import type { DocumentSymbolProvider } from 'langium/lsp';
import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import { expectLabel } from '../testing/lower-test.js';

/** The .flow document symbol provider (`textDocument/documentSymbol`). */
export class FlowDocumentSymbolProvider implements DocumentSymbolProvider {
    getSymbols(document: LangiumDocument, _params: DocumentSymbolParams): MaybePromise<DocumentSymbol[]> {
        const model = document.parseResult.value as ast.Model;
        return model.elements.flatMap((element) => this.symbolOf(element));
    }

    private symbolOf(node: AstNode): DocumentSymbol[] {
        if (ast.isPipeline(node)) {
            return symbol(node, node.name, SymbolKind.Module, 'pipeline', node.members.flatMap((m) => this.symbolOf(m)));
        }
        if (ast.isSchema(node)) {
            return symbol(node, node.name, SymbolKind.Struct, 'schema', node.fields.flatMap((f) => this.fieldSymbol(f)));
        }
        if (ast.isSource(node)) {
            const fields = [...(node.inlineSchema?.fields ?? []), ...node.options.filter(ast.isGeneratedField)];
            return symbol(node, node.name, SymbolKind.Event, `source ${node.connector?.kind ?? ''}`.trim(), fields.flatMap((f) => this.fieldSymbol(f)));
        }
        if (ast.isStream(node)) {
            const steps = node.operators.map((op) => op.$cstNode?.text.split(/\s/)[0] ?? '').filter((s) => s.length > 0);
            return symbol(node, node.name, SymbolKind.Variable, ['stream', ...steps].join(' | '));
        }
        if (ast.isPipelineTest(node)) {
            // Tests appear in the outline with what each of their expect lines checks.
            const expectations = node.steps.filter(ast.isExpectStep)
                .flatMap((step) => symbol(step, `expect ${expectLabel(step)}`, SymbolKind.Event, 'expect'));
            return symbol(node, node.name, SymbolKind.Method, `test for ${node.pipeline?.$refText ?? ''}`.trim(), expectations);
        }
        if (ast.isSink(node) && node.input?.$cstNode) {
            const target = node.connector?.kind ?? '';
            return symbol(node, `sink ${node.input.$cstNode.text} -> ${target}`, SymbolKind.Event, 'sink');
        }
        return [];
    }

    private fieldSymbol(field: ast.Field | ast.GeneratedField): DocumentSymbol[] {
        return symbol(field, field.name, SymbolKind.Field, field.type?.$cstNode?.text);
    }
}

function symbol(node: AstNode, name: string | undefined, kind: SymbolKind, detail?: string, children?: DocumentSymbol[]): DocumentSymbol[] {
    const cst = node.$cstNode;
    if (!cst || !name) return []; // A half-typed declaration without a name has nothing to show yet.
    const nameRange = GrammarUtils.findNodeForProperty(cst, 'name')?.range ?? cst.range;
    return [{ name, kind, detail, range: cst.range, selectionRange: nameRange, children }];
}

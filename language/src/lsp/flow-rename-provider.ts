/**
 * Rename of streams, sources, schemas and fields, across files. A field renamed upstream also
 * renames what a bare projection item (`map { id, ... }`) passes on under the same name, so every
 * downstream use follows (`keyBy id`, `orders.id`).
 */
import { CstUtils, type URI, type AstNode, type LangiumDocument, type LangiumDocuments, type AstNodeLocator } from 'langium';
import { DefaultRenameProvider } from 'langium/lsp';
import { ErrorCodes, ResponseError, TextEdit, type RenameParams, type WorkspaceEdit } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import type { FlowLspServices } from './flow-lsp-module.js';

const NAME = /^[_a-zA-Z]\w*$/;

/** The .flow rename provider (`textDocument/rename`). */
export class FlowRenameProvider extends DefaultRenameProvider {
    private readonly documents: LangiumDocuments;
    private readonly locator: AstNodeLocator;

    constructor(services: FlowLspServices) {
        super(services);
        this.documents = services.shared.workspace.LangiumDocuments;
        this.locator = services.workspace.AstNodeLocator;
    }

    override async rename(document: LangiumDocument, params: RenameParams): Promise<WorkspaceEdit | undefined> {
        if (!NAME.test(params.newName)) {
            throw new ResponseError(ErrorCodes.InvalidParams, `'${params.newName}' is not a valid name: use letters, digits and '_', not starting with a digit.`);
        }
        const root = document.parseResult.value.$cstNode;
        if (!root) return undefined;
        const leaf = CstUtils.findDeclarationNodeAtOffset(root, document.textDocument.offsetAt(params.position), this.grammarConfig.nameRegexp);
        const target = leaf && this.references.findDeclarations(leaf)[0];
        if (!target) return undefined;
        const changes: Record<string, TextEdit[]> = {};
        const seen = new Set<string>();
        const pending: AstNode[] = [target];
        while (pending.length > 0) {
            const declaration = pending.pop()!;
            for (const ref of this.references.findReferences(declaration, { includeDeclaration: true })) {
                const key = `${ref.sourceUri.toString()}#${ref.segment.offset}`;
                if (seen.has(key)) continue;
                seen.add(key);
                (changes[ref.sourceUri.toString()] ??= []).push(TextEdit.replace(ref.segment.range, params.newName));
                const passedOn = this.bareProjectionItemOf(ref.sourceUri, ref.sourcePath);
                if (passedOn) pending.push(passedOn);
            }
        }
        return { changes };
    }

    /** The projection item `{ x }` whose only content is this reference: it re-declares the field. */
    private bareProjectionItemOf(uri: URI, path: string): ast.ProjectionItem | undefined {
        const document = this.documents.getDocument(uri);
        const node = document && this.locator.getAstNode(document.parseResult.value, path);
        const item = node?.$container;
        return ast.isNameRef(node) && ast.isProjectionItem(item) && !item.name && item.value === node ? item : undefined;
    }
}

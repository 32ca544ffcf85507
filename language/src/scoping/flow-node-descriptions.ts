/**
 * Describes a named node once: the description (name, path, ranges) of a declaration is the same
 * for every reference that links to it, and the field of a schema is linked to by every
 * expression naming it, so computing its path and ranges per reference dominated linking. An AST
 * never changes after parsing (a change parses a new one), so a description cached per node
 * stays right for the node's lifetime.
 *
 * The path and the segments are computed when first read (Langium computes the path and the
 * node's range at once): linking reads neither, and most field declarations are described only
 * to be link candidates; the reference index and the editor's requests read them later.
 */
import {
    AstUtils, CstUtils, DefaultAstNodeDescriptionProvider, type AstNode, type AstNodeDescription, type DocumentSegment, type LangiumDocument
} from 'langium';

export class FlowAstNodeDescriptionProvider extends DefaultAstNodeDescriptionProvider {
    private readonly described = new WeakMap<AstNode, Map<string | undefined, AstNodeDescription>>();

    override createDescription(node: AstNode, name: string | undefined, document?: LangiumDocument): AstNodeDescription {
        let byName = this.described.get(node);
        if (!byName) {
            byName = new Map();
            this.described.set(node, byName);
        }
        let description = byName.get(name);
        if (!description) {
            description = this.describe(node, name, document);
            byName.set(name, description);
        }
        return description;
    }

    /** Langium's description of `node` (same name, path, segments, type and URI), its path and segments computed on first read. */
    private describe(node: AstNode, givenName: string | undefined, document?: LangiumDocument): AstNodeDescription {
        const name = givenName ?? this.nameProvider.getName(node);
        const locator = this.astNodeLocator;
        let path: string | undefined;
        const pathOf = (): string => path ??= locator.getAstNodePath(node);
        if (!name) {
            throw new Error(`Node at path ${pathOf()} has no name.`);
        }
        const nameProvider = this.nameProvider;
        let nameSegment: DocumentSegment | undefined | null = null;
        let selectionSegment: DocumentSegment | undefined | null = null;
        return {
            node,
            name,
            get nameSegment() {
                if (nameSegment === null) nameSegment = CstUtils.toDocumentSegment(nameProvider.getNameNode(node) ?? node.$cstNode);
                return nameSegment;
            },
            get selectionSegment() {
                if (selectionSegment === null) selectionSegment = CstUtils.toDocumentSegment(node.$cstNode);
                return selectionSegment;
            },
            type: node.$type,
            documentUri: (document ?? AstUtils.getDocument(node)).uri,
            get path() {
                return pathOf();
            }
        };
    }
}

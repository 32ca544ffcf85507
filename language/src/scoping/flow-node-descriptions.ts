/**
 * Describes a named node once: the description (name, path, ranges) of a declaration is the same
 * for every reference that links to it, and the field of a schema is linked to by every
 * expression naming it, so computing its path and ranges per reference dominated linking. An AST
 * never changes after parsing (a change parses a new one), so a description cached per node
 * stays right for the node's lifetime.
 */
import { DefaultAstNodeDescriptionProvider, type AstNode, type AstNodeDescription, type LangiumDocument } from 'langium';

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
            description = super.createDescription(node, name, document);
            byName.set(name, description);
        }
        return description;
    }
}

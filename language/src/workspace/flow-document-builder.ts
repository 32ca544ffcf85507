/**
 * Langium's document builder, with one fix for editing several files quickly: a build cancelled
 * during (or just after) linking leaves a document partly linked to the previous version of a
 * file it imports, without the reference index that would mark it as affected by the next change;
 * the next build would keep those stale links. Such a document is relinked (its links themselves
 * say which files they point into), so an edit in an imported file always re-checks its users.
 */
import { DefaultDocumentBuilder, isReference, type LangiumDocument } from 'langium';

/** The shared DocumentBuilder of .flow services. */
export class FlowDocumentBuilder extends DefaultDocumentBuilder {
    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        if (super.shouldRelink(document, changedUris)) return true;
        return document.references.some((ref) => {
            // .flow has no multi-references; reading `items` of one would trigger linking.
            const target = isReference(ref) ? ref.$nodeDescription?.documentUri?.toString() : undefined;
            return target !== undefined && changedUris.has(target);
        });
    }
}

/**
 * The reference index of a document (what find-references, rename and "which documents does a
 * change affect" read): Langium's descriptions, collected by walking the document with
 * ast-walk.ts instead of Langium's streams (same descriptions, same order; see there why).
 */
import {
    Cancellation, DefaultReferenceDescriptionProvider, interruptAndCheck, type LangiumDocument, type ReferenceDescription
} from 'langium';
import { NODES_PER_INTERRUPT_CHECK, documentNodesInOrder, forEachReference } from './ast-walk.js';

export class FlowReferenceDescriptionProvider extends DefaultReferenceDescriptionProvider {
    override async createDescriptions(document: LangiumDocument, cancelToken = Cancellation.CancellationToken.None): Promise<ReferenceDescription[]> {
        const descriptions: ReferenceDescription[] = [];
        const nodes = documentNodesInOrder(document.parseResult.value);
        for (let i = 0; i < nodes.length; i++) {
            if (i % NODES_PER_INTERRUPT_CHECK === 0) await interruptAndCheck(cancelToken);
            forEachReference(nodes[i], (reference) => {
                if (!reference.reference.error) descriptions.push(...this.createInfoDescriptions(reference));
            });
        }
        return descriptions;
    }
}

/**
 * Langium's linker, walking the document with ast-walk.ts instead of Langium's streams (same
 * references, same order; see there why). Linking itself (scopes, candidates) is Langium's.
 */
import { Cancellation, DefaultLinker, interruptAndCheck, type LangiumDocument } from 'langium';
import { NODES_PER_INTERRUPT_CHECK, documentNodesInOrder, forEachReference } from './ast-walk.js';

export class FlowLinker extends DefaultLinker {
    override async link(document: LangiumDocument, cancelToken = Cancellation.CancellationToken.None): Promise<void> {
        if (this.profiler?.isActive('linking')) {
            return super.link(document, cancelToken); // Langium's per-reference timings
        }
        const nodes = documentNodesInOrder(document.parseResult.value);
        for (let i = 0; i < nodes.length; i++) {
            if (i % NODES_PER_INTERRUPT_CHECK === 0) await interruptAndCheck(cancelToken);
            forEachReference(nodes[i], (reference) => this.doLink(reference, document));
        }
    }
}

/**
 * What Langium computes per document before linking: the exported symbols (top-level schemas,
 * pipelines and sources, which other files import) as usual, but no local symbols. Every .flow
 * reference is resolved by FlowScopeProvider from the AST itself (the pipeline's streams, the
 * schema inferred upstream of an expression), never from Langium's per-container symbol tables,
 * so describing every named node of a document (each field, projection item, stream) for them
 * was a build phase of its own for nothing.
 */
import { DefaultScopeComputation, MultiMap, type AstNodeDescription, type AstNode, type LangiumDocument, type LocalSymbols } from 'langium';

export class FlowScopeComputation extends DefaultScopeComputation {
    override async collectLocalSymbols(_document: LangiumDocument): Promise<LocalSymbols> {
        return new MultiMap<AstNode, AstNodeDescription>();
    }
}

/**
 * A scope over (name, node) pairs that describes a node only when its name is looked up.
 * Every field reference gets its own scope (the fields visible at that point of the pipeline);
 * describing each visible field for each reference made linking a 10 K-line file several times
 * slower, since a description computes the node's path and name range.
 */
import { stream, type AstNode, type AstNodeDescription, type Scope, type Stream } from 'langium';

/** A node visible under `name` (a field may be visible under two names after a join). */
export interface NamedNode {
    name: string;
    node: AstNode;
}

export class NamedNodeScope implements Scope {
    constructor(
        private readonly candidates: readonly NamedNode[],
        private readonly describe: (candidate: NamedNode) => AstNodeDescription,
        private readonly outer?: Scope
    ) {}

    getElement(name: string): AstNodeDescription | undefined {
        const candidate = this.candidates.find((c) => c.name === name);
        return candidate ? this.describe(candidate) : this.outer?.getElement(name);
    }

    getElements(name: string): Stream<AstNodeDescription> {
        const local = stream(this.candidates).filter((c) => c.name === name).map(this.describe);
        return this.outer ? local.concat(this.outer.getElements(name)) : local;
    }

    getAllElements(): Stream<AstNodeDescription> {
        const all = stream(this.candidates).map(this.describe);
        return this.outer ? all.concat(this.outer.getAllElements()) : all;
    }
}

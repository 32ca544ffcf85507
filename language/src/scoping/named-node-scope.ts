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

/** Candidates with a by-name index, built once per list (the fields of one schema serve many references). */
export class NamedNodes {
    private byName: Map<string, NamedNode> | undefined;

    constructor(readonly all: readonly NamedNode[]) {}

    /** The first candidate called `name`. */
    first(name: string): NamedNode | undefined {
        if (this.all.length < 8) return this.all.find((c) => c.name === name);
        if (!this.byName) {
            this.byName = new Map();
            for (const candidate of this.all) if (!this.byName.has(candidate.name)) this.byName.set(candidate.name, candidate);
        }
        return this.byName.get(name);
    }
}

export class NamedNodeScope implements Scope {
    private readonly candidates: NamedNodes;

    constructor(
        candidates: readonly NamedNode[] | NamedNodes,
        private readonly describe: (candidate: NamedNode) => AstNodeDescription,
        private readonly outer?: Scope | (() => Scope)
    ) {
        this.candidates = candidates instanceof NamedNodes ? candidates : new NamedNodes(candidates);
    }

    getElement(name: string): AstNodeDescription | undefined {
        const candidate = this.candidates.first(name);
        return candidate ? this.describe(candidate) : this.outerScope()?.getElement(name);
    }

    getElements(name: string): Stream<AstNodeDescription> {
        const local = stream(this.candidates.all).filter((c) => c.name === name).map(this.describe);
        const outer = this.outerScope();
        return outer ? local.concat(outer.getElements(name)) : local;
    }

    getAllElements(): Stream<AstNodeDescription> {
        const all = stream(this.candidates.all).map(this.describe);
        const outer = this.outerScope();
        return outer ? all.concat(outer.getAllElements()) : all;
    }

    /** The outer scope, built only when a name is not found here (most field names are). */
    private outerScope(): Scope | undefined {
        return typeof this.outer === 'function' ? this.outer() : this.outer;
    }
}

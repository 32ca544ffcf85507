/**
 * The AST traversals of a build without Langium's streams. Langium's linker, reference indexer
 * and validator each walk every node through `streamAst` and `streamReferences`: an iterator
 * object, a key list and a result object per node and per step, and an `await` per node. On a
 * 10 K-line workspace (~150 K nodes) that walking cost about a third of the link, index and
 * validate phases. These functions visit the same nodes and references in the same order
 * (pre-order; a node's own properties in key order, arrays in index order), so diagnostics,
 * reference indexes and link order stay exactly Langium's.
 */
import { isAstNode, isMultiReference, isReference, type AstNode, type ReferenceInfo } from 'langium';

/**
 * The node lists of whole documents, by root node: the linker, the reference indexer and the
 * validator each walk the same document, and a tree never changes after parsing (an edit parses
 * a new tree, with a new root), so each document is walked once.
 */
const documentNodes = new WeakMap<AstNode, readonly AstNode[]>();

/** Every node of the document whose root is `root`, in `AstUtils.streamAst` order (computed once per tree). */
export function documentNodesInOrder(root: AstNode): readonly AstNode[] {
    let nodes = documentNodes.get(root);
    if (!nodes) {
        nodes = astNodesInOrder(root);
        documentNodes.set(root, nodes);
    }
    return nodes;
}

/** Every node of the tree under `root` (itself included), in `AstUtils.streamAst` order. */
export function astNodesInOrder(root: AstNode): AstNode[] {
    const nodes: AstNode[] = [];
    const visit = (node: AstNode): void => {
        nodes.push(node);
        const record = node as unknown as Record<string, unknown>;
        for (const property of Object.keys(record)) {
            if (property.charCodeAt(0) === 36 /* $ */) continue;
            const value = record[property];
            if (isAstNode(value)) {
                visit(value);
            } else if (Array.isArray(value)) {
                for (const element of value) if (isAstNode(element)) visit(element);
            }
        }
    };
    visit(root);
    return nodes;
}

/** The cross-references `node` holds itself, in `AstUtils.streamReferences` order. */
export function forEachReference(node: AstNode, action: (info: ReferenceInfo) => void): void {
    const record = node as unknown as Record<string, unknown>;
    for (const property of Object.keys(record)) {
        if (property.charCodeAt(0) === 36 /* $ */) continue;
        const value = record[property];
        if (isReference(value) || isMultiReference(value)) {
            action({ reference: value, container: node, property });
        } else if (Array.isArray(value)) {
            for (let index = 0; index < value.length; index++) {
                const element: unknown = value[index];
                if (isReference(element) || isMultiReference(element)) action({ reference: element, container: node, property, index });
            }
        }
    }
}

/**
 * How many nodes a build handles between two `interruptAndCheck` calls (Langium: every node).
 * That call yields to the event loop when 10 ms have passed and notices a cancelled build; a few
 * dozen nodes take microseconds, so the server answers as promptly as before.
 */
export const NODES_PER_INTERRUPT_CHECK = 64;

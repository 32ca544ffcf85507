/**
 * `import "other.flow"`: which documents a file can see (itself and the files it imports).
 */
import { AstUtils, UriUtils, type AstNode } from 'langium';
import type { URI } from 'langium';
import type { Import, Model } from '../generated/ast.js';

/** The URI an import statement points at, relative to the importing document. */
export function resolveImportUri(imp: Import): URI {
    const document = AstUtils.getDocument(imp);
    return UriUtils.resolvePath(UriUtils.dirname(document.uri), imp.path);
}

/** The URIs (as strings) whose top-level elements are visible from `node`'s document. */
export function visibleUris(node: AstNode): Set<string> {
    const root = AstUtils.findRootNode(node) as Model;
    const document = AstUtils.getDocument(node);
    const uris = new Set<string>([document.uri.toString()]);
    for (const imp of root.imports ?? []) {
        if (imp.path) { // undefined while `import` is being typed
            uris.add(resolveImportUri(imp).toString());
        }
    }
    return uris;
}

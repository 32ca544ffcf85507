/**
 * A source whose input file does not exist gets a warning on its path string (the file may be
 * written before the pipeline runs, so it is not an error). The path is resolved as the runtime
 * resolves it: relative to the folder of the .flow file that declares the source. A directory (its
 * files are read) and a glob pattern (`*`, `?`, `[...]`; matched when the pipeline runs) are
 * inputs too.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { AstUtils, type ValidationAcceptor } from 'langium';
import { isStringLiteral, type Source } from '../generated/ast.js';
import { findConnector } from './connector-specs.js';
import { IssueCodes } from './issue-codes.js';

export function checkSourceFileExists(source: Source, accept: ValidationAcceptor): void {
    const connector = source.connector;
    const spec = connector ? findConnector(connector.kind) : undefined;
    if (!connector || !spec?.path) {
        return;
    }
    const first = connector.args.find((a) => !a.name);
    if (!first || !isStringLiteral(first.value)) {
        return; // no path, or an unquoted one: reported by the connector checks
    }
    const document = AstUtils.getDocument(source);
    if (document.uri.scheme !== 'file') {
        return; // no folder to resolve the path against
    }
    const file = path.resolve(path.dirname(document.uri.fsPath), first.value.value);
    if (/[*?[]/.test(first.value.value)) {
        return;
    }
    // One stat per source (a workspace build checks every source of every file).
    const stat = statSync(file, { throwIfNoEntry: false });
    if (stat && (stat.isFile() || stat.isDirectory())) {
        return;
    }
    const what = stat ? 'is not a file or a directory' : 'does not exist';
    accept('warning', `The input file '${first.value.value}' ${what} (looked for ${file}); the source will fail when the pipeline runs.`,
        { node: first.value, data: { code: IssueCodes.MissingInputFile, path: file } });
}

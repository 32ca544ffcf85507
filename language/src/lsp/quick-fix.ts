/** Builds a quick fix that edits one document, for the .flow code actions. */
import type { LangiumDocument } from 'langium';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';

/** A quick fix for `diagnostic` applying `edits` to `document`. */
export function quickFix(title: string, document: LangiumDocument, diagnostic: Diagnostic, edits: TextEdit[], isPreferred = false): CodeAction {
    return {
        title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred,
        edit: { changes: { [document.textDocument.uri]: edits } }
    };
}

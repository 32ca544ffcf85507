/**
 * Completes the value of a connector option that takes one of a few strings
 * (`csv("orders.csv", encoding: "|`). Works on the text of the line, like the file-path
 * completer, because a string being typed is not closed yet and so is not a token yet.
 */
import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { findConnector } from '../validation/connector-specs.js';

/** `<connector>(... <option>: "<typed>` up to the cursor, on one line. */
const OPTION_STRING = /\b([a-z]+)\s*\((?:[^()"]|"[^"]*")*\b([A-Za-z_]\w*)\s*:\s*"([^"]*)$/;

/** The allowed values of the option under the cursor, or undefined when the cursor is not in such a string. */
export function completeOptionValue(document: TextDocument, position: Position): CompletionItem[] | undefined {
    const line = document.getText({ start: { line: position.line, character: 0 }, end: position });
    const match = OPTION_STRING.exec(line);
    if (!match) return undefined;
    const [, connector, option, typed] = match;
    const spec = findConnector(connector)?.options[option];
    if (!spec?.values) return undefined;
    const replace = { start: { line: position.line, character: position.character - typed.length }, end: position };
    return spec.values.map((value, i) => ({
        label: value, kind: CompletionItemKind.EnumMember, documentation: spec.doc,
        textEdit: { range: replace, newText: value }, sortText: String(i)
    }));
}

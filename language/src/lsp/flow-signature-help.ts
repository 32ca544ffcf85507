/**
 * Signature help for built-in functions and connectors: which parameter the cursor is on.
 * Reads the text before the cursor rather than the AST, because a call being typed (`round(x, `)
 * does not parse yet.
 */
import type { LangiumDocument, MaybePromise } from 'langium';
import type { SignatureHelpProvider } from 'langium/lsp';
import type { ParameterInformation, SignatureHelp, SignatureHelpOptions, SignatureHelpParams } from 'vscode-languageserver';
import { findBuiltinFunction, formatSignature } from '../typing/builtin-functions.js';
import { findConnector } from '../validation/connector-specs.js';
import { connectorParams, formatConnectorSignature } from './connector-text.js';
import { openCallAt } from './open-call.js';

/** The .flow signature help provider (`textDocument/signatureHelp`). */
export class FlowSignatureHelpProvider implements SignatureHelpProvider {
    get signatureHelpOptions(): SignatureHelpOptions {
        return { triggerCharacters: ['(', ','], retriggerCharacters: [','] };
    }

    provideSignatureHelp(document: LangiumDocument, params: SignatureHelpParams): MaybePromise<SignatureHelp | undefined> {
        const text = document.textDocument.getText();
        const call = openCallAt(text, document.textDocument.offsetAt(params.position));
        if (!call) return undefined;
        const fn = findBuiltinFunction(call.callee);
        if (fn) {
            const last = fn.params.length - 1;
            const labels = fn.params.map((p, i) => `${fn.variadic && i === last ? '...' : ''}${p.name}${p.optional ? '?' : ''}: ${p.type}`);
            return signature(formatSignature(fn), fn.doc, labels.map((label) => ({ label })),
                fn.variadic ? Math.min(call.argumentIndex, last) : call.argumentIndex);
        }
        const connector = findConnector(call.callee);
        if (connector) {
            const params = connectorParams(connector);
            // A named argument (`header: true`) is that option, wherever it stands.
            const named = params.findIndex((p) => call.argumentName !== undefined && p.label.startsWith(`${call.argumentName}?`));
            return signature(formatConnectorSignature(connector), connector.doc,
                params.map((p) => ({ label: p.label, documentation: p.doc })), named >= 0 ? named : call.argumentIndex);
        }
        if (call.callee === 'fn') {
            return signature('fn(file: string, export: string)', 'A user function exported by a TypeScript or JavaScript file, relative to the .flow file.',
                [{ label: 'file: string' }, { label: 'export: string' }], call.argumentIndex);
        }
        return undefined;
    }
}

function signature(label: string, documentation: string, parameters: ParameterInformation[], activeParameter: number): SignatureHelp {
    return { signatures: [{ label, documentation, parameters }], activeSignature: 0, activeParameter };
}

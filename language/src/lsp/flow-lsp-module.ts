/**
 * The editor features of .flow (completion, hover, formatting, ...), as one Langium module that
 * `createFlowServices` injects after the language's own module.
 */
import type { Module } from 'langium';
import type { PartialLangiumServices } from 'langium/lsp';
import type { FlowServices } from '../flow-module.js';
import { FlowCodeActionProvider } from './flow-code-actions.js';
import { FlowCompletionProvider } from './flow-completion-provider.js';
import { FlowDocumentSymbolProvider } from './flow-document-symbols.js';
import { FlowFormatter } from './flow-formatter.js';
import { FlowHoverProvider } from './flow-hover-provider.js';
import { FlowInlayHintProvider } from './flow-inlay-hints.js';
import { FlowRenameProvider } from './flow-rename-provider.js';
import { FlowSemanticTokenProvider } from './flow-semantic-tokens.js';
import { FlowSignatureHelpProvider } from './flow-signature-help.js';

/** LSP services of .flow that replace Langium's defaults. */
export const FlowLspModule: Module<FlowServices, PartialLangiumServices> = {
    lsp: {
        CodeActionProvider: (services) => new FlowCodeActionProvider(services),
        CompletionProvider: (services) => new FlowCompletionProvider(services),
        DocumentSymbolProvider: () => new FlowDocumentSymbolProvider(),
        Formatter: () => new FlowFormatter(),
        HoverProvider: (services) => new FlowHoverProvider(services),
        InlayHintProvider: (services) => new FlowInlayHintProvider(services),
        RenameProvider: (services) => new FlowRenameProvider(services),
        SemanticTokenProvider: (services) => new FlowSemanticTokenProvider(services),
        SignatureHelp: () => new FlowSignatureHelpProvider()
    }
};

/**
 * The editor features of .flow (completion, hover, formatting, ...), as one Langium module that
 * `createFlowServices` injects after the language's own module.
 */
import type { Module } from 'langium';
import type { PartialLangiumServices } from 'langium/lsp';
import type { FlowServices } from '../flow-module.js';
import { FlowCompletionProvider } from './flow-completion-provider.js';
import { FlowFormatter } from './flow-formatter.js';
import { FlowHoverProvider } from './flow-hover-provider.js';
import { FlowSemanticTokenProvider } from './flow-semantic-tokens.js';

/** LSP services of .flow that replace Langium's defaults. */
export const FlowLspModule: Module<FlowServices, PartialLangiumServices> = {
    lsp: {
        CompletionProvider: (services) => new FlowCompletionProvider(services),
        Formatter: () => new FlowFormatter(),
        HoverProvider: (services) => new FlowHoverProvider(services),
        SemanticTokenProvider: (services) => new FlowSemanticTokenProvider(services)
    }
};

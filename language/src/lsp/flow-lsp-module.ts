/**
 * The editor features of .flow (completion, hover, formatting, ...), as one Langium module that
 * `createFlowLspServices` injects after the language's own module; the language server's services.
 */
import { inject, type Module } from 'langium';
import {
    createDefaultModule, createDefaultSharedModule, type DefaultSharedModuleContext,
    type LangiumServices, type LangiumSharedServices, type PartialLangiumServices
} from 'langium/lsp';
import { FlowGeneratedModule, FlowGeneratedSharedModule } from '../generated/module.js';
import { FlowModule, FlowSharedModule, type FlowAddedServices } from '../flow-module.js';
import { registerValidationChecks } from '../validation/flow-validator.js';
import { FlowCodeActionProvider } from './flow-code-actions.js';
import { FlowCompletionProvider } from './flow-completion-provider.js';
import { FlowDocumentSymbolProvider } from './flow-document-symbols.js';
import { FlowFormatter } from './flow-formatter.js';
import { FlowHoverProvider } from './flow-hover-provider.js';
import { FlowInlayHintProvider } from './flow-inlay-hints.js';
import { FlowRenameProvider } from './flow-rename-provider.js';
import { FlowSemanticTokenProvider } from './flow-semantic-tokens.js';
import { FlowSignatureHelpProvider } from './flow-signature-help.js';

/** The .flow services of a language server: the language and its editor features. */
export type FlowLspServices = LangiumServices & FlowAddedServices;

/** LSP services of .flow that replace Langium's defaults. */
export const FlowLspModule: Module<FlowLspServices, PartialLangiumServices> = {
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

/** Creates the shared and .flow services of a language server (the language plus its editor features). */
export function createFlowLspServices(context: DefaultSharedModuleContext): {
    shared: LangiumSharedServices;
    Flow: FlowLspServices;
} {
    const shared = inject(createDefaultSharedModule(context), FlowGeneratedSharedModule, FlowSharedModule);
    const Flow = inject(createDefaultModule({ shared }), FlowGeneratedModule, FlowModule, FlowLspModule);
    shared.ServiceRegistry.register(Flow);
    registerValidationChecks(Flow);
    return { shared, Flow };
}

/**
 * Wires the .flow language services, after Langium's module template. `createFlowServices` builds
 * the language itself (parser, scoping, linking, typing, validation) on Langium's core services:
 * what the CLI and tests need. The language server adds the editor features on top
 * (lsp/flow-lsp-module.ts, `createFlowLspServices`). This module imports nothing of `langium/lsp`
 * (nor, through it, `vscode-languageserver`), so a `flowline run file.flow` does not load them.
 */
// Node 20 lacks Object.groupBy, which chevrotain calls while building the parser.
import '../../scripts/node20-polyfills.cjs';
import {
    createDefaultCoreModule, createDefaultSharedCoreModule, inject, type DefaultSharedCoreModuleContext,
    type LangiumCoreServices, type LangiumSharedCoreServices, type Module, type PartialLangiumCoreServices,
    type PartialLangiumSharedCoreServices
} from 'langium';
import { FlowGeneratedModule, FlowGeneratedSharedModule } from './generated/module.js';
import { createFlowParser } from './parser/flow-parser.js';
import { FlowDocumentBuilder } from './workspace/flow-document-builder.js';
import { FlowLinker } from './workspace/flow-linker.js';
import { FlowReferenceDescriptionProvider } from './workspace/flow-reference-descriptions.js';
import { FlowScopeProvider } from './scoping/flow-scope-provider.js';
import { FlowScopeComputation } from './scoping/flow-scope-computation.js';
import { FlowAstNodeDescriptionProvider } from './scoping/flow-node-descriptions.js';
import { ExpressionTyper } from './typing/expression-typer.js';
import { SchemaInference } from './typing/schema-inference.js';
import { FlowDocumentValidator } from './validation/flow-document-validator.js';
import { FlowLexerErrorMessages, FlowParserErrorMessages } from './validation/flow-parser-error-messages.js';
import { FlowTokenBuilder } from './validation/flow-token-builder.js';
import { FlowValidationRegistry } from './validation/flow-validation-registry.js';
import { FlowValidator, registerValidationChecks } from './validation/flow-validator.js';

/** Services the .flow language adds to Langium's defaults. */
export type FlowAddedServices = {
    typing: {
        SchemaInference: SchemaInference;
        ExpressionTyper: ExpressionTyper;
    };
    validation: {
        FlowValidator: FlowValidator;
    };
};

/** The .flow language services (no editor features; those are FlowLspServices). */
export type FlowServices = LangiumCoreServices & FlowAddedServices;

export const FlowModule: Module<FlowServices, PartialLangiumCoreServices & FlowAddedServices> = {
    typing: {
        SchemaInference: (services) => new SchemaInference(services.shared, () => services.typing.ExpressionTyper),
        ExpressionTyper: (services) => new ExpressionTyper(services.shared, services.typing.SchemaInference)
    },
    parser: {
        LangiumParser: (services) => createFlowParser(services),
        ParserErrorMessageProvider: () => new FlowParserErrorMessages(),
        TokenBuilder: () => new FlowTokenBuilder(),
        LexerErrorMessageProvider: () => new FlowLexerErrorMessages()
    },
    references: {
        ScopeProvider: (services) => new FlowScopeProvider(services),
        ScopeComputation: (services) => new FlowScopeComputation(services),
        Linker: (services) => new FlowLinker(services)
    },
    workspace: {
        AstNodeDescriptionProvider: (services) => new FlowAstNodeDescriptionProvider(services),
        ReferenceDescriptionProvider: (services) => new FlowReferenceDescriptionProvider(services)
    },
    validation: {
        FlowValidator: (services) => new FlowValidator(services),
        DocumentValidator: (services) => new FlowDocumentValidator(services),
        ValidationRegistry: (services) => new FlowValidationRegistry(services)
    }
};

/** The shared services .flow replaces (core and language server alike). */
export const FlowSharedModule: Module<LangiumSharedCoreServices, PartialLangiumSharedCoreServices> = {
    workspace: { DocumentBuilder: (services) => new FlowDocumentBuilder(services) }
};

/** Creates the shared and .flow services without editor features (the CLI, tests, tools). */
export function createFlowServices(context: DefaultSharedCoreModuleContext): {
    shared: LangiumSharedCoreServices;
    Flow: FlowServices;
} {
    const shared = inject(createDefaultSharedCoreModule(context), FlowGeneratedSharedModule, FlowSharedModule);
    const Flow = inject(createDefaultCoreModule({ shared }), FlowGeneratedModule, FlowModule);
    shared.ServiceRegistry.register(Flow);
    registerValidationChecks(Flow);
    return { shared, Flow };
}

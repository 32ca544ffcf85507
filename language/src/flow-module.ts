/**
 * Wires the .flow language services, after Langium's module template: tests, the CLI and the
 * language server all build their services through `createFlowServices`.
 */
// Node 20 lacks Object.groupBy, which chevrotain calls while building the parser.
import '../../scripts/node20-polyfills.cjs';
import { type Module, inject } from 'langium';
import {
    createDefaultModule, createDefaultSharedModule, type DefaultSharedModuleContext,
    type LangiumServices, type LangiumSharedServices, type PartialLangiumServices
} from 'langium/lsp';
import { FlowGeneratedModule, FlowGeneratedSharedModule } from './generated/module.js';
import { FlowLspModule } from './lsp/flow-lsp-module.js';
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

export type FlowServices = LangiumServices & FlowAddedServices;

export const FlowModule: Module<FlowServices, PartialLangiumServices & FlowAddedServices> = {
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
        DocumentValidator: (services) => new FlowDocumentValidator(services)
    }
};

/** Creates the shared and .flow services for a language server (or an LSP-less tool). */
export function createFlowServices(context: DefaultSharedModuleContext): {
    shared: LangiumSharedServices;
    Flow: FlowServices;
} {
    const shared = inject(createDefaultSharedModule(context), FlowGeneratedSharedModule,
        { workspace: { DocumentBuilder: (services: LangiumSharedServices) => new FlowDocumentBuilder(services) } });
    const Flow = inject(createDefaultModule({ shared }), FlowGeneratedModule, FlowModule, FlowLspModule);
    shared.ServiceRegistry.register(Flow);
    registerValidationChecks(Flow);
    return { shared, Flow };
}

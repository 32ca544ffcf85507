/**
 * Wires the .flow language services, after Langium's module template: tests, the CLI and the
 * language server all build their services through `createFlowServices`.
 */
import {
    type Module, inject, type LangiumSharedCoreServices, type PartialLangiumCoreServices,
    type DefaultSharedCoreModuleContext, createDefaultCoreModule, createDefaultSharedCoreModule
} from 'langium';
import {
    createDefaultModule, createDefaultSharedModule, type DefaultSharedModuleContext,
    type LangiumServices, type LangiumSharedServices, type PartialLangiumServices
} from 'langium/lsp';
import { FlowGeneratedModule, FlowGeneratedSharedModule } from './generated/module.js';

/** Services the .flow language adds to Langium's defaults. */
export type FlowAddedServices = Record<string, never>;

export type FlowServices = LangiumServices & FlowAddedServices;

export const FlowModule: Module<FlowServices, PartialLangiumServices & FlowAddedServices> = {
};

/** Creates the shared and .flow services for a language server (or an LSP-less tool). */
export function createFlowServices(context: DefaultSharedModuleContext): {
    shared: LangiumSharedServices;
    Flow: FlowServices;
} {
    const shared = inject(createDefaultSharedModule(context), FlowGeneratedSharedModule);
    const Flow = inject(createDefaultModule({ shared }), FlowGeneratedModule, FlowModule);
    shared.ServiceRegistry.register(Flow);
    return { shared, Flow };
}

// Keep the core-only variants importable for tools that never need LSP features.
export type { LangiumSharedCoreServices, PartialLangiumCoreServices, DefaultSharedCoreModuleContext };
export { createDefaultCoreModule, createDefaultSharedCoreModule };

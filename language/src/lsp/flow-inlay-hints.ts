/**
 * Inlay hints: the schema after each operator of a stream (`| keyBy country  : { country: string, ... }`),
 * so the shape of the data is visible at every step. Toggled by the setting
 * `flowline.inlayHints.schemas` (workspace configuration, or the client's initializationOptions).
 */
import type { AstNode, LangiumDocument } from 'langium';
import { AbstractInlayHintProvider, type InlayHintAcceptor } from 'langium/lsp';
import { InlayHintKind, type CancellationToken, type InlayHint, type InlayHintParams } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import type { FlowLspServices } from './flow-lsp-module.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import type { FlowlineSettings } from '../../../protocol/lsp-requests.js';
import { formatSchemaBlock, formatSchemaInline } from './schema-text.js';

const SECTION = 'flowline';

/** The .flow inlay hint provider (`textDocument/inlayHint`). */
export class FlowInlayHintProvider extends AbstractInlayHintProvider {
    private readonly inference: SchemaInference;
    private readonly services: FlowLspServices;
    private initializationOptions: FlowlineSettings | undefined;

    constructor(services: FlowLspServices) {
        super();
        this.services = services;
        this.inference = services.typing.SchemaInference;
        const shared = services.shared;
        shared.lsp.LanguageServer.onInitialize((params) => {
            this.initializationOptions = params.initializationOptions as FlowlineSettings | undefined;
        });
        // Editors ask again for the hints when the setting changes.
        shared.workspace.ConfigurationProvider.onConfigurationSectionUpdate((update) => {
            if (update.section === SECTION) void shared.lsp.Connection?.languages.inlayHint.refresh();
        });
    }

    override async getInlayHints(document: LangiumDocument, params: InlayHintParams, cancelToken?: CancellationToken): Promise<InlayHint[] | undefined> {
        return (await this.schemasEnabled()) ? super.getInlayHints(document, params, cancelToken) : [];
    }

    computeInlayHint(node: AstNode, acceptor: InlayHintAcceptor): void {
        if (!ast.isOperator(node) || !node.$cstNode) return;
        const schema = this.inference.outputSchemaOf(node);
        acceptor({
            position: node.$cstNode.range.end,
            label: `: ${formatSchemaInline(schema)}`,
            kind: InlayHintKind.Type,
            paddingLeft: true,
            tooltip: { kind: 'markdown', value: '```flow\n' + formatSchemaBlock(schema) + '\n```' }
        });
    }

    /** The workspace setting wins over the initialization option; on by default. */
    private async schemasEnabled(): Promise<boolean> {
        const fromWorkspace = await this.services.shared.workspace.ConfigurationProvider.getConfiguration(SECTION, 'inlayHints') as FlowlineSettings['inlayHints'];
        return fromWorkspace?.schemas ?? this.initializationOptions?.inlayHints?.schemas ?? true;
    }
}

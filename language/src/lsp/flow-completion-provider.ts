/**
 * Completion: keywords and operators (with the grammar's docs), the fields of the upstream schema
 * at the cursor (with their types), built-in functions (with their signatures, as snippets),
 * connectors, file paths inside the path strings of sources, sinks, imports and UDFs, and the
 * values of enumerated connector options (`encoding: "latin1"`), and the records of a test's
 * given and expect lines (test-row-completion.ts).
 */
import { AstUtils, GrammarAST, GrammarUtils, type AstNodeDescription, type LangiumDocument, type MaybePromise, type ReferenceInfo } from 'langium';
import {
    DefaultCompletionProvider, findNextFeatures, type CompletionAcceptor, type CompletionContext, type CompletionProviderOptions,
    type CompletionValueItem, type NextFeature
} from 'langium/lsp';
import {
    CompletionItemKind, CompletionList, InsertTextFormat, Position, type CancellationToken, type CompletionParams
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import * as ast from '../generated/ast.js';
import type { FlowLspServices } from './flow-lsp-module.js';
import { BUILTIN_FUNCTIONS, formatSignature } from '../typing/builtin-functions.js';
import { expressionScopeOf } from '../typing/expression-scope.js';
import { formatType } from '../typing/flow-types.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import { connectorsFor } from '../validation/connector-specs.js';
import { formatConnectorSignature } from './connector-text.js';
import { FilePathCompleter } from './file-path-completer.js';
import { completeOptionValue } from './option-value-completer.js';
import { completeTestRows, testStepAt } from './test-row-completion.js';
import { keywordDoc } from './grammar-docs.js';

/**
 * Langium walks the grammar over the tokens its completion parser could not parse, along every
 * path that may match them: exponential in their number (a long `in (...)` list after a typo took
 * minutes). Past this many tokens the grammar-based items are skipped; completion stays instant.
 */
const MAX_UNPARSED_TOKENS = 10;

/** The .flow completion provider (`textDocument/completion`). */
export class FlowCompletionProvider extends DefaultCompletionProvider {
    private readonly inference: SchemaInference;
    private readonly paths: FilePathCompleter;

    override readonly completionOptions: CompletionProviderOptions = { triggerCharacters: ['.', '|', '"', '/'] };

    constructor(services: FlowLspServices) {
        super(services);
        this.inference = services.typing.SchemaInference;
        this.paths = new FilePathCompleter(services.shared.workspace.FileSystemProvider);
    }

    override async getCompletion(document: LangiumDocument, params: CompletionParams, cancelToken?: CancellationToken): Promise<CompletionList | undefined> {
        const pathItems = await this.paths.complete(document, params.position);
        if (pathItems) return CompletionList.create(pathItems, false);
        const optionValues = completeOptionValue(document.textDocument, params.position);
        if (optionValues) return CompletionList.create(optionValues, false);
        return super.getCompletion(document, params, cancelToken);
    }

    /** Langium's own computation, with the bound on the tokens it walks the grammar over. */
    protected override findFeaturesAt(document: TextDocument, offset: number): NextFeature[] {
        const text = document.getText({ start: Position.create(0, 0), end: document.positionAt(offset) });
        const result = this.completionParser.parse(text);
        if (result.tokenIndex === 0) {
            const entry = GrammarUtils.getEntryRule(this.grammar)!;
            return result.tokens.length > MAX_UNPARSED_TOKENS ? [] : findNextFeatures([[this.buildSyntheticEntryRuleCall(entry)]], result.tokens);
        }
        const unparsed = result.tokens.slice(result.tokenIndex);
        if (unparsed.length > MAX_UNPARSED_TOKENS) return [];
        return findNextFeatures([result.elementStack.map((feature) => ({ feature }))], unparsed);
    }

    protected override completionFor(context: CompletionContext, next: NextFeature, acceptor: CompletionAcceptor): MaybePromise<void> {
        if (next.type === ast.FunctionCall.$type && next.property === 'function') {
            this.completeFunctions(context, acceptor);
            return;
        }
        // A connector's name is the data type rule ConnectorName (`nexmark.bid`): its first ID is the feature.
        const inConnectorName = AstUtils.getContainerOfType(next.feature, GrammarAST.isParserRule)?.name === 'ConnectorName';
        if ((next.type === ast.Connector.$type && next.property === 'kind') || inConnectorName) {
            this.completeConnectors(context, acceptor);
            return;
        }
        if (next.property === 'member' && ast.isMemberAccess(context.node) && this.completeMembersAfterDot(context, context.node, acceptor)) {
            return;
        }
        return super.completionFor(context, next, acceptor);
    }

    /**
     * `origin.device.|`: the completion parser stops inside the access `origin.device`, so Langium
     * would complete its member again (the fields of `origin`). When a dot follows that access,
     * the fields wanted are those of `origin.device` itself: complete the member of a new access
     * whose receiver is it. False when the cursor is not after such a dot.
     */
    private completeMembersAfterDot(context: CompletionContext, access: ast.MemberAccess, acceptor: CompletionAcceptor): boolean {
        const end = access.$cstNode?.end;
        if (end === undefined || end > context.tokenOffset) return false;
        if (!/^\s*\.\s*$/.test(context.textDocument.getText().slice(end, context.tokenOffset))) return false;
        const outer = { $type: ast.MemberAccess.$type, $container: access.$container, $containerProperty: access.$containerProperty, receiver: access } as unknown as ast.MemberAccess;
        const refInfo: ReferenceInfo = { reference: { $refText: '', ref: undefined }, container: outer, property: 'member' };
        for (const candidate of this.getReferenceCandidates(refInfo, context)) {
            acceptor(context, this.createReferenceCompletionItem(candidate, refInfo, context));
        }
        return true;
    }

    protected override completionForKeyword(context: CompletionContext, keyword: GrammarAST.Keyword, acceptor: CompletionAcceptor): MaybePromise<void> {
        if (!this.filterKeyword(context, keyword)) return;
        const doc = keywordDoc(this.grammar, keyword);
        acceptor(context, {
            label: keyword.value,
            kind: CompletionItemKind.Keyword,
            documentation: doc ? { kind: 'markdown', value: doc } : undefined,
            sortText: '2'
        });
    }

    /** Fields show their type; streams and schemas what they are. */
    protected override createReferenceCompletionItem(description: AstNodeDescription, refInfo: ReferenceInfo, context: CompletionContext): CompletionValueItem {
        const item = super.createReferenceCompletionItem(description, refInfo, context);
        const node = description.node;
        // A Nexmark source declares its fields itself (they have no field declarations of their own).
        if (ast.isSource(node) && description.name !== node.name && context.node) {
            const entry = expressionScopeOf(context.node, this.inference).schema.fields.find((f) => f.name === description.name);
            return { ...item, kind: CompletionItemKind.Field, detail: entry ? formatType(entry.type) : undefined, sortText: '0' };
        }
        if (ast.isSource(node) || ast.isStream(node)) {
            return { ...item, kind: CompletionItemKind.Variable, detail: `${node.$type.toLowerCase()} ${node.name}`, sortText: '1' };
        }
        if (ast.isSchema(node)) return { ...item, kind: CompletionItemKind.Struct, detail: `schema ${node.name}` };
        if (context.node && ast.isFieldDecl(node)) {
            const entry = expressionScopeOf(context.node, this.inference).schema.fields.find((f) => f.name === description.name);
            return { ...item, kind: CompletionItemKind.Field, detail: entry ? formatType(entry.type) : undefined, sortText: '0' };
        }
        return item;
    }

    private completeFunctions(context: CompletionContext, acceptor: CompletionAcceptor): void {
        const aggregate = context.node ? expressionScopeOf(context.node, this.inference).aggregate : true;
        for (const fn of BUILTIN_FUNCTIONS) {
            if (fn.category === 'aggregate' && !aggregate) continue;
            const params = fn.params.filter((p) => !p.optional).map((p, i) => `\${${i + 1}:${p.name}}`);
            acceptor(context, {
                label: fn.name,
                kind: CompletionItemKind.Function,
                detail: formatSignature(fn),
                documentation: { kind: 'markdown', value: `${fn.doc}\n\nExample: \`${fn.example}\`` },
                insertText: `${fn.name}(${params.join(', ')})`,
                insertTextFormat: InsertTextFormat.Snippet,
                sortText: fn.category === 'aggregate' ? '1' : '3'
            });
        }
    }

    private completeConnectors(context: CompletionContext, acceptor: CompletionAcceptor): void {
        const step = testStepAt(context.node);
        if (step) {
            completeTestRows(step, this.inference, context, acceptor);
            return;
        }
        const lineStart = context.textDocument.offsetAt({ line: context.position.line, character: 0 });
        const before = context.textDocument.getText().slice(lineStart, context.offset);
        const role = ast.isSink(context.node) || before.includes('->') ? 'sink' : 'source';
        for (const connector of connectorsFor(role)) {
            acceptor(context, {
                label: connector.name,
                kind: CompletionItemKind.Module,
                detail: formatConnectorSignature(connector),
                documentation: { kind: 'markdown', value: `${connector.doc}\n\nExample: \`${connector.example}\`` },
                insertText: connector.path ? `${connector.name}("$1")` : connector.name,
                insertTextFormat: InsertTextFormat.Snippet
            });
        }
    }

}

/**
 * Hovers: the inferred schema of the stream or operator under the cursor, the type of a field,
 * the docs of operators (the grammar's rule docs), functions and connectors, and the doc
 * comment of a pipeline, schema, source or stream.
 */
import {
    AstUtils, CstUtils, GrammarAST, GrammarUtils, isJSDoc, parseJSDoc, type AstNode, type CstNode,
    type LangiumDocument, type MaybePromise
} from 'langium';
import { keywordDoc, ruleDoc } from './grammar-docs.js';
import type { HoverProvider } from 'langium/lsp';
import type { Hover, HoverParams } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import type { FlowLspServices } from './flow-lsp-module.js';
import { findBuiltinFunction, formatSignature } from '../typing/builtin-functions.js';
import { expressionScopeOf } from '../typing/expression-scope.js';
import { formatType } from '../typing/flow-types.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import type { ExpressionTyper } from '../typing/expression-typer.js';
import type { StreamSchema } from '../typing/stream-schema.js';
import { findConnector } from '../validation/connector-specs.js';
import { thenStepTime } from '../testing/test-facts.js';
import { connectorParams, formatConnectorSignature } from './connector-text.js';
import { checkpointingSettings, restartStrategySettings } from '../graph/job-settings.js';
import { pipelineMode } from '../typing/pipeline-facts.js';
import { describeCheckpointing, describeRestartStrategy } from '../../../protocol/fault-tolerance-text.js';
import { describeSchemaProperties, formatSchemaBlock } from './schema-text.js';

/** The .flow hover provider (`textDocument/hover`). */
export class FlowHoverProvider implements HoverProvider {
    private readonly inference: SchemaInference;
    private readonly typer: ExpressionTyper;
    private readonly grammar: GrammarAST.Grammar;

    constructor(services: FlowLspServices) {
        this.inference = services.typing.SchemaInference;
        this.typer = services.typing.ExpressionTyper;
        this.grammar = services.Grammar;
    }

    getHoverContent(document: LangiumDocument, params: HoverParams): MaybePromise<Hover | undefined> {
        const root = document.parseResult.value.$cstNode;
        if (!root) return undefined;
        const leaf = CstUtils.findLeafNodeAtOffset(root, document.textDocument.offsetAt(params.position));
        if (!leaf || leaf.hidden) return undefined;
        const markdown = this.contentFor(leaf);
        return markdown ? { contents: { kind: 'markdown', value: markdown }, range: leaf.range } : undefined;
    }

    private contentFor(leaf: CstNode): string | undefined {
        const node = leaf.astNode;
        const feature = GrammarUtils.findAssignment(leaf)?.feature;
        if (ast.isFunctionCall(node) && feature === 'function') return this.functionDoc(node.function);
        if (ast.isConnector(node) && feature === 'kind') return this.connectorDoc(node);
        // A word that is a keyword elsewhere but names something here (a field `day`, `start`) is a name.
        const nameWord = GrammarAST.isKeyword(leaf.grammarSource) && isWordOfDataTypeRule(leaf.grammarSource);
        if (GrammarAST.isKeyword(leaf.grammarSource) && !nameWord && feature !== 'name') return this.keywordDoc(leaf, node);
        const declaration = this.declarationAt(node, feature ?? (nameWord && (node as { name?: unknown }).name === leaf.text ? 'name' : undefined));
        return declaration ? this.declarationDoc(declaration) : undefined;
    }

    /** The node a name or a reference under the cursor stands for. */
    private declarationAt(node: AstNode, feature: string | undefined): AstNode | undefined {
        if (feature === 'name') return node;
        if (ast.isNameRef(node)) return node.ref?.ref ?? node;
        if (ast.isFieldRef(node)) return node.field?.ref;
        if (ast.isStreamRef(node)) return node.side ? node : node.stream?.ref;
        if (ast.isMemberAccess(node)) return node;
        if (ast.isTypeRef(node)) return node.schema?.ref;
        if (ast.isSource(node) && feature === 'schemaRef') return node.schemaRef?.ref;
        if (ast.isMapOp(node) && feature === 'schemaRef') return node.schemaRef?.ref;
        if (ast.isPipelineTest(node) && feature === 'pipeline') return node.pipeline?.ref;
        if (ast.isGivenStep(node) && feature === 'source') return node.source?.ref;
        if (ast.isThenStep(node) && (feature === 'time' || feature === 'quotedTime')) return node;
        return undefined;
    }

    private declarationDoc(node: AstNode): string | undefined {
        if (ast.isSource(node) || ast.isStream(node)) {
            return joinParts(codeBlock(`${node.$type.toLowerCase()} ${node.name}`), docComment(node),
                this.schemaSection(this.inference.schemaOfStream(node)));
        }
        if (ast.isStreamRef(node)) {
            return joinParts(codeBlock(`${node.stream?.$refText ?? ''}.${node.side}`), this.schemaSection(this.inference.schemaOfStreamRef(node)));
        }
        if (ast.isSchema(node)) {
            const fields = { ...emptySchema(), fields: this.inference.entriesOfSchemaNode(node) };
            return joinParts(codeBlock(`schema ${node.name} ${formatSchemaBlock(fields)}`), docComment(node));
        }
        if (ast.isPipeline(node)) return joinParts(codeBlock(`pipeline ${node.name}`), docComment(node));
        if (ast.isPipelineTest(node)) return joinParts(codeBlock(`test "${node.name}" for ${node.pipeline?.$refText ?? ''}`), docComment(node));
        if (ast.isThenStep(node)) {
            const time = thenStepTime(node);
            return time === undefined ? undefined
                : `Event time reaches **${new Date(time).toISOString()}** (${time} ms since the epoch): every source's watermark moves there.`;
        }
        if (ast.isNameRef(node) || ast.isMemberAccess(node)) {
            return codeBlock(`${node.$cstNode?.text ?? ''}: ${formatType(this.typer.typeOf(node))}`);
        }
        if (ast.isField(node) || ast.isGeneratedField(node)) {
            return joinParts(codeBlock(`${node.name}: ${formatType(this.inference.typeOfTypeRef(node.type))}`), docComment(node));
        }
        if (ast.isProjectionItem(node)) {
            return codeBlock(`${node.name ?? node.value.$cstNode?.text ?? ''}: ${formatType(this.typer.typeOf(node.value))}`);
        }
        if (ast.isNamedKey(node)) {
            return joinParts(codeBlock(`${node.name}: ${formatType(this.typer.typeOf(node.value))}`),
                `The key \`${node.value.$cstNode?.text ?? ''}\`: a column of the aggregate after the keyBy.`);
        }
        if (ast.isFlatMapOp(node)) {
            const entry = this.inference.outputSchemaOf(node).fields.find((f) => f.name === node.name);
            return entry ? codeBlock(`${entry.name}: ${formatType(entry.type)}`) : undefined;
        }
        return undefined;
    }

    /** An operator keyword shows the operator's doc and the schema it emits; other keywords their rule's doc. */
    private keywordDoc(leaf: CstNode, node: AstNode): string | undefined {
        const operator = ast.isOperator(node) ? node : AstUtils.getContainerOfType(node, ast.isWindowOp);
        if (operator && (node === operator || ast.isWindowOp(operator))) {
            return joinParts(this.ruleDoc(operator.$type) ?? this.ruleDocOfKeyword(leaf),
                this.schemaSection(this.inference.outputSchemaOf(operator), 'Output'));
        }
        if ((ast.isSource(node) || ast.isStream(node)) && (leaf.text === 'source' || leaf.text === 'stream')) {
            return joinParts(this.ruleDoc(node.$type), this.schemaSection(this.inference.schemaOfStream(node)));
        }
        const setting = this.jobSettingDoc(node);
        if (setting) return joinParts(this.ruleDocOfKeyword(leaf), setting);
        if (ast.isWindowProperty(node)) {
            const scope = expressionScopeOf(node, this.inference);
            return `The ${node.property} of the current window (a timestamp)${scope.window ? '' : '; only inside an aggregate over a window'}.`;
        }
        return this.ruleDocOfKeyword(leaf);
    }

    /** A checkpoint or restart setting: what it means for this pipeline, Flink's defaults filled in. */
    private jobSettingDoc(node: AstNode): string | undefined {
        if (ast.isCheckpointSetting(node)) {
            const settings = checkpointingSettings(node);
            const pipeline = AstUtils.getContainerOfType(node, ast.isPipeline);
            if (!settings || !pipeline) return undefined;
            return pipelineMode(pipeline, this.inference) === 'batch'
                ? '**This pipeline** runs in batch mode: it takes no checkpoints.'
                : `**This pipeline**: a checkpoint ${describeCheckpointing(settings)}.`;
        }
        const strategy = ast.isRestartSetting(node) ? node.strategy : ast.isRestartStrategy(node) ? node : undefined;
        return strategy ? `**This pipeline**: ${describeRestartStrategy(restartStrategySettings(strategy))}.` : undefined;
    }

    private ruleDocOfKeyword(leaf: CstNode): string | undefined {
        return GrammarAST.isKeyword(leaf.grammarSource) ? keywordDoc(this.grammar, leaf.grammarSource) : undefined;
    }

    private ruleDoc(ruleName: string): string | undefined {
        return ruleDoc(this.grammar, ruleName);
    }

    private functionDoc(name: string): string | undefined {
        const fn = findBuiltinFunction(name);
        if (!fn) return undefined;
        const note = fn.category === 'aggregate' ? '\n\nAn aggregate: only inside `aggregate { }` or `reduce { }`.' : '';
        return `${codeBlock(formatSignature(fn))}\n${fn.doc}${note}\n\nExample: \`${fn.example}\``;
    }

    private connectorDoc(node: ast.Connector): string | undefined {
        const connector = findConnector(node.kind);
        if (!connector) return undefined;
        const params = connectorParams(connector).map((p) => `- \`${p.label}\`: ${p.doc}`).join('\n');
        return joinParts(codeBlock(formatConnectorSignature(connector)), connector.doc, params, `Example: \`${connector.example}\``);
    }

    private schemaSection(schema: StreamSchema, title = 'Schema'): string {
        return `**${title}** (${describeSchemaProperties(schema)})\n${codeBlock(formatSchemaBlock(schema))}`;
    }
}

function emptySchema(): StreamSchema {
    return { fields: [], windowedRows: false, bounded: true, eventTime: false };
}

function codeBlock(code: string): string {
    return '```flow\n' + code + '\n```';
}

function joinParts(...parts: (string | undefined)[]): string | undefined {
    const present = parts.filter((p): p is string => !!p && p.length > 0);
    return present.length > 0 ? present.join('\n\n') : undefined;
}

/** The `/** *\/` comment right above a declaration, as markdown. */
function docComment(node: AstNode): string | undefined {
    const comment = CstUtils.findCommentNode(node.$cstNode, ['ML_COMMENT'])?.text;
    return comment && isJSDoc(comment) ? parseJSDoc(comment).toMarkdown() : undefined;
}

/** True for a keyword written in a data type rule (Name, Identifier, CalendarUnit, ...): there it is a name, not a keyword. */
function isWordOfDataTypeRule(keyword: GrammarAST.Keyword): boolean {
    const rule = AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule);
    return rule !== undefined && GrammarUtils.isDataTypeRule(rule);
}

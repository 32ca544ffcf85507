/**
 * Resolves names: streams and sources within a pipeline (plus shared sources of imported
 * files), schemas of this and imported files, and fields against the schema inferred upstream
 * of the expression, so a field reference links to the node that declared the field.
 */
import {
    AstUtils, DefaultScopeProvider, DocumentState, WorkspaceCache, type AstNode, type ReferenceInfo, type Scope
} from 'langium';
import {
    type Expression, type MemberAccess, Pipeline, isCastExpr, isFieldRef, isGeneratedField, isMemberAccess, isNameRef,
    type Stream, type InlineSchema, isPipeline, isProjectionItem, isSource, isStream, isStreamRef, isField, Schema, Source,
    isGivenStep, isPipelineTest
} from '../generated/ast.js';
import { sourcesUsedBy } from '../typing/pipeline-facts.js';
import type { FlowServices } from '../flow-module.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import type { ExpressionTyper } from '../typing/expression-typer.js';
import { expressionScopeOf } from '../typing/expression-scope.js';
import type { SchemaEntry } from '../typing/stream-schema.js';
import { visibleUris } from './imported-uris.js';
import { NamedNodeScope, NamedNodes, type NamedNode } from './named-node-scope.js';

export class FlowScopeProvider extends DefaultScopeProvider {
    private readonly inference: SchemaInference;
    private readonly typer: ExpressionTyper;
    /**
     * Scopes many references share, kept while the index is unchanged (cleared when a build has
     * indexed new content): the streams of a pipeline (or test), the top-level elements a
     * document sees. Field candidates are kept per schema's field list, which the schema
     * inference caches, so each list is indexed by name once.
     */
    private readonly streamScopes: WorkspaceCache<AstNode, Scope>;
    private readonly importedScopes: WorkspaceCache<string, Scope>;
    private readonly fieldCandidates = new WeakMap<readonly SchemaEntry[], NamedNodes>();

    constructor(services: FlowServices) {
        super(services);
        this.inference = services.typing.SchemaInference;
        this.typer = services.typing.ExpressionTyper;
        this.streamScopes = new WorkspaceCache(services.shared, DocumentState.IndexedContent);
        this.importedScopes = new WorkspaceCache(services.shared, DocumentState.IndexedContent);
    }

    override getScope(context: ReferenceInfo): Scope {
        const container = context.container;
        if (isStreamRef(container)) {
            return this.streamScope(container);
        }
        if (isGivenStep(container)) {
            // A test replaces the sources its pipeline reads (its own and shared ones).
            const pipeline = container.$container.pipeline?.ref;
            return this.namedNodeScope(pipeline ? sourcesUsedBy(pipeline).filter((s) => s.name).map((s) => ({ name: s.name, node: s })) : []);
        }
        if (isPipelineTest(container) && context.property === 'pipeline') {
            return this.importedScope(container, Pipeline.$type);
        }
        if (isNameRef(container)) {
            const fields = this.fieldsOf(expressionScopeOf(container, this.inference).schema.fields);
            return this.namedNodeScope(fields, () => this.streamScope(container));
        }
        if (isMemberAccess(container) && context.property === 'member') {
            return this.namedNodeScope(this.memberCandidates(container));
        }
        if (isFieldRef(container)) {
            return this.namedNodeScope(this.fieldsOf(expressionScopeOf(container, this.inference).schema.fields));
        }
        if (context.reference && this.reflection.getReferenceType(context) === Schema.$type) {
            return this.importedScope(container, Schema.$type);
        }
        return super.getScope(context);
    }

    /** The fields of a schema as link candidates by name, indexed once per field list. */
    private fieldsOf(fields: readonly SchemaEntry[]): NamedNodes {
        let candidates = this.fieldCandidates.get(fields);
        if (!candidates) {
            candidates = new NamedNodes(this.entryCandidates(fields, false));
            this.fieldCandidates.set(fields, candidates);
        }
        return candidates;
    }

    /** Sources and streams of the enclosing pipeline, then shared sources of this and imported files. */
    private streamScope(node: ReferenceInfo['container']): Scope {
        const owner = AstUtils.getContainerOfType(node, (n) => isPipelineTest(n) || isPipeline(n)) ?? AstUtils.findRootNode(node);
        return this.streamScopes.get(owner, () => this.computeStreamScope(node));
    }

    private computeStreamScope(node: ReferenceInfo['container']): Scope {
        const test = AstUtils.getContainerOfType(node, isPipelineTest);
        if (test) {
            // An expectation names a stream or source of the pipeline under test.
            const tested = test.pipeline?.ref;
            if (!tested) return this.namedNodeScope([]);
            const members = tested.members.filter((m): m is Source | Stream => (isSource(m) || isStream(m)) && Boolean(m.name));
            const shared = sourcesUsedBy(tested).filter((s) => s.name && !members.includes(s));
            return this.namedNodeScope([...members, ...shared].map((m) => ({ name: m.name, node: m })));
        }
        const pipeline = AstUtils.getContainerOfType(node, isPipeline) as Pipeline | undefined;
        const global = this.importedScope(node, Source.$type);
        if (!pipeline) {
            return global;
        }
        const members = pipeline.members.filter((m): m is Source | Stream => (isSource(m) || isStream(m)) && Boolean(m.name));
        return this.namedNodeScope(members.map((m) => ({ name: m.name, node: m })), global);
    }

    /** A scope that describes a node only when its name is looked up (see named-node-scope.ts). */
    private namedNodeScope(candidates: NamedNode[] | NamedNodes, outer?: Scope | (() => Scope)): Scope {
        return new NamedNodeScope(candidates, (c) => this.descriptions.createDescription(c.node, c.name), outer);
    }

    /**
     * Top-level elements of type `type` in this document, then in the documents it imports: a
     * local declaration wins over an imported one whatever order the documents were loaded in
     * (the validator reports the clash as a duplicate name).
     */
    private importedScope(node: ReferenceInfo['container'], type: string): Scope {
        const own = AstUtils.getDocument(node).uri.toString();
        return this.importedScopes.get(`${type} ${own}`, () => this.computeImportedScope(node, own, type));
    }

    // Arrays, not the index's streams: a stream over the index can be read only once, and these scopes are kept.
    private computeImportedScope(node: ReferenceInfo['container'], own: string, type: string): Scope {
        const imported = visibleUris(node);
        imported.delete(own);
        const outer = this.createScope(this.indexManager.allElements(type, imported).toArray());
        return this.createScope(this.indexManager.allElements(type, new Set([own])).toArray(), outer);
    }

    private memberCandidates(access: MemberAccess): NamedNode[] {
        const receiver = access.receiver;
        if (isNameRef(receiver) && this.typer.streamNamedBy(receiver)) {
            const scope = expressionScopeOf(access, this.inference).schema;
            const qualifier = receiver.ref.$refText;
            return this.entryCandidates(scope.fields.filter((f) => f.qualifier === qualifier), true);
        }
        // A record-typed value: the fields of its type. Each links to the schema field that
        // declares it when the record's type is a named schema; a record built by a literal
        // (`meta: { a: 1 }`) or computed otherwise links to the node that produced the record,
        // because a record literal's fields are not field declarations in the grammar.
        const receiverType = this.typer.typeOf(receiver);
        if (receiverType.kind !== 'record') {
            return [];
        }
        const producer = this.declarationOf(receiver);
        if (!producer) {
            return [];
        }
        const schema = this.schemaDeclaring(producer, 0);
        return receiverType.fields.filter((f) => f.name).map((f) =>
            ({ name: f.name, node: schema?.fields.find((sf) => sf.name === f.name) ?? producer }));
    }

    /** The node a field-valued expression links to (its declaration), if it is a plain reference. */
    private declarationOf(expr: Expression): AstNode | undefined {
        if (isNameRef(expr)) {
            return this.typer.entryOfNameRef(expr)?.declaration ?? expr.ref.ref;
        }
        if (isMemberAccess(expr)) {
            return expr.member.ref;
        }
        return undefined;
    }

    /** The named schema whose fields a record-typed declaration has, following renames (`place: location`). */
    private schemaDeclaring(node: AstNode, depth: number): Schema | InlineSchema | undefined {
        if (depth > 8) {
            return undefined; // a chain this long is a cycle (reported elsewhere)
        }
        if (isField(node) || isGeneratedField(node)) {
            return node.type.schema?.ref ?? node.type.record;
        }
        if (isProjectionItem(node)) {
            if (isCastExpr(node.value)) {
                return node.value.type.schema?.ref;
            }
            const next = this.declarationOf(node.value);
            return next && next !== node ? this.schemaDeclaring(next, depth + 1) : undefined;
        }
        return undefined;
    }

    private entryCandidates(entries: readonly SchemaEntry[], byOriginalName: boolean): NamedNode[] {
        const result: NamedNode[] = [];
        for (const entry of entries) {
            if (!entry.declaration || !entry.name) { // unnamed: a computed column, or a syntax error
                continue;
            }
            const name = byOriginalName ? (entry.originalName ?? entry.name) : entry.name;
            result.push({ name, node: entry.declaration });
            if (!byOriginalName && entry.originalName && entry.originalName !== entry.name
                && entries.filter((e) => e.originalName === entry.originalName).length === 1
                && !entries.some((e) => e.name === entry.originalName)) {
                result.push({ name: entry.originalName, node: entry.declaration });
            }
        }
        return result;
    }
}

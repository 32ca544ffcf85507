/**
 * Resolves names: streams and sources within a pipeline (plus shared sources of imported
 * files), schemas of this and imported files, and fields against the schema inferred upstream
 * of the expression, so a field reference links to the node that declared the field.
 */
import {
    AstUtils, DefaultScopeProvider, type AstNodeDescription, type ReferenceInfo, type Scope
} from 'langium';
import {
    type Pipeline, isFieldRef, isMemberAccess, isNameRef, isPipeline, isSource, isStream, isStreamRef, isField,
    Schema, Source
} from '../generated/ast.js';
import type { FlowServices } from '../flow-module.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import type { ExpressionTyper } from '../typing/expression-typer.js';
import { expressionScopeOf } from '../typing/expression-scope.js';
import type { SchemaEntry } from '../typing/stream-schema.js';
import { visibleUris } from './imported-uris.js';

export class FlowScopeProvider extends DefaultScopeProvider {
    private readonly inference: SchemaInference;
    private readonly typer: ExpressionTyper;

    constructor(services: FlowServices) {
        super(services);
        this.inference = services.typing.SchemaInference;
        this.typer = services.typing.ExpressionTyper;
    }

    override getScope(context: ReferenceInfo): Scope {
        const container = context.container;
        if (isStreamRef(container)) {
            return this.streamScope(container);
        }
        if (isNameRef(container)) {
            const fields = this.entryDescriptions(expressionScopeOf(container, this.inference).schema.fields, false);
            return this.createScope(fields, this.streamScope(container));
        }
        if (isMemberAccess(container) && context.property === 'member') {
            return this.createScope(this.memberDescriptions(container));
        }
        if (isFieldRef(container)) {
            return this.createScope(this.entryDescriptions(expressionScopeOf(container, this.inference).schema.fields, false));
        }
        if (context.reference && this.reflection.getReferenceType(context) === Schema.$type) {
            return this.importedScope(container, Schema.$type);
        }
        return super.getScope(context);
    }

    /** Sources and streams of the enclosing pipeline, then shared sources of this and imported files. */
    private streamScope(node: ReferenceInfo['container']): Scope {
        const pipeline = AstUtils.getContainerOfType(node, isPipeline) as Pipeline | undefined;
        const global = this.importedScope(node, Source.$type);
        if (!pipeline) {
            return global;
        }
        const members = pipeline.members.filter((m) => isSource(m) || isStream(m));
        return this.createScopeForNodes(members, global);
    }

    /** Top-level elements of type `type` in this document and the documents it imports. */
    private importedScope(node: ReferenceInfo['container'], type: string): Scope {
        const uris = visibleUris(node);
        return this.createScope(this.indexManager.allElements(type, uris));
    }

    private memberDescriptions(access: Parameters<ExpressionTyper['entryOfMemberAccess']>[0]): AstNodeDescription[] {
        const receiver = access.receiver;
        if (isNameRef(receiver)) {
            const target = receiver.ref.ref;
            if (isSource(target) || isStream(target)) {
                const scope = expressionScopeOf(access, this.inference).schema;
                const qualifier = receiver.ref.$refText;
                return this.entryDescriptions(scope.fields.filter((f) => f.qualifier === qualifier), true);
            }
        }
        // A record-typed field declared with a schema type: its fields.
        const receiverEntry = isNameRef(receiver) ? this.typer.entryOfNameRef(receiver)
            : isMemberAccess(receiver) ? this.typer.entryOfMemberAccess(receiver) : undefined;
        const declaration = receiverEntry?.declaration;
        const schema = isField(declaration) ? declaration.type.schema?.ref : undefined;
        return schema ? schema.fields.map((f) => this.descriptions.createDescription(f, f.name)) : [];
    }

    private entryDescriptions(entries: SchemaEntry[], byOriginalName: boolean): AstNodeDescription[] {
        const result: AstNodeDescription[] = [];
        for (const entry of entries) {
            if (!entry.declaration || entry.name === '') {
                continue;
            }
            const name = byOriginalName ? (entry.originalName ?? entry.name) : entry.name;
            result.push(this.descriptions.createDescription(entry.declaration, name));
            if (!byOriginalName && entry.originalName && entry.originalName !== entry.name
                && entries.filter((e) => e.originalName === entry.originalName).length === 1
                && !entries.some((e) => e.name === entry.originalName)) {
                result.push(this.descriptions.createDescription(entry.declaration, entry.originalName));
            }
        }
        return result;
    }
}

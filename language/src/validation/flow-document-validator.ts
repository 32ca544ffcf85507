/**
 * Turns unresolved references into diagnostics that say what kind of name was not found, what
 * is available there and which name was probably meant (the data feeds the did-you-mean fix).
 */
import {
    Cancellation, DefaultDocumentValidator, interruptAndCheck, type AstNode, type DiagnosticInfo, type LangiumDocument,
    type ValidationAcceptor, type ValidationCheck, type ValidationOptions, type ValidationSeverity
} from 'langium';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { isConnector, isConnectorArg, isFieldRef, isGivenStep, isMemberAccess, isNameRef, isPipelineTest, isStreamRef, isTypeRef } from '../generated/ast.js';

/** The primitive types of TypeRef in the grammar. */
const PRIMITIVE_TYPES = ['int', 'long', 'double', 'boolean', 'string', 'timestamp', 'duration'];
import type { FlowServices } from '../flow-module.js';
import { expressionScopeOf } from '../typing/expression-scope.js';
import { hasQualifier } from '../typing/stream-schema.js';
import { formatType } from '../typing/flow-types.js';
import { findConnector } from './connector-specs.js';
import { closestNames, listNames } from './did-you-mean.js';
import { IssueCodes, type FlowDiagnosticData } from './issue-codes.js';
import { NODES_PER_INTERRUPT_CHECK, documentNodesInOrder } from '../workspace/ast-walk.js';

export class FlowDocumentValidator extends DefaultDocumentValidator {
    constructor(private readonly flowServices: FlowServices) {
        super(flowServices);
    }

    /**
     * Langium's loop over the nodes and their checks, walking with ast-walk.ts instead of
     * Langium's streams and looking up each node type's checks once per document (same checks,
     * same order, same diagnostics; see ast-walk.ts why), awaiting only a check that returns a
     * promise. Every node is validated, as Langium's `validateSingleNodeOptions` says by default
     * (this class does not narrow it).
     */
    protected override async validateAstNodes(rootNode: AstNode, options: ValidationOptions, acceptor: ValidationAcceptor, cancelToken = Cancellation.CancellationToken.None): Promise<void> {
        if (this.profiler?.isActive('validating')) {
            return super.validateAstNodes(rootNode, options, acceptor, cancelToken); // Langium's per-type timings
        }
        const checksByType = new Map<string, ValidationCheck[]>();
        const nodes = documentNodesInOrder(rootNode);
        for (let i = 0; i < nodes.length; i++) {
            if (i % NODES_PER_INTERRUPT_CHECK === 0) await interruptAndCheck(cancelToken);
            const node = nodes[i];
            let checks = checksByType.get(node.$type);
            if (!checks) {
                checks = this.validationRegistry.getChecks(node.$type, options.categories).toArray();
                checksByType.set(node.$type, checks);
            }
            for (const check of checks) {
                // Checks are synchronous but for the odd one that returns a promise (FlowValidationRegistry).
                const pending = check(node, acceptor, cancelToken);
                if (pending) await pending;
            }
        }
    }

    /** The issue code of `data.code` is also the diagnostic's LSP code, which editors show. */
    protected override toDiagnostic<N extends AstNode>(severity: ValidationSeverity, message: string, info: DiagnosticInfo<N, string>): Diagnostic {
        const diagnostic = super.toDiagnostic(severity, message, info);
        const code = (info.data as FlowDiagnosticData | undefined)?.code;
        return diagnostic.code === undefined && code !== undefined ? { ...diagnostic, code } : diagnostic;
    }

    protected override processLinkingErrors(document: LangiumDocument, diagnostics: Diagnostic[], _options: ValidationOptions): void {
        const scopeProvider = this.flowServices.references.ScopeProvider;
        for (const reference of document.references) {
            const error = reference.error;
            if (!error) {
                continue;
            }
            const info = error.info;
            if (this.isConsequentialError(info.container, info.property)) {
                continue;
            }
            const refText = info.reference.$refText;
            const { code, kind } = classify(info.container, info.property);
            // A plain name may be a field or a stream: suggest and list the fields, streams only when no field is close.
            const fields = isNameRef(info.container)
                ? expressionScopeOf(info.container, this.flowServices.typing.SchemaInference).schema.fields.map((f) => f.name).filter((n) => n)
                : undefined;
            const everything = scopeProvider.getScope(info).getAllElements().map((d) => d.name).toArray();
            if (isTypeRef(info.container)) {
                // A misspelled primitive type parses as a schema name: offer the primitives too.
                everything.push(...PRIMITIVE_TYPES);
            }
            const available = fields ?? everything;
            const fieldSuggestions = closestNames(refText, available);
            const suggestions = fieldSuggestions.length > 0 || !fields ? fieldSuggestions : closestNames(refText, everything);
            const data: FlowDiagnosticData = { code, suggestions, refText };
            const hint = suggestions.length > 0 ? ` Did you mean ${listNames(suggestions)}?`
                : this.notAnInput(info.container, info.property) ?? this.notImported(info.container, refText, document) ?? describeAvailable(kind, available);
            diagnostics.push(this.toDiagnostic('error', `Unknown ${kind} '${refText}'.${hint}`, {
                node: info.container, property: info.property, index: info.index, range: reference.$refNode?.range, data
            }));
        }
    }

    /** For `s.field` where the stream `s` is not an input of the operator, or `x.field` where `x` is no record: says so. */
    private notAnInput(container: AstNode, property: string): string | undefined {
        if (!isMemberAccess(container) || property !== 'member' || !isNameRef(container.receiver)) {
            return undefined;
        }
        const typer = this.flowServices.typing.ExpressionTyper;
        const stream = typer.streamNamedBy(container.receiver);
        if (!stream) {
            const type = typer.typeOf(container.receiver);
            return type.kind === 'unknown' || type.kind === 'record' ? undefined
                : ` '${container.receiver.ref.$refText}' is ${formatType(type)}, which has no fields.`;
        }
        const schema = expressionScopeOf(container, this.flowServices.typing.SchemaInference).schema;
        if (hasQualifier(schema, stream.name)) {
            return undefined;
        }
        const inputs = [...new Set(schema.fields.map((f) => f.qualifier).filter((q): q is string => q !== undefined))];
        return ` '${stream.name}' is not an input here${inputs.length ? ` (the inputs are ${listNames(inputs)})` : ''}; join it first to use its fields.`;
    }

    /** A test's pipeline declared in a file this one does not import: says which import to add. */
    private notImported(container: AstNode, name: string, document: LangiumDocument): string | undefined {
        if (!isPipelineTest(container)) {
            return undefined;
        }
        const declared = this.flowServices.shared.workspace.IndexManager.allElements('Pipeline').find((d) => d.name === name);
        if (!declared) {
            return undefined;
        }
        const relative = path.relative(path.dirname(document.uri.fsPath), declared.documentUri.fsPath).split(path.sep).join('/');
        return ` It is declared in '${relative}', which this file does not import: add import "${relative}".`;
    }

    /**
     * An unknown field is not reported where the fields are unknown because of another mistake
     * (the stream's input is unknown or cyclic), nor as the member of a value whose type is
     * unknown (`unknownThing.field`): one mistake, one diagnostic.
     */
    private isConsequentialError(container: AstNode, property: string): boolean {
        if (isMemberAccess(container) && property === 'member') {
            const receiver = container.receiver;
            if ((isNameRef(receiver) && receiver.ref.error) || (isMemberAccess(receiver) && receiver.member.error)) {
                return true;
            }
            if (!(isNameRef(receiver) && this.flowServices.typing.ExpressionTyper.streamNamedBy(receiver))
                && this.flowServices.typing.ExpressionTyper.typeOf(receiver).kind === 'unknown') {
                return true;
            }
        }
        if (isInUnquotedPath(container)) {
            return true;
        }
        if (isNameRef(container) || isFieldRef(container) || isMemberAccess(container)) {
            return expressionScopeOf(container, this.flowServices.typing.SchemaInference).schema.incomplete === true;
        }
        return false;
    }
}

/** Inside the path argument of a connector written without quotes (`csv(out/x.csv)`), reported as such by the checker. */
function isInUnquotedPath(node: AstNode): boolean {
    let n: AstNode | undefined = node;
    while (n && !isConnectorArg(n)) {
        n = n.$container;
    }
    if (!n || !isConnectorArg(n) || n.name || !isConnector(n.$container)) {
        return false;
    }
    const connector = n.$container;
    return connector.args.find((a) => !a.name) === n && findConnector(connector.kind)?.path !== undefined;
}

function classify(container: unknown, property: string): { code: string; kind: string } {
    if (isPipelineTest(container)) {
        return { code: IssueCodes.UnknownPipeline, kind: 'pipeline' };
    }
    if (isGivenStep(container)) {
        return { code: IssueCodes.UnknownGivenSource, kind: 'source' };
    }
    if (isStreamRef(container)) {
        return { code: IssueCodes.UnknownStream, kind: 'stream or source' };
    }
    if (isNameRef(container) || isFieldRef(container) || (isMemberAccess(container) && property === 'member')) {
        return { code: IssueCodes.UnknownField, kind: 'field' };
    }
    return { code: IssueCodes.UnknownSchema, kind: isTypeRef(container) ? 'type' : 'schema' };
}

function describeAvailable(kind: string, available: string[]): string {
    const unique = [...new Set(available)];
    if (unique.length === 0) {
        return ` No ${kind} is visible here.`;
    }
    const shown = unique.slice(0, 8);
    return ` Available here: ${shown.join(', ')}${unique.length > shown.length ? ', ...' : ''}.`;
}

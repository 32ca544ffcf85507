/**
 * Checks of whole files and pipelines: duplicate names, imports, cycles between streams,
 * streams that reach no sink, unbounded sources in batch mode, connectors and their options.
 */
import { existsSync, statSync } from 'node:fs';
import { AstUtils, UriUtils, type ValidationAcceptor } from 'langium';
import {
    type Connector, type Model, type StreamRef, type Pipeline, type Schema, type Sink, type Source, type Stream, type GeneratedField,
    type WatermarkOption, type RecordLiteral, isGeneratedField, isOnErrorOption, isRecordLiteral, isSink, isSource, isStream, isStringLiteral,
    isNumberLiteral, isBooleanLiteral, isWindowOp, isUnaryExpr, type Expression
} from '../generated/ast.js';
import type { FlowServices } from '../flow-module.js';
import { formatType, isAssignable, isNullable, isNumber, isUnknown } from '../typing/flow-types.js';
import type { SchemaEntry } from '../typing/stream-schema.js';
import { pipelineMode, streamRefsOf } from '../typing/pipeline-facts.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import type { ExpressionTyper } from '../typing/expression-typer.js';
import { resolveImportUri, visibleUris } from '../scoping/imported-uris.js';
import { closestNames, listNames } from './did-you-mean.js';
import { connectorsFor, findConnector } from './connector-specs.js';
import { nexmarkKindOf } from '../../../protocol/nexmark.js';
import { IssueCodes } from './issue-codes.js';

export class PipelineChecks {
    private readonly inference: SchemaInference;
    private readonly typer: ExpressionTyper;

    constructor(private readonly services: FlowServices) {
        this.inference = services.typing.SchemaInference;
        this.typer = services.typing.ExpressionTyper;
    }

    checkModel(model: Model, accept: ValidationAcceptor): void {
        reportDuplicates(model.elements.filter((e) => e.$type === 'Schema'), 'schema', accept);
        reportDuplicates(model.elements.filter((e) => e.$type === 'Pipeline'), 'pipeline', accept);
        reportDuplicates(model.elements.filter(isSource), 'shared source', accept);
        this.checkImports(model, accept);
        this.checkClashesWithImports(model, accept);
    }

    /** A schema or shared source declared here and in an imported file: the local one wins, but that is rarely meant. */
    private checkClashesWithImports(model: Model, accept: ValidationAcceptor): void {
        const own = AstUtils.getDocument(model).uri.toString();
        const imported = visibleUris(model);
        imported.delete(own);
        if (imported.size === 0) {
            return;
        }
        const index = this.services.shared.workspace.IndexManager;
        for (const element of model.elements) {
            if ((element.$type !== 'Schema' && !isSource(element)) || !element.name) {
                continue;
            }
            const clash = index.allElements(element.$type, imported).find((d) => d.name === element.name);
            if (clash) {
                const what = element.$type === 'Schema' ? 'schema' : 'shared source';
                accept('error', `The ${what} '${element.name}' is also declared in the imported file '${UriUtils.basename(clash.documentUri)}'; rename one of them.`,
                    { node: element, property: 'name', data: { code: IssueCodes.DuplicateName } });
            }
        }
    }

    checkSchema(schema: Schema, accept: ValidationAcceptor): void {
        reportDuplicates(schema.fields, 'field', accept);
    }

    checkPipeline(pipeline: Pipeline, accept: ValidationAcceptor): void {
        const named = pipeline.members.filter((m): m is Source | Stream => isSource(m) || isStream(m));
        reportDuplicates(named, 'stream or source', accept);
        for (const setting of pipeline.members) {
            if (setting.$type === 'ParallelismSetting' && setting.value < 1) {
                accept('error', 'Parallelism must be at least 1.', { node: setting, property: 'value', data: { code: IssueCodes.InvalidParallelism } });
            }
        }
        for (const [type, word] of [['ModeSetting', 'mode'], ['ParallelismSetting', 'parallelism']] as const) {
            const settings = pipeline.members.filter((m) => m.$type === type);
            for (const repeated of settings.slice(1)) {
                accept('error', `The pipeline's '${word}' is set more than once; keep one.`, { node: repeated, data: { code: IssueCodes.DuplicateName } });
            }
        }
        this.checkCycles(pipeline, accept);
        this.checkDangling(pipeline, named, accept);
        if (pipelineMode(pipeline, this.inference) === 'batch') {
            this.checkBounded(pipeline, accept);
        }
    }

    checkSource(source: Source, accept: ValidationAcceptor): void {
        const connector = source.connector;
        if (!connector) {
            return; // a syntax error, reported by the parser
        }
        const spec = this.checkConnector(connector, 'source', accept);
        const generated = source.options.filter(isGeneratedField);
        const hasSchema = source.schemaRef !== undefined || source.inlineSchema !== undefined;
        if (spec && (spec.name === 'csv' || spec.name === 'jsonl') && !hasSchema) {
            accept('error', `A ${spec.name} source needs a schema: write 'source ${source.name}: { field: type ... } = ...' or name a schema (the quick fix can infer it from the file).`,
                { node: source, property: 'name', data: { code: IssueCodes.MissingSchema, connector: spec.name, path: pathArgument(connector) } });
        }
        if (spec?.name === 'values' && !hasSchema) {
            accept('error', `A values source needs a schema: write 'source ${source.name}: { field: type ... } = values(...)'.`,
                { node: source, property: 'name', data: { code: IssueCodes.MissingSchema } });
        }
        if (spec?.name === 'datagen' && generated.length === 0) {
            accept('error', `A datagen source says how to generate each field in its block: 'source ${source.name} = datagen(count: 100) { id: long = sequence(1) }'.`,
                { node: source, property: 'connector', data: { code: IssueCodes.MissingSchema } });
        }
        if (spec?.name === 'datagen' && hasSchema && generated.length > 0) {
            // The block's fields are the schema; a second one could only disagree with it.
            accept('error', `A datagen source takes its schema from the fields of its block; drop the ': ...' schema of '${source.name}'.`,
                { node: source, property: source.schemaRef ? 'schemaRef' : 'inlineSchema', data: { code: IssueCodes.ConnectorArgument } });
        }
        if (spec && nexmarkKindOf(spec.name) && hasSchema) {
            // The generator decides the fields: a declared schema could only disagree with them.
            accept('error', `A Nexmark source has the fields of its event kind (docs/nexmark.md); drop the ': ...' schema of '${source.name}'.`,
                { node: source, property: source.schemaRef ? 'schemaRef' : 'inlineSchema', data: { code: IssueCodes.ConnectorArgument } });
        }
        if (spec?.name === 'text' && hasSchema) {
            // The text connector puts each line into the schema's one field.
            const fields = this.inference.schemaOfStream(source).fields;
            if (fields.length !== 1 || fields[0].type.kind !== 'string') {
                accept('error', `A text source yields one string per line, so its schema has exactly one string field (e.g. { line: string }).`,
                    { node: source, property: source.schemaRef ? 'schemaRef' : 'inlineSchema', data: { code: IssueCodes.ConnectorArgument } });
            }
        }
        if (spec && spec.name !== 'datagen' && generated.length > 0) {
            accept('error', `Generated fields are only for datagen sources; '${spec.name}' reads its fields from its input.`,
                { node: generated[0], data: { code: IssueCodes.UnknownConnectorOption } });
        }
        if (spec?.name === 'values') {
            const schema = this.inference.schemaOfStream(source);
            for (const arg of connector.args) {
                if (!isRecordLiteral(arg.value)) {
                    accept('error', `'values(...)' takes record literals, e.g. values({ id: 1, name: "a" }).`,
                        { node: arg, data: { code: IssueCodes.ConnectorArgument } });
                } else if (hasSchema) {
                    this.checkValuesRecord(arg.value, schema.fields, accept);
                }
            }
        }
        const policies = source.options.filter(isOnErrorOption);
        if (policies.length > 1) {
            accept('error', "'onError' is given more than once.", { node: policies[1], data: { code: IssueCodes.DuplicateName } });
        }
    }

    /**
     * A record of values(...) has every field of the source's schema (nullable ones may be left
     * out), with fitting types. Also a test's given and expected records (`owner` names the schema).
     */
    checkValuesRecord(
        record: RecordLiteral, fields: SchemaEntry[], accept: ValidationAcceptor,
        code: string = IssueCodes.ConnectorArgument, owner = "the source's schema"
    ): void {
        const Owner = owner.charAt(0).toUpperCase() + owner.slice(1);
        for (const field of record.fields) {
            const entry = fields.find((f) => f.name === field.name);
            if (!entry) {
                const suggestions = closestNames(field.name, fields.map((f) => f.name));
                accept('error', `${Owner} has no field '${field.name}'${suggestions.length ? `; did you mean ${listNames(suggestions)}?` : '.'}`,
                    { node: field, property: 'name', data: { code, suggestions } });
                continue;
            }
            const actual = this.typer.typeOf(field.value);
            // A written number is exact text, read into a decimal field at its scale (the runtime converts it).
            const decimalLiteral = entry.type.kind === 'decimal' && isNumber(actual) && isNumberText(field.value);
            if (!isUnknown(actual) && !isUnknown(entry.type) && !decimalLiteral && !isAssignable(actual, entry.type)) {
                accept('error', `The field '${field.name}' is ${formatType(entry.type)} in ${owner}, but this value is ${formatType(actual)}.`,
                    { node: field, property: 'value', data: { code } });
            } else if (actual.kind === 'null' && !isNullable(entry.type)) {
                accept('error', `The field '${field.name}' is not nullable (${formatType(entry.type)}), so it cannot be null.`,
                    { node: field, property: 'value', data: { code } });
            }
        }
        const missing = fields.filter((f) => !isNullable(f.type) && !record.fields.some((rf) => rf.name === f.name));
        if (missing.length > 0) {
            accept('error', `This record lacks ${listNames(missing.map((f) => f.name))}, which ${owner} requires (only nullable fields may be left out).`,
                { node: record, data: { code } });
        }
    }

    checkGeneratedField(field: GeneratedField, accept: ValidationAcceptor): void {
        const declared = this.inference.typeOfTypeRef(field.type);
        const actual = this.typer.typeOf(field.value);
        if (!isUnknown(declared) && !isUnknown(actual) && !isAssignable(actual, declared)) {
            accept('error', `The field '${field.name}' is declared ${formatType(declared)} but its generator yields ${formatType(actual)}.`,
                { node: field, property: 'value', data: { code: IssueCodes.GeneratedFieldType } });
        }
    }

    checkWatermark(option: WatermarkOption, accept: ValidationAcceptor): void {
        const source = option.$container;
        const name = option.field?.field.$refText;
        const entry = name === undefined ? undefined : this.inference.schemaOfStream(source).fields.find((f) => f.name === name);
        if (entry && !isUnknown(entry.type) && entry.type.kind !== 'timestamp') {
            accept('error', `A watermark needs a timestamp field, but '${entry.name}' is ${formatType(entry.type)}.`,
                { node: option, property: 'field', data: { code: IssueCodes.WatermarkFieldType } });
        }
    }

    checkSink(sink: Sink, accept: ValidationAcceptor): void {
        if (!sink.connector || !sink.input) {
            return; // a syntax error, reported by the parser
        }
        this.checkConnector(sink.connector, 'sink', accept);
        this.checkSideOutput(sink.input, accept);
    }

    /** `<source>.deadLetter` needs `onError deadLetter`; `<stream>.late` an event-time window. */
    checkSideOutput(ref: StreamRef, accept: ValidationAcceptor): void {
        const target = ref.stream?.ref;
        if (ref.side === 'deadLetter' && isSource(target)) {
            const policy = target.options.find(isOnErrorOption)?.policy;
            if (policy !== 'deadLetter') {
                accept('error', `'${target.name}' has no deadLetter side output: add 'onError deadLetter' to the source.`,
                    { node: ref, property: 'side', data: { code: IssueCodes.UnknownSideOutput } });
            }
        } else if (ref.side === 'deadLetter' && target) {
            accept('error', 'Only sources have a deadLetter side output.', { node: ref, property: 'side', data: { code: IssueCodes.UnknownSideOutput } });
        }
        if (ref.side === 'late' && target) {
            const eventWindow = isStream(target) && target.operators.some((o) => isWindowOp(o) && o.timeField);
            if (!eventWindow) {
                accept('error', `'${target.name}' has no late side output: only a stream with an event-time window has one.`,
                    { node: ref, property: 'side', data: { code: IssueCodes.UnknownSideOutput } });
            }
        }
    }

    checkConnector(connector: Connector, role: 'source' | 'sink', accept: ValidationAcceptor) {
        if (!connector.kind) {
            return undefined; // a syntax error, reported by the parser
        }
        const spec = findConnector(connector.kind);
        if (!spec || (spec.role !== role && spec.role !== 'both')) {
            const names = connectorsFor(role).map((c) => c.name);
            const suggestions = closestNames(connector.kind, names);
            accept('error', `'${connector.kind}' is not a ${role} connector; expected ${listNames(names)}.`,
                { node: connector, property: 'kind', data: { code: IssueCodes.UnknownConnector, suggestions, refText: connector.kind } });
            return undefined;
        }
        const positional = connector.args.filter((a) => !a.name);
        const unquotedPath = spec.path && positional.length > 0 && !isStringLiteral(positional[0].value) ? positional[0].$cstNode?.text : undefined;
        if (unquotedPath !== undefined) {
            // `csv(out/x.csv)` parses as a division of unknown fields: say what was meant, and only
            // that (the unknown fields inside are not reported, see FlowDocumentValidator).
            accept('error', `A path is a string: write ${spec.name}(${JSON.stringify(unquotedPath.replace(/\s+/g, ''))}).`,
                { node: positional[0], data: { code: IssueCodes.ConnectorArgument } });
        } else if (spec.path === 'required' && (positional.length === 0 || !isStringLiteral(positional[0].value))) {
            accept('error', `'${spec.name}' needs a file path as its first argument, e.g. ${spec.example}.`,
                { node: connector, property: 'kind', data: { code: IssueCodes.ConnectorArgument } });
        }
        if (spec.name !== 'values' && positional.length > (spec.path ? 1 : 0)) {
            accept('error', `'${spec.name}' takes ${spec.path ? 'one path and ' : ''}named options only (${Object.keys(spec.options).join(', ') || 'none'}).`,
                { node: positional[spec.path ? 1 : 0], data: { code: IssueCodes.ConnectorArgument } });
        }
        for (const arg of connector.args.filter((a) => a.name)) {
            const option = spec.options[arg.name!];
            if (!option) {
                const suggestions = closestNames(arg.name!, Object.keys(spec.options));
                accept('error', `'${spec.name}' has no option '${arg.name}'; its options are ${Object.keys(spec.options).map((o) => `'${o}'`).join(', ') || 'none'}.`,
                    { node: arg, property: 'name', data: { code: IssueCodes.UnknownConnectorOption, suggestions } });
                continue;
            }
            const ok = option.type === 'string' ? isStringLiteral(arg.value)
                : option.type === 'int' ? isNumberLiteral(arg.value) && Number.isInteger(arg.value.value)
                    : isBooleanLiteral(arg.value);
            if (!ok) {
                accept('error', `The option '${arg.name}' of ${spec.name} must be ${option.type === 'int' ? 'a whole number' : `a ${option.type}`} literal.`,
                    { node: arg, property: 'value', data: { code: IssueCodes.ConnectorArgument } });
            } else if (option.values && isStringLiteral(arg.value) && !option.values.includes(arg.value.value)) {
                accept('error', `The option '${arg.name}' of ${spec.name} must be ${listNames([...option.values])}, not "${arg.value.value}".`,
                    { node: arg, property: 'value', data: { code: IssueCodes.ConnectorArgument } });
            }
            if (option.role && option.role !== role) {
                accept('error', `The option '${arg.name}' of ${spec.name} applies to ${option.role}s only.`,
                    { node: arg, property: 'name', data: { code: IssueCodes.UnknownConnectorOption } });
            }
        }
        return spec;
    }

    private checkImports(model: Model, accept: ValidationAcceptor): void {
        const document = AstUtils.getDocument(model);
        const documents = this.services.shared.workspace.LangiumDocuments;
        const usedUris = new Set<string>();
        for (const ref of document.references) {
            const target = 'ref' in ref ? ref.ref : undefined;
            if (target) {
                usedUris.add(AstUtils.getDocument(target).uri.toString());
            }
        }
        for (const imp of model.imports) {
            if (imp.path === undefined) {
                continue; // a syntax error, reported by the parser
            }
            const uri = resolveImportUri(imp);
            const exists = documents.hasDocument(uri) || (uri.scheme === 'file' && existsSync(uri.fsPath) && statSync(uri.fsPath).isFile());
            if (!exists) {
                accept('error', `Cannot find the imported file '${imp.path}' (looked for ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}).`,
                    { node: imp, property: 'path', data: { code: IssueCodes.ImportNotFound } });
            } else if (!usedUris.has(uri.toString())) {
                accept('warning', `Nothing from '${imp.path}' is used in this file.`, { node: imp, data: { code: IssueCodes.UnusedImport } });
            }
        }
    }

    private checkCycles(pipeline: Pipeline, accept: ValidationAcceptor): void {
        const streams = pipeline.members.filter(isStream);
        for (const stream of streams) {
            const path = this.findCycle(stream, stream, new Set());
            if (path) {
                accept('error', `The stream '${stream.name}' depends on itself: ${[stream.name, ...path].join(' -> ')}.`,
                    { node: stream, property: 'name', data: { code: IssueCodes.Cycle } });
            }
        }
    }

    private findCycle(start: Stream, current: Stream, visited: Set<Stream>): string[] | undefined {
        for (const ref of streamRefsOf(current)) {
            const target = ref.stream?.ref;
            if (!isStream(target)) {
                continue;
            }
            if (target === start) {
                return [target.name];
            }
            if (!visited.has(target)) {
                visited.add(target);
                const rest = this.findCycle(start, target, visited);
                if (rest) {
                    return [target.name, ...rest];
                }
            }
        }
        return undefined;
    }

    private checkDangling(pipeline: Pipeline, named: (Source | Stream)[], accept: ValidationAcceptor): void {
        if (!pipeline.members.some(isSink)) {
            // One warning for the pipeline rather than one per stream (a cascade from one cause).
            // `stream` names the last stream or source, for an "add a print sink" fix.
            const last = named[named.length - 1];
            if (pipeline.name && named.length > 0) {
                accept('warning', `The pipeline '${pipeline.name}' has no sink, so it computes nothing: add one, e.g. 'sink ${last.name} -> print'.`,
                    { node: pipeline, property: 'name', data: { code: IssueCodes.PipelineWithoutSink, stream: last.name } });
            }
            return;
        }
        const read = new Set<Source | Stream>();
        for (const member of pipeline.members) {
            if (isStream(member) || isSink(member)) {
                for (const ref of streamRefsOf(member)) {
                    if (ref.stream?.ref && ref.side !== 'deadLetter' && ref.side !== 'late') {
                        read.add(ref.stream.ref);
                    }
                }
            }
        }
        // With an unknown stream name somewhere, which streams reach a sink is not known: the
        // unknown name is the one mistake to report.
        const refs = pipeline.members.flatMap((m) => isStream(m) || isSink(m) ? streamRefsOf(m) : []);
        if (refs.some((ref) => !ref.stream?.ref)) {
            return;
        }
        // A stream reaches a sink if a sink reads it, or a stream that reaches a sink reads it.
        const reaching = new Set<Source | Stream>(pipeline.members.filter(isSink).map((s) => s.input?.stream?.ref).filter((r): r is Source | Stream => r !== undefined));
        let changed = true;
        while (changed) {
            changed = false;
            for (const stream of pipeline.members.filter(isStream)) {
                if (reaching.has(stream)) {
                    for (const ref of streamRefsOf(stream)) {
                        const target = ref.stream?.ref;
                        if (target && !reaching.has(target)) {
                            reaching.add(target);
                            changed = true;
                        }
                    }
                }
            }
        }
        const duplicated = new Set(named.filter((n, i) => named.findIndex((m) => m.name === n.name) !== i).map((n) => n.name));
        for (const node of named) {
            // A name declared twice is reported as a duplicate; whether each copy is read is moot.
            if (!reaching.has(node) && node.name && !duplicated.has(node.name)) {
                const what = isSource(node) ? 'source' : 'stream';
                const detail = read.has(node) ? ' (it is read, but what reads it reaches no sink)' : '';
                accept('warning', `The ${what} '${node.name}' reaches no sink${detail}, so its records go nowhere.`,
                    { node, property: 'name', data: { code: IssueCodes.DanglingStream, stream: node.name } });
            }
        }
    }

    private checkBounded(pipeline: Pipeline, accept: ValidationAcceptor): void {
        for (const member of pipeline.members) {
            if (!isStream(member) && !isSink(member)) {
                continue;
            }
            for (const ref of streamRefsOf(member)) {
                const target = ref.stream?.ref;
                if (isSource(target) && !this.inference.schemaOfStream(target).bounded) {
                    const nexmark = nexmarkKindOf(target.connector?.kind) !== undefined;
                    accept('error', nexmark
                        ? `The source '${target.name}' is unbounded (nexmark without events), so this pipeline cannot run in batch mode: give it a number of events, or use 'mode streaming'.`
                        : `The source '${target.name}' is unbounded (datagen without count), so this pipeline cannot run in batch mode: give it a count, or use 'mode streaming'.`,
                        { node: ref, data: { code: IssueCodes.UnboundedInBatch } });
                }
            }
        }
    }
}

function reportDuplicates(nodes: { name: string }[], what: string, accept: ValidationAcceptor): void {
    const seen = new Map<string, number>();
    for (const node of nodes) {
        seen.set(node.name, (seen.get(node.name) ?? 0) + 1);
    }
    for (const node of nodes) {
        if ((seen.get(node.name) ?? 0) > 1) {
            accept('error', `The ${what} name '${node.name}' is declared more than once.`,
                { node: node as never, property: 'name', data: { code: IssueCodes.DuplicateName } });
        }
    }
}

function pathArgument(connector: Connector): string | undefined {
    const first = connector.args.find((a) => !a.name);
    return first && isStringLiteral(first.value) ? first.value.value : undefined;
}

/** A number literal, or a negated one. */
function isNumberText(value: Expression): boolean {
    return isNumberLiteral(value) || (isUnaryExpr(value) && value.operator === '-' && isNumberLiteral(value.operand));
}

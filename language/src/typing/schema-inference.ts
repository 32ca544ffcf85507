/**
 * Infers the schema of every stream through every operator. Results are cached for the current
 * state of the workspace (evicted on every change), because the scope provider asks for the same
 * schemas for each field reference while linking.
 */
import { isValidDecimal } from '../../../protocol/decimal-types.js';
import { AstUtils, WorkspaceCache, type AstNode } from 'langium';
import type { LangiumSharedCoreServices } from 'langium';
import {
    type Field, type InlineSchema, type Operator, type ProjectionItem, type Schema, type Source, type Stream,
    type StreamRef, type TypeRef, isAggregateOp, isFilterOp, isNamedKey, type AggregateOp, type ReduceOp, isFlatMapOp, isJoinOp, isKeyByOp, isMapOp,
    isLimitOp, isMemberAccess, isNameRef, isOrderByOp, isReduceOp, isSource, isStream, isUnionOp, isWindowOp, isGeneratedField, type JoinOp,
    isTopOp, isKeepOp, isUpsertOp, isOverOp, isCountWindow
} from '../generated/ast.js';
import { rankingOutput, updatingAfterMap, updatingAggregate } from './updating-rows.js';
import { DEAD_LETTER_SCHEMA, type PrimitiveTypeName } from '../../../protocol/logical-graph.js';
import { NEXMARK_KINDS, NEXMARK_SCHEMAS, nexmarkConnectorName, nexmarkKindOf } from '../../../protocol/nexmark.js';
import { type LangType, UNKNOWN, arrayOf, isNullable, primitive, toFlowType, withNullable } from './flow-types.js';
import { EMPTY_SCHEMA, findEntry, type SchemaEntry, type StreamSchema } from './stream-schema.js';
import type { ExpressionTyper } from './expression-typer.js';
import { streamRefsOf } from './pipeline-facts.js';

/** Sources that are unbounded unless counted: datagen(count: N), nexmark.*(events: N). */
const UNBOUNDED_UNLESS_COUNTED = new Set(['datagen', ...NEXMARK_KINDS.map(nexmarkConnectorName)]);

export class SchemaInference {
    private readonly cache: WorkspaceCache<AstNode, StreamSchema>;
    private readonly inProgress = new Set<AstNode>();
    private readonly cycles: WorkspaceCache<Stream, boolean>;
    private readonly inputs: WorkspaceCache<Stream, StreamSchema>;
    private readonly keyedScopes: WorkspaceCache<AstNode, StreamSchema>;

    /** `typer` resolves lazily: the typer and the inference call each other. */
    constructor(shared: LangiumSharedCoreServices, private readonly typerProvider: () => ExpressionTyper) {
        this.cache = new WorkspaceCache(shared);
        this.cycles = new WorkspaceCache(shared);
        this.inputs = new WorkspaceCache(shared);
        this.keyedScopes = new WorkspaceCache(shared);
    }

    /**
     * What the expressions of an aggregate or reduce see: its input's fields and the names of the
     * keys of `keyBy <expression> as name` (the key's value, the same for every row of a group).
     */
    aggregateScopeOf(op: AggregateOp | ReduceOp): StreamSchema {
        const input = this.inputSchemaOf(op);
        const named = (input.keyBy?.keys ?? []).filter(isNamedKey).filter((k) => Boolean(k.name));
        if (named.length === 0) return input;
        return this.keyedScopes.get(op, () => ({
            ...input,
            fields: [...input.fields, ...named.map((k) => ({ name: k.name, type: this.typer.typeOf(k.value), declaration: k }))]
        }));
    }

    private get typer(): ExpressionTyper {
        return this.typerProvider();
    }

    /** The schema of a source or named stream (its output). */
    schemaOfStream(node: Source | Stream): StreamSchema {
        return this.cached(node, () => isSource(node) ? this.sourceSchema(node) : this.streamOutput(node));
    }

    /** The schema a stream reference yields, including the side outputs `.deadLetter` and `.late`. */
    schemaOfStreamRef(ref: StreamRef | undefined): StreamSchema {
        const target = ref?.stream?.ref;
        if (!ref || !target) {
            return { ...EMPTY_SCHEMA, fields: [], incomplete: true };
        }
        const main = this.schemaOfStream(target);
        if (ref.side === 'deadLetter') {
            return {
                fields: DEAD_LETTER_SCHEMA.map((f) => ({ name: f.name, type: f.type, declaration: target })),
                windowedRows: false, bounded: main.bounded, eventTime: false
            };
        }
        if (ref.side === 'late' && isStream(target)) {
            const windowOp = target.operators.find(isWindowOp);
            return windowOp ? { ...this.inputSchemaOf(windowOp), keyBy: undefined, window: undefined } : main;
        }
        return main;
    }

    /** The schema flowing into `op`: the output of the operator before it, or the stream's input. */
    inputSchemaOf(op: Operator): StreamSchema {
        const stream = op.$container;
        const index = stream.operators.indexOf(op);
        return index === 0 ? this.streamInput(stream) : this.outputSchemaOf(stream.operators[index - 1]);
    }

    /** The schema `op` emits. */
    outputSchemaOf(op: Operator): StreamSchema {
        return this.cached(op, () => this.computeOutput(op, this.inputSchemaOf(op)));
    }

    /** The fields declared by a named or inline schema. */
    entriesOfSchemaNode(node: Schema | InlineSchema): SchemaEntry[] {
        return node.fields.map((f) => this.entryOfField(f));
    }

    /** The checked type of a written type. */
    typeOfTypeRef(ref: TypeRef | undefined): LangType {
        if (!ref) {
            return UNKNOWN;
        }
        let base: LangType;
        if (ref.primitive) {
            base = primitive(ref.primitive);
        } else if (ref.decimal) {
            const { precision, scale } = ref.decimal;
            // An impossible DECIMAL(p, s) is reported by the validator (invalid-decimal-type).
            if (!isValidDecimal(precision, scale)) return UNKNOWN;
            base = { kind: 'decimal', precision, scale };
        } else if (ref.record) {
            // A record type written out in place (`meta: { channel: string }`).
            base = { kind: 'record', fields: ref.record.fields.map((f) => ({ name: f.name, type: toFlowType(this.typeOfTypeRef(f.type)) })) };
        } else {
            const schema = ref.schema?.ref;
            if (!schema || this.inProgress.has(schema)) {
                return UNKNOWN;
            }
            this.inProgress.add(schema);
            try {
                base = { kind: 'record', fields: schema.fields.map((f) => ({ name: f.name, type: toFlowType(this.typeOfTypeRef(f.type)) })) };
            } finally {
                this.inProgress.delete(schema);
            }
        }
        const typed = ref.array ? arrayOf(base) : base;
        return withNullable(typed, ref.nullable);
    }

    private entryOfField(f: Field): SchemaEntry {
        return { name: f.name, type: this.typeOfTypeRef(f.type), declaration: f };
    }

    private sourceSchema(source: Source): StreamSchema {
        let fields: SchemaEntry[];
        const generated = source.options.filter(isGeneratedField);
        if (source.schemaRef?.ref) {
            fields = this.entriesOfSchemaNode(source.schemaRef.ref);
        } else if (source.inlineSchema) {
            fields = this.entriesOfSchemaNode(source.inlineSchema);
        } else if (generated.length > 0) {
            fields = generated.map((g) => ({ name: g.name, type: this.typeOfTypeRef(g.type), declaration: g }));
        } else if (nexmarkKindOf(source.connector?.kind)) {
            // A Nexmark source has its kind's fixed fields.
            fields = NEXMARK_SCHEMAS[nexmarkKindOf(source.connector.kind)!].map((f) => ({ name: f.name, type: primitive(f.type.kind as PrimitiveTypeName), declaration: source, sourceField: f.name }));
        } else if (source.connector?.kind === 'text') {
            // A text source without a schema yields one field per line.
            fields = [{ name: 'line', type: primitive('string'), declaration: source, sourceField: 'line' }];
        } else {
            fields = [];
        }
        const counted = source.connector?.args.some((a) => a.name === (nexmarkKindOf(source.connector.kind) ? 'events' : 'count')) ?? false;
        const bounded = !(UNBOUNDED_UNLESS_COUNTED.has(source.connector?.kind ?? '') && !counted);
        const eventTime = source.options.some((o) => o.$type === 'WatermarkOption');
        return { fields, windowedRows: false, bounded, eventTime };
    }

    /**
     * True when the stream reads itself, directly or through other streams (the validator
     * reports the cycle). Found from the stream references alone, before any field is typed:
     * typing a field of a cyclic stream would resolve that very field reference again.
     */
    inCycle(stream: Stream): boolean {
        const hit = this.cycles.get(stream);
        if (hit !== undefined) {
            return hit;
        }
        const seen = new Set<Stream>();
        const pending: Stream[] = [stream];
        let cyclic = false;
        while (pending.length > 0 && !cyclic) {
            const current = pending.pop()!;
            for (const ref of streamRefsOf(current)) {
                const target = ref.stream?.ref;
                if (target === stream) {
                    cyclic = true;
                } else if (isStream(target) && !seen.has(target)) {
                    seen.add(target);
                    pending.push(target);
                }
            }
        }
        this.cycles.set(stream, cyclic);
        return cyclic;
    }

    /** The schema at the start of a stream: its input, with unqualified fields qualified by the input's name. */
    private streamInput(stream: Stream): StreamSchema {
        // Cached: every field reference in a stream's first operator asks for it.
        const hit = this.inputs.get(stream);
        if (hit) {
            return hit;
        }
        const input = this.computeStreamInput(stream);
        this.inputs.set(stream, input);
        return input;
    }

    private computeStreamInput(stream: Stream): StreamSchema {
        if (this.inCycle(stream)) {
            return { ...EMPTY_SCHEMA, fields: [], incomplete: true };
        }
        const input = this.schemaOfStreamRef(stream.input);
        const qualifier = stream.input?.stream?.$refText ?? '';
        return { ...input, fields: input.fields.map((f) => f.qualifier ? f : { ...f, qualifier }) };
    }

    private streamOutput(stream: Stream): StreamSchema {
        const last = stream.operators[stream.operators.length - 1];
        return last ? this.outputSchemaOf(last) : this.streamInput(stream);
    }

    private computeOutput(op: Operator, input: StreamSchema): StreamSchema {
        const plain: StreamSchema = { ...input, keyBy: undefined, window: undefined };
        if (isFilterOp(op)) {
            return plain;
        }
        if (isMapOp(op)) {
            // A projection or a declared UDF result names every field: the schema is complete again.
            if (op.projection) {
                const fields = this.projectionEntries(op.projection.items);
                return { ...plain, incomplete: false, windowedRows: input.windowedRows, fields, updating: updatingAfterMap(input, op.projection.items) };
            }
            const schemaNode = op.schemaRef?.ref ?? op.inlineSchema;
            const updating = input.updating ? { ...input.updating, keyFields: undefined } : undefined;
            return { ...plain, incomplete: !schemaNode, fields: schemaNode ? this.entriesOfSchemaNode(schemaNode) : [], updating };
        }
        if (isTopOp(op) && input.windowedRows) {
            // Per window (window Top-N): each window's rows are final once it is complete, an append stream.
            const fields = op.name ? [...input.fields, { name: op.name, type: primitive('long'), declaration: op }] : input.fields;
            return { ...input, keyBy: undefined, window: undefined, fields, updating: undefined };
        }
        if (isTopOp(op) || isKeepOp(op)) {
            return rankingOutput(op, input);
        }
        if (isUpsertOp(op)) {
            return { ...plain, updating: undefined };
        }
        if (isFlatMapOp(op)) {
            const valueType = this.typer.typeOf(op.value);
            const element: LangType = valueType.kind === 'array' ? valueType.element : UNKNOWN;
            return { ...plain, fields: [...input.fields.filter((f) => f.name !== op.name), { name: op.name ?? '', type: element, declaration: op }] };
        }
        if (isKeyByOp(op)) {
            return { ...input, keyBy: op, window: undefined };
        }
        if (isWindowOp(op)) {
            return { ...input, window: op };
        }
        if (isOverOp(op)) {
            // Every input row, with its aggregates beside its fields.
            return { ...plain, windowedRows: false, acrossWindows: false, fields: [...input.fields, ...this.projectionEntries(op.projection?.items ?? [])] };
        }
        if (isAggregateOp(op) || isReduceOp(op)) {
            // Rows of count windows have no window bounds: they do not stand per window for a ranking.
            const windowed = input.window !== undefined && isAggregateOp(op) && !isCountWindow(input.window.kind);
            const items = op.projection?.items ?? [];
            const updating = input.window === undefined ? updatingAggregate(op, input, items) : undefined;
            return { ...plain, incomplete: false, windowedRows: windowed, acrossWindows: false, fields: this.projectionEntries(items), updating };
        }
        if (isJoinOp(op)) {
            return this.joinOutput(op, input);
        }
        if (isUnionOp(op)) {
            const others = op.others.map((o) => this.schemaOfStreamRef(o));
            // A field is nullable after the union when it is nullable in any input.
            const fields = input.fields.map((f) => others.some((o) => isNullable(findEntry(o, f.name)?.type ?? f.type))
                ? { ...f, type: withNullable(f.type, true) } : f);
            return {
                ...plain, fields, bounded: input.bounded && others.every((o) => o.bounded),
                incomplete: input.incomplete || others.some((o) => o.incomplete)
            };
        }
        if ((isOrderByOp(op) || isLimitOp(op)) && op.acrossWindows && input.windowedRows) {
            // Ranked across windows: the rows no longer stand per window.
            return { ...input, windowedRows: false, acrossWindows: true };
        }
        // distinct, orderBy, limit, rebalance, broadcast, parallelism keep the schema and its properties.
        return input;
    }

    private projectionEntries(items: ProjectionItem[]): SchemaEntry[] {
        return items.map((item) => {
            const type = this.typer.typeOf(item.value);
            // A field passed on (`{ ts }`, `{ at: ts }`, `{ bids.ts }`) keeps which field of a source it is.
            const passedOn = isNameRef(item.value) ? this.typer.entryOfNameRef(item.value)
                : isMemberAccess(item.value) ? this.typer.entryOfMemberAccess(item.value) : undefined;
            const sourceField = passedOn?.sourceField === undefined ? {} : { sourceField: passedOn.sourceField };
            if (item.name) {
                return { name: item.name, type, declaration: item, ...sourceField };
            }
            // A bare reference keeps its name and points at the original declaration.
            if (isNameRef(item.value)) {
                return { name: item.value.ref.$refText, type, declaration: item.value.ref.ref ?? item, ...sourceField };
            }
            if (isMemberAccess(item.value)) {
                return { name: item.value.member.$refText, type, declaration: item.value.member.ref ?? item, ...sourceField };
            }
            return { name: '', type, declaration: item };
        });
    }

    /** Left fields keep their names; a right field whose name clashes becomes `<right>_<name>`. */
    private joinOutput(op: JoinOp, left: StreamSchema): StreamSchema {
        const right = this.schemaOfStreamRef(op.right);
        const rightName = op.right?.stream?.$refText ?? '';
        const taken = new Set(left.fields.map((f) => f.name));
        const rightFields = right.fields.map((f): SchemaEntry => {
            const original = f.originalName ?? f.name;
            const name = taken.has(original) ? `${rightName}_${original}` : original;
            return {
                name, originalName: original, qualifier: rightName, declaration: f.declaration, sourceField: f.sourceField,
                type: op.left ? withNullable(f.type, true) : f.type
            };
        });
        return {
            fields: [...left.fields, ...rightFields], windowedRows: false, updating: undefined,
            bounded: left.bounded && right.bounded, eventTime: left.eventTime || right.eventTime,
            incomplete: left.incomplete || right.incomplete
        };
    }

    private cached(node: AstNode, compute: () => StreamSchema): StreamSchema {
        const hit = this.cache.get(node);
        if (hit) {
            return hit;
        }
        if (this.inProgress.has(node)) {
            // A cycle (reported by the validator): stop here with an empty, unknown schema.
            return { ...EMPTY_SCHEMA, fields: [] };
        }
        this.inProgress.add(node);
        try {
            const result = compute();
            this.cache.set(node, result);
            return result;
        } finally {
            this.inProgress.delete(node);
        }
    }
}


/** The source or stream an AST node belongs to, if any. */
export function enclosingStreamOrSource(node: AstNode): Source | Stream | undefined {
    return AstUtils.getContainerOfType(node, (n): n is Source | Stream => isSource(n) || isStream(n));
}

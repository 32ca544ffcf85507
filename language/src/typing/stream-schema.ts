/**
 * What the checker knows about a stream at one point of a pipeline: its fields (with the AST
 * node that declared each, for go-to-definition and rename) and the properties that decide which
 * operators may follow (keyed, windowed, bounded, event time).
 */
import type { AstNode } from 'langium';
import { type KeyByOp, type ProjectionItem, type WindowOp, isProjectionItem, isWindowProperty } from '../generated/ast.js';
import type { LangType } from './flow-types.js';

/** One field of a stream. */
export interface SchemaEntry {
    /** The field's name in the record (after a join, a clashing right-hand field is `<stream>_<name>`). */
    name: string;
    type: LangType;
    /** The node that declared the field: a schema field, projection item, generated field, flatMap. */
    declaration?: AstNode;
    /** The stream the field came from, so `orders.amount` can find it after a join. */
    qualifier?: string;
    /** The field's own name where `name` was changed to avoid a clash. */
    originalName?: string;
    /**
     * A field a connector declares without a node of its own (the fields of a `nexmark.*` source,
     * `line` of a text source) has the source as its declaration, as all its siblings do: this is
     * its name in the source, which tells them apart (and is kept through joins and projections
     * passing the field on), e.g. to know which one a watermark is on.
     */
    sourceField?: string;
}

export interface StreamSchema {
    fields: SchemaEntry[];
    /** The keyBy that a following keyed operator (window, aggregate, reduce) consumes. */
    keyBy?: KeyByOp;
    /** The window that a following aggregate/reduce consumes. */
    window?: WindowOp;
    /** Rows belong to a window (output of a windowed aggregate): orderBy/limit act per window. */
    windowedRows: boolean;
    /**
     * The rows of windowed aggregates taken all together (after `orderBy/limit ... across
     * windows`): final rows, not per window, which a ranking may sort at the end of bounded input.
     */
    acrossWindows?: boolean;
    /**
     * In streaming mode the rows are updates (an aggregate without window, a Top-N): each row is
     * the newest version of the row with the same `keyFields` (undefined: the key is not among
     * the columns). `producer` is the operator that made them updating. Batch mode has final rows.
     */
    updating?: { keyFields: string[] | undefined; producer: AstNode };
    /** Every source upstream is bounded. */
    bounded: boolean;
    /** Some source upstream declares a watermark. */
    eventTime: boolean;
    /**
     * The fields may be incomplete because of a mistake reported elsewhere (an unknown input
     * stream, a cycle): unknown names in this scope are then not reported again.
     */
    incomplete?: boolean;
}

export const EMPTY_SCHEMA: StreamSchema = { fields: [], windowedRows: false, bounded: true, eventTime: false };

/** The entry called `name`: by its record name, else by its original name when that is unique. */
export function findEntry(schema: StreamSchema, name: string): SchemaEntry | undefined {
    const exact = schema.fields.find((f) => f.name === name);
    if (exact) {
        return exact;
    }
    const byOriginal = schema.fields.filter((f) => f.originalName === name);
    return byOriginal.length === 1 ? byOriginal[0] : undefined;
}

/** The entry `qualifier.name` (after a join, or on the input stream of a pipeline step). */
export function findQualifiedEntry(schema: StreamSchema, qualifier: string, name: string): SchemaEntry | undefined {
    return schema.fields.find((f) => f.qualifier === qualifier && (f.originalName ?? f.name) === name);
}

/** True when some field of the schema came from the stream `qualifier`. */
export function hasQualifier(schema: StreamSchema, qualifier: string): boolean {
    return schema.fields.some((f) => f.qualifier === qualifier);
}

/** A field holding window.start or window.end, and the aggregate projection item that made it. */
export interface WindowColumn {
    name: string;
    property: 'start' | 'end';
    item: ProjectionItem;
}

/**
 * Every field holding window.start or window.end in the rows of a windowed aggregate: per-window
 * orderBy/limit group by them (like Flink SQL's window Top-N, which partitions by window_start,
 * window_end).
 */
export function windowColumnsOf(schema: StreamSchema): WindowColumn[] {
    const columns: WindowColumn[] = [];
    for (const f of schema.fields) {
        const item = f.declaration;
        if (isProjectionItem(item) && isWindowProperty(item.value)) {
            columns.push({ name: f.name, property: item.value.property as 'start' | 'end', item });
        }
    }
    return columns;
}

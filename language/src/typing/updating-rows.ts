/**
 * Which streams are updating (Flink's upsert changelog) and by which key: an aggregate without a
 * window emits, in streaming mode, a new version of its key's row after every record; a Top-N a
 * new version of the rows whose rank changed. The key tells a reader (the results view, the CLI
 * display) which earlier row an update replaces. Also the schema a ranking operator emits.
 */
import {
    type AggregateOp, type KeepOp, type ProjectionItem, type ReduceOp, type TopOp, isNameRef, isNamedKey, isWindowOp
} from '../generated/ast.js';
import { primitive } from './flow-types.js';
import { sourcesUpstreamOf, eventTimeEntries } from './event-time-fields.js';
import type { StreamSchema } from './stream-schema.js';
import { streamRefsOf } from './pipeline-facts.js';

/** The names of the keyBy keys that are plain fields (undefined when one is an expression). */
export function keyFieldNames(input: StreamSchema): string[] | undefined {
    const keys = input.keyBy?.keys ?? [];
    const names = keys.map((k) => isNameRef(k) ? k.ref.$refText : isNamedKey(k) ? k.name : undefined);
    return names.every((n): n is string => n !== undefined) ? names : undefined;
}

/**
 * An aggregate (or reduce) without a window: updating, keyed by the output columns that carry
 * the keyBy keys as they are (a global aggregate: one row, so the empty key).
 */
export function updatingAggregate(op: AggregateOp | ReduceOp, input: StreamSchema, items: ProjectionItem[]): StreamSchema['updating'] {
    const keys = keyFieldNames(input);
    if (keys === undefined) return { keyFields: undefined, producer: op };
    const outputNames = keys.map((key) => {
        const item = items.find((i) => isNameRef(i.value) && i.value.ref.$refText === key);
        return item ? item.name ?? key : undefined;
    });
    return { keyFields: outputNames.every((n): n is string => n !== undefined) ? outputNames : undefined, producer: op };
}

/** After a projection: still updating; the key survives where the projection keeps its fields (renamed or not). */
export function updatingAfterMap(input: StreamSchema, items: ProjectionItem[]): StreamSchema['updating'] {
    if (!input.updating) return undefined;
    const keyFields = input.updating.keyFields?.map((key) => {
        const item = items.find((i) => isNameRef(i.value) && i.value.ref.$refText === key);
        return item ? item.name ?? key : undefined;
    });
    const kept = keyFields !== undefined && keyFields.every((n): n is string => n !== undefined) ? keyFields : undefined;
    return { keyFields: kept, producer: input.updating.producer };
}

/**
 * What `top` and `keep` emit: the input's fields (plus the rank column of `top ... as rank`), an
 * updating stream keyed by the keyBy keys and the rank; `keep first` by the event time is
 * append-only (each key's first row is final once the watermark passes it), and so is
 * `keep ... until t` (each key's row is final once the watermark passes `t`).
 */
export function rankingOutput(op: TopOp | KeepOp, input: StreamSchema): StreamSchema {
    const fields = [...input.fields];
    const isTop = op.$type === 'TopOp';
    if (isTop && op.name) {
        fields.push({ name: op.name, type: primitive('long'), declaration: op });
    }
    const plain: StreamSchema = { ...input, keyBy: undefined, window: undefined, windowedRows: false, fields };
    if (!isTop && (op.until !== undefined || finalOnWatermark(op, input))) {
        return { ...plain, updating: undefined };
    }
    const keys = keyFieldNames(input);
    let keyFields: string[] | undefined;
    if (keys !== undefined) {
        if (isTop && op.name) keyFields = [...keys, op.name];
        else if (!isTop || op.count === 1) keyFields = keys;
    }
    return { ...plain, updating: { keyFields, producer: op } };
}

/**
 * `keep first by t` where `t` is the event-time field (ascending): each key's first row is final
 * once the watermark has passed its time, so the result is append-only (Flink's deduplication
 * keeping the first row on event time).
 */
export function finalOnWatermark(op: KeepOp | TopOp, input: StreamSchema): boolean {
    if (op.$type !== 'KeepOp' || op.until !== undefined || op.which !== 'first' || op.keys.length !== 1 || op.keys[0].direction === 'desc') return false;
    const key = op.keys[0].value;
    if (!isNameRef(key)) return false;
    const stream = op.$container;
    const sources = sourcesUpstreamOf(streamRefsOf(stream));
    const name = key.ref.$refText;
    return eventTimeEntries(input, sources).some((f) => f.name === name) && !stream.operators.some(isWindowOp);
}

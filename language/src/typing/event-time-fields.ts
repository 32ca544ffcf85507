/**
 * Which fields of a stream still hold a source's event time (the field its `watermark` is
 * declared on), followed through projections that pass the field on by name (`{ id, ts }`,
 * `{ at: ts }`). A temporal join needs this on both sides: the left record's time (`as of ts`)
 * and the right side's version time must be event-time fields, as Flink's time attributes are.
 */
import type { AstNode } from 'langium';
import {
    type JoinOp, type Source, type StreamRef, isMemberAccess, isNameRef, isProjectionItem, isSource, isStream
} from '../generated/ast.js';
import { streamRefsOf } from './pipeline-facts.js';
import type { SchemaEntry, StreamSchema } from './stream-schema.js';

/** The sources a stream reference reads, through every stream, join and union upstream. */
export function sourcesUpstreamOf(refs: (StreamRef | undefined)[]): Source[] {
    const sources: Source[] = [];
    const seen = new Set<AstNode>();
    const pending = refs.map((r) => r?.stream?.ref).filter((t): t is NonNullable<typeof t> => t !== undefined);
    while (pending.length > 0) {
        const target = pending.pop()!;
        if (seen.has(target)) continue;
        seen.add(target);
        if (isSource(target)) sources.push(target);
        else if (isStream(target)) for (const ref of streamRefsOf(target)) if (ref.stream?.ref) pending.push(ref.stream.ref);
    }
    return sources;
}

/** The sources feeding the left side of a join: the stream's input and the operators before the join. */
export function sourcesLeftOf(op: JoinOp): Source[] {
    const stream = op.$container;
    const before = stream.operators.slice(0, stream.operators.indexOf(op));
    const refs: StreamRef[] = [stream.input];
    for (const o of before) {
        if (o.$type === 'JoinOp' && o.right) refs.push(o.right);
        else if (o.$type === 'UnionOp') refs.push(...o.others);
    }
    return sourcesUpstreamOf(refs);
}

/**
 * The entries of `schema` that hold the event time of one of `sources`, in schema order. A
 * field is followed back to its declaration; the fields a connector declares without a node of
 * their own (a `nexmark.*` source's) share the source as declaration and are told apart by name.
 */
export function eventTimeEntries(schema: StreamSchema, sources: Source[]): SchemaEntry[] {
    const watermarkFields = new Set<AstNode>();
    /** Per source whose fields have no nodes of their own, the name of the field its watermark is on. */
    const watermarkSourceFields = new Map<AstNode, string>();
    for (const source of sources) {
        for (const option of source.options) {
            if (option.$type !== 'WatermarkOption') continue;
            const field = option.field?.field?.ref;
            if (field === undefined) continue;
            if (isSource(field)) watermarkSourceFields.set(field, option.field.field.$refText);
            else watermarkFields.add(field);
        }
    }
    if (watermarkFields.size === 0 && watermarkSourceFields.size === 0) return [];
    return schema.fields.filter((f) => {
        if (f.declaration === undefined) return false;
        const root = rootDeclaration(f.declaration);
        return isSource(root) ? f.sourceField !== undefined && watermarkSourceFields.get(root) === f.sourceField : watermarkFields.has(root);
    });
}

/** The declaration a field was passed on from: `{ ts }` and `{ at: ts }` lead back to `ts`'s declaration. */
function rootDeclaration(declaration: AstNode): AstNode {
    let current = declaration;
    for (let depth = 0; depth < 100 && isProjectionItem(current); depth++) {
        const value = current.value;
        const next = isNameRef(value) ? value.ref?.ref : isMemberAccess(value) ? value.member?.ref : undefined;
        if (!next || next === current) break;
        current = next;
    }
    return current;
}

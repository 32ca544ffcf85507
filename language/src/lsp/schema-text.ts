/**
 * How a stream's schema reads in the editor: inline for inlay hints (`{ id: string, n: long }`),
 * as a block for hovers, and as `.flow` source for the "write out the schema" quick fix.
 */
import { formatType } from '../typing/flow-types.js';
import type { StreamSchema } from '../typing/stream-schema.js';

/** `{ id: string, amount: double }`, shortened after `maxFields` fields. */
export function formatSchemaInline(schema: StreamSchema, maxFields = 8): string {
    const shown = schema.fields.slice(0, maxFields).map((f) => `${f.name}: ${formatType(f.type)}`);
    if (schema.fields.length > maxFields) shown.push(`… +${schema.fields.length - maxFields}`);
    return shown.length === 0 ? '{}' : `{ ${shown.join(', ')} }`;
}

/** One field per line, with what the next operator can rely on (keyed, windowed, bounded). */
export function formatSchemaBlock(schema: StreamSchema): string {
    const lines = schema.fields.map((f) => `    ${f.name}: ${formatType(f.type)}`);
    return lines.length === 0 ? '{}' : `{\n${lines.join('\n')}\n}`;
}

/** `keyed · windowed · unbounded · event time`: the properties that decide which operators may follow. */
export function describeSchemaProperties(schema: StreamSchema): string {
    const parts: string[] = [];
    if (schema.keyBy) parts.push('keyed');
    if (schema.window) parts.push('windowed');
    if (schema.windowedRows) parts.push('rows per window');
    parts.push(schema.bounded ? 'bounded' : 'unbounded');
    if (schema.eventTime) parts.push('event time');
    return parts.join(' · ');
}

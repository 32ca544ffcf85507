/**
 * Checks of a partitioned file sink (`sink bids -> csv("out/bids") partitioned by dt, hm`): only
 * csv and jsonl write folders of files; each partition field is named once, is a field of the
 * stream whose values make folder names (strings, whole numbers, dates, booleans), and at least one
 * field is left for the files themselves.
 */
import type { ValidationAcceptor } from 'langium';
import type { Sink } from '../generated/ast.js';
import type { FlowServices } from '../flow-module.js';
import { formatType } from '../typing/flow-types.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import { IssueCodes } from './issue-codes.js';

/** The connectors that can write a folder of partitions. */
const PARTITIONED_CONNECTORS = new Set(['csv', 'jsonl']);
/** Types whose values name a folder exactly (Flink's partition columns are such types too). */
const PARTITION_TYPES = new Set(['string', 'int', 'long', 'date', 'boolean']);

export class PartitionedSinkChecks {
    private readonly inference: SchemaInference;

    constructor(services: FlowServices) {
        this.inference = services.typing.SchemaInference;
    }

    checkPartitions(sink: Sink, accept: ValidationAcceptor): void {
        if (sink.partitionBy.length === 0 || !sink.connector || !sink.input) return;
        if (!PARTITIONED_CONNECTORS.has(sink.connector.kind)) {
            accept('error', `Only a csv or jsonl sink can be partitioned: 'partitioned by' writes a folder per value, and ${sink.connector.kind} writes no files.`,
                { node: sink, property: 'connector', data: { code: IssueCodes.PartitionedSink } });
            return;
        }
        const schema = this.inference.schemaOfStreamRef(sink.input);
        const seen = new Set<string>();
        for (const [index, ref] of sink.partitionBy.entries()) {
            const name = ref.field?.$refText ?? '';
            if (seen.has(name)) {
                accept('error', `'${name}' is named twice in 'partitioned by'.`, { node: sink, property: 'partitionBy', index, data: { code: IssueCodes.PartitionedSink } });
                continue;
            }
            seen.add(name);
            const field = schema.fields.find((f) => f.name === name);
            if (!field) continue; // an unknown field: the linker reports it
            if (field.type.kind !== 'unknown' && !PARTITION_TYPES.has(field.type.kind)) {
                accept('error', `A partition folder is named after the value of '${name}', a ${formatType(field.type)}: partition by a string, int, long, date or boolean field (e.g. a formatted time: 'hm: date_format(dateTime, "HH-mm")').`,
                    { node: sink, property: 'partitionBy', index, data: { code: IssueCodes.PartitionedSink } });
            }
        }
        if (schema.fields.length > 0 && schema.fields.every((f) => seen.has(f.name))) {
            accept('error', `Every field of '${sink.input.stream?.$refText}' would be a partition folder, leaving nothing for the files: keep at least one field out of 'partitioned by'.`,
                { node: sink, property: 'partitionBy', data: { code: IssueCodes.PartitionedSink } });
        }
    }
}

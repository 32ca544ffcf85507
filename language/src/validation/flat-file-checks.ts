/**
 * csv files have flat columns: a csv source or sink of a stream with a record-typed field (a
 * nested record, `meta: { channel: string }`) is refused with a diagnostic naming the field, so
 * no row fails at run time and no sink writes JSON text into a cell that Flink would write
 * otherwise. jsonl reads and writes nested records as nested JSON objects.
 */
import type { ValidationAcceptor } from 'langium';
import type { Sink, Source } from '../generated/ast.js';
import type { FlowServices } from '../flow-module.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import { formatType, type LangType } from '../typing/flow-types.js';
import type { SchemaEntry } from '../typing/stream-schema.js';
import { IssueCodes } from './issue-codes.js';

export class FlatFileChecks {
    private readonly inference: SchemaInference;

    constructor(services: FlowServices) {
        this.inference = services.typing.SchemaInference;
    }

    checkSource(source: Source, accept: ValidationAcceptor): void {
        if (source.connector?.kind !== 'csv') return;
        const field = firstNested(this.inference.schemaOfStream(source).fields);
        if (field) {
            accept('error', `A csv file has flat columns, but the field '${field.name}' is a record (${formatType(field.type)}): read the file as jsonl, or declare the column as a string.`,
                { node: source.connector, data: { code: IssueCodes.CsvNestedRecord } });
        }
    }

    checkSink(sink: Sink, accept: ValidationAcceptor): void {
        if (sink.connector?.kind !== 'csv' || !sink.input) return;
        const field = firstNested(this.inference.schemaOfStreamRef(sink.input).fields);
        if (field) {
            accept('error', `A csv file has flat columns, but the field '${field.name}' is a record (${formatType(field.type)}): write jsonl (nested objects), or flatten it first (map { ..., ${field.name}_${firstFieldName(field.type)}: ${field.name}.${firstFieldName(field.type)} }).`,
                { node: sink.connector, data: { code: IssueCodes.CsvNestedRecord } });
        }
    }
}

function isNested(type: LangType): boolean {
    return type.kind === 'record' || (type.kind === 'array' && isNested(type.element));
}

function firstNested(fields: readonly SchemaEntry[]): SchemaEntry | undefined {
    return fields.find((f) => isNested(f.type));
}

function firstFieldName(type: LangType): string {
    const record = type.kind === 'array' ? type.element : type;
    return record.kind === 'record' && record.fields.length > 0 ? record.fields[0].name : 'field';
}

/**
 * Checks of Top-N and deduplication (`top`, `keep`) and of updating streams: in streaming mode an
 * aggregate without a window and a Top-N emit updates (Flink's upsert changelog), which only
 * operators that keep each key's latest row can read; files, which are only appended to, need
 * the updates made into plain rows first (`| upsert`).
 */
import type { AstNode, ValidationAcceptor } from 'langium';
import { AstUtils } from 'langium';
import {
    type AggregateOp, type Expression, type KeepOp, type Operator, type Pipeline, type ReduceOp, type Sink, type Stream, type TopOp, type UpsertOp,
    isAggregateOp, isJoinOp, isReduceOp, isUnionOp, isWindowOp
} from '../generated/ast.js';
import type { FlowServices } from '../flow-module.js';
import type { ExpressionTyper } from '../typing/expression-typer.js';
import { formatType, isComparable, isUnknown } from '../typing/flow-types.js';
import { pipelineMode } from '../typing/pipeline-facts.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import type { StreamSchema } from '../typing/stream-schema.js';
import { keyFieldNames } from '../typing/updating-rows.js';
import { IssueCodes } from './issue-codes.js';

/** Operators that would take each update for a new row (orderBy/limit have their own streaming check). */
const NOT_FOR_UPDATES = new Set(['FilterOp', 'FlatMapOp', 'WindowOp', 'AggregateOp', 'ReduceOp', 'TopOp', 'KeepOp', 'DistinctOp', 'JoinOp', 'UnionOp', 'OverOp']);

/** File sinks, which can only append rows. */
const APPEND_ONLY_SINKS = new Set(['csv', 'jsonl']);

export class RankingChecks {
    private readonly typer: ExpressionTyper;
    private readonly inference: SchemaInference;

    constructor(services: FlowServices) {
        this.typer = services.typing.ExpressionTyper;
        this.inference = services.typing.SchemaInference;
    }

    checkRanking(op: TopOp | KeepOp, accept: ValidationAcceptor): void {
        for (const key of op.keys) {
            const type = key.value ? this.typer.typeOf(key.value) : undefined;
            if (type && !isUnknown(type) && !isComparable(type, type)) {
                accept('error', `Rows cannot be ordered by a ${formatType(type)}.`, { node: key, property: 'value', data: { code: IssueCodes.OperandType } });
            }
        }
        if (op.$type === 'KeepOp' && op.until) this.checkUntil(op, op.until, accept);
        if (op.$type !== 'TopOp') return;
        if (op.count < 1) {
            accept('error', `'top' keeps the first N rows of each key, so N must be at least 1.`, { node: op, property: 'count', data: { code: IssueCodes.InvalidTopCount } });
            return;
        }
        const perWindow = this.inference.inputSchemaOf(op).windowedRows;
        if (op.withTies && !perWindow) {
            accept('error', `'with ties' keeps every row tied with the N-th, which only a ranking of final rows can do: put 'top ... with ties' right after a windowed aggregate (it then ranks each window once it is complete).`,
                { node: op, property: 'withTies', data: { code: IssueCodes.TiesWithoutWindow } });
        }
        if (op.count > 1 && !op.name && op.keys.length > 0 && this.isStreaming(op) && !perWindow) {
            accept('error', `In streaming mode 'top ${op.count}' is an updating table, one row per key and rank: name the rank column (e.g. 'top ${op.count} by ${op.keys.map(textOf).join(', ')} as rank') so each update says which row it replaces. Or 'keep first|last' for one row per key.`,
                { node: op, property: 'count', data: { code: IssueCodes.TopWithoutRank } });
        }
    }

    /** `keep ... until t`: `t` is a timestamp, compared with the watermark, so the input has an event time. */
    private checkUntil(op: KeepOp, until: Expression, accept: ValidationAcceptor): void {
        const type = this.typer.typeOf(until);
        if (type && !isUnknown(type) && type.kind !== 'timestamp') {
            accept('error', `'until' closes each key once the watermark passes a time of its rows, so it takes a timestamp, but this is ${formatType(type)}.`,
                { node: op, property: 'until', data: { code: IssueCodes.KeepUntil } });
            return;
        }
        const input = this.inference.inputSchemaOf(op);
        if (!input.incomplete && !input.eventTime) {
            accept('error', `'until' closes each key once the watermark passes its time, but no source upstream declares a watermark: add 'watermark <time field> - 5s' to the source.`,
                { node: op, property: 'until', data: { code: IssueCodes.KeepUntil } });
        }
    }

    checkUpsert(op: UpsertOp, accept: ValidationAcceptor): void {
        const input = this.inference.inputSchemaOf(op);
        if (!input.updating && !input.incomplete) {
            accept('warning', "'upsert' has no effect here: these rows are not updates (only an aggregate without a window and 'top'/'keep' emit updates).",
                { node: op, data: { code: IssueCodes.UpsertUnused } });
        }
    }

    /** In streaming mode, operators that would take updates for new rows may not read an updating stream. */
    checkUpdatingInputs(stream: Stream, accept: ValidationAcceptor): void {
        if (!this.isStreaming(stream)) return;
        for (const op of stream.operators) {
            if (!NOT_FOR_UPDATES.has(op.$type)) continue;
            const inputs: StreamSchema[] = [this.inference.inputSchemaOf(op)];
            if (isJoinOp(op) && op.right) inputs.push(this.inference.schemaOfStreamRef(op.right));
            if (isUnionOp(op)) inputs.push(...op.others.map((o) => this.inference.schemaOfStreamRef(o)));
            const updating = inputs.find((i) => i.updating)?.updating;
            if (!updating) continue;
            if ((isAggregateOp(op) || isReduceOp(op)) && this.retractsUpdates(op, inputs[0], updating.keyFields, accept)) continue;
            const word = firstWord(op);
            accept('error', `'${word}' cannot read an updating stream: in streaming mode the rows of '${firstWord(updating.producer)}' are updates, each replacing the earlier row ${keyText(updating.keyFields)}, and '${word}' would take every update for a new row. Window the aggregation so its rows are final, or add '| upsert' before '${word}' to treat each update as a plain row.`,
                { node: op, data: { code: IssueCodes.UpdatingInput } });
        }
    }

    /**
     * An aggregate without a window may read an updating stream when each of its groups is made of
     * whole keys of the updates (its keyBy fields are among the updates' key fields): an update then
     * takes the earlier row of its key out of the same group's aggregate and adds the new row (a
     * retraction), and a group, once it has a row, never loses it. True when it may.
     */
    private retractsUpdates(op: AggregateOp | ReduceOp, input: StreamSchema, updateKey: string[] | undefined, accept: ValidationAcceptor): boolean {
        if (op.$container.operators.some(isWindowOp)) return false;
        const word = firstWord(op);
        const groupKeys = keyFieldNames(input);
        if (updateKey === undefined || groupKeys === undefined) {
            accept('error', `'${word}' cannot read these updates: their key is not a set of plain fields, so an update cannot say which earlier row it replaces. Keep the key fields as they are in the projection before it, or add '| upsert' before '${word}' to treat each update as a plain row.`,
                { node: op, data: { code: IssueCodes.UpdatingInput } });
            return true;
        }
        const outside = groupKeys.filter((k) => !updateKey.includes(k));
        if (outside.length > 0) {
            accept('error', `'${word}' over updates must group by fields of the updates' key (${updateKey.map((k) => `'${k}'`).join(', ')}), so each update replaces a row of the same group; ${outside.map((k) => `'${k}'`).join(', ')} ${outside.length === 1 ? 'is' : 'are'} not among them. Group by some of the key fields, or add '| upsert' before '${word}' to treat each update as a plain row.`,
                { node: op, data: { code: IssueCodes.UpdatingInput } });
        }
        return true;
    }

    /** A file can only be appended to: it refuses an updating stream in streaming mode. */
    checkSinkInput(sink: Sink, accept: ValidationAcceptor): void {
        if (!sink.input?.stream?.ref || !sink.connector || !APPEND_ONLY_SINKS.has(sink.connector.kind)) return;
        if (!this.isStreaming(sink)) return;
        const input = this.inference.schemaOfStreamRef(sink.input);
        if (!input.updating) return;
        const name = sink.input.stream.$refText;
        accept('error', `A ${sink.connector.kind} file cannot take an updating stream: in streaming mode '${name}' emits updates ('${firstWord(input.updating.producer)}' replaces the earlier row ${keyText(input.updating.keyFields)}), and a file is only appended to. Did you mean to write every update as a row? Add '| upsert' at the end of '${name}'. Or window the aggregation so each row is final, or write to print or collect, which show the updating table.`,
            { node: sink, property: 'connector', data: { code: IssueCodes.UpdatingFileSink } });
    }

    private isStreaming(node: AstNode): boolean {
        const pipeline = AstUtils.getContainerOfType(node, (n): n is Pipeline => n.$type === 'Pipeline');
        return pipeline !== undefined && pipelineMode(pipeline, this.inference) === 'streaming';
    }
}

function keyText(keyFields: string[] | undefined): string {
    if (keyFields === undefined) return 'of its key';
    if (keyFields.length === 0) return '(there is one row)';
    return `with the same ${keyFields.map((k) => `'${k}'`).join(', ')}`;
}

function firstWord(node: AstNode | Operator): string {
    return (node.$cstNode?.text ?? node.$type).trim().split(/\s/)[0];
}

function textOf(node: AstNode | undefined): string {
    return (node?.$cstNode?.text ?? '').replace(/\s+/g, ' ').trim();
}

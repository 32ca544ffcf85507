/**
 * Checks of OVER aggregates (`over last 10 rows { ... }`, `over last 1h { ... }`) and of the
 * count and cumulate windows: an OVER aggregate orders each key's rows by event time, so it needs
 * an event-time field with a watermark; its columns are added to the input row's, so they must
 * be named and new; bounds are positive.
 */
import type { ValidationAcceptor } from 'langium';
import type { CountWindow, CumulateWindow, OverOp } from '../generated/ast.js';
import type { FlowServices } from '../flow-module.js';
import { durationToMs } from '../typing/durations.js';
import { formatType, isUnknown } from '../typing/flow-types.js';
import { eventTimeFieldsAt } from '../typing/over-time.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import { isAggregateFunction } from '../typing/builtin-functions.js';
import { listNames } from './did-you-mean.js';
import { IssueCodes } from './issue-codes.js';
import { AstUtils } from 'langium';
import { isFunctionCall } from '../generated/ast.js';

export class OverChecks {
    private readonly inference: SchemaInference;

    constructor(services: FlowServices) {
        this.inference = services.typing.SchemaInference;
    }

    checkOver(op: OverOp, accept: ValidationAcceptor): void {
        const input = this.inference.inputSchemaOf(op);
        if (op.rows !== undefined && op.rows < 1) {
            accept('error', `'over last ${op.rows} rows' needs at least 1 row (the current one).`,
                { node: op, property: 'rows', data: { code: IssueCodes.InvalidOverBound } });
        }
        if (op.range !== undefined && safeMs(op.range) === 0) {
            accept('error', `'over last ${op.range}' needs a time range greater than zero.`,
                { node: op, property: 'range', data: { code: IssueCodes.InvalidOverBound } });
        }
        this.checkTime(op, accept);
        const taken = new Set(input.fields.map((f) => f.name));
        for (const item of op.projection?.items ?? []) {
            if (!item.name) {
                accept('error', `Name this column: 'over' adds its columns to the row's own fields, e.g. '${defaultName(item.value.$cstNode?.text)}: ${item.value.$cstNode?.text ?? '...'}'.`,
                    { node: item, data: { code: IssueCodes.OverColumn } });
                continue;
            }
            if (taken.has(item.name) && !input.incomplete) {
                accept('error', `The row already has a field '${item.name}': 'over' adds its columns beside the row's own fields, so give this one another name.`,
                    { node: item, property: 'name', data: { code: IssueCodes.OverColumn } });
            }
            taken.add(item.name);
            if (!AstUtils.streamAst(item.value).some((n) => isFunctionCall(n) && isAggregateFunction(n.function))) {
                accept('error', `'${item.name}' aggregates nothing: each column of 'over' computes an aggregate over the rows of the window, e.g. avg(price) or count().`,
                    { node: item, property: 'value', data: { code: IssueCodes.OverColumn } });
            }
        }
    }

    /** The rows are ordered by event time: an `on` field that is a timestamp, from a source with a watermark. */
    private checkTime(op: OverOp, accept: ValidationAcceptor): void {
        const input = this.inference.inputSchemaOf(op);
        if (input.incomplete) return;
        if (op.timeField) {
            const entry = input.fields.find((f) => f.name === op.timeField?.field.$refText);
            if (entry && !isUnknown(entry.type) && entry.type.kind !== 'timestamp') {
                accept('error', `'over' orders the rows by event time, a timestamp, but '${entry.name}' is ${formatType(entry.type)}.`,
                    { node: op, property: 'timeField', data: { code: IssueCodes.OverWithoutEventTime } });
            }
        }
        if (!input.eventTime) {
            accept('error', `'over' aggregates each row with the rows before it in event-time order, but no source upstream declares a watermark: add 'watermark <time field> - 5s' to the source.`,
                { node: op, data: { code: IssueCodes.OverWithoutEventTime } });
            return;
        }
        if (!op.timeField) {
            const candidates = eventTimeFieldsAt(op, this.inference);
            if (candidates.length !== 1) {
                accept('error', candidates.length === 0
                    ? `'over' orders the rows by event time, but no field of its input holds a source's event time any more: keep the watermark's field, or name a timestamp field with 'on <field>'.`
                    : `'over' orders the rows by event time, and ${listNames(candidates)} all hold one: say which with 'on <field>'.`,
                { node: op, data: { code: IssueCodes.OverWithoutEventTime } });
            }
        }
    }

    checkCountWindow(kind: CountWindow, accept: ValidationAcceptor): void {
        if (kind.size < 1) {
            accept('error', 'A count window needs at least 1 row.', { node: kind, property: 'size', data: { code: IssueCodes.InvalidLiteral } });
        }
        if (kind.slide !== undefined && (kind.slide < 1 || kind.slide > kind.size)) {
            accept('error', `The slide (${kind.slide} rows) of a count window must be between 1 and its size (${kind.size}).`,
                { node: kind, property: 'slide', data: { code: IssueCodes.InvalidLiteral } });
        }
        const window = kind.$container;
        if (window.timeField) {
            accept('error', `A count window counts rows, it has no time field: drop 'on ${window.timeField.field.$refText}' (on an event-time stream it counts the rows in event-time order).`,
                { node: window, property: 'timeField', data: { code: IssueCodes.InvalidLiteral } });
        }
    }

    checkCumulateWindow(kind: CumulateWindow, accept: ValidationAcceptor): void {
        const size = safeMs(kind.size);
        const step = safeMs(kind.step);
        if (size === undefined || step === undefined) return;
        if (step === 0 || size === 0) {
            accept('error', 'A window needs a duration greater than zero.', { node: kind, data: { code: IssueCodes.InvalidLiteral } });
        } else if (size % step !== 0) {
            accept('error', `The size (${kind.size}) of a cumulate window must be a whole multiple of its step (${kind.step}), as in Flink.`,
                { node: kind, property: 'step', data: { code: IssueCodes.InvalidLiteral } });
        }
    }
}

function safeMs(duration: string): number | undefined {
    try {
        return durationToMs(duration);
    } catch {
        return undefined; // a malformed duration is a lexer error already
    }
}

function defaultName(text: string | undefined): string {
    const fn = /^(\w+)\(/.exec(text ?? '')?.[1];
    return fn ? `${fn}Value` : 'value';
}

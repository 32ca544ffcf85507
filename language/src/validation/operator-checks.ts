/**
 * Checks of operators in a stream: keyBy names fields and is used, windows have an event-time
 * field with a watermark and feed an aggregation, joins are equi-joins of same-typed keys, unions
 * have one schema, orderBy/limit in streaming mode work per window, projections name their columns.
 */
import type { ValidationAcceptor } from 'langium';
import {
    type AggregateOp, type FilterOp, type FlatMapOp, type JoinOp, type KeyByOp, type LimitOp, type MapOp, type OrderByOp,
    type ParallelismOp, type ProjectionItem, type ReduceOp, type UnionOp, type WindowOp, type Expression, type Pipeline,
    isAggregateOp, isBinaryExpr, isDistinctOp, isMemberAccess, isNameRef, isReduceOp, isWindowOp, isSessionWindow,
    isSlidingWindow, isParallelismOp, isRebalanceOp, isBroadcastOp, isKeyByOp, isJoinOp, isNamedKey, isSource, isStream, isUnionOp,
    isWatermarkOption, isOrderByOp, isLimitOp, isTumblingWindow, type Source, type Stream
} from '../generated/ast.js';
import { AstUtils } from 'langium';
import type { FlowServices } from '../flow-module.js';
import type { ExpressionTyper } from '../typing/expression-typer.js';
import { formatType, isComparable, isUnknown, sameType } from '../typing/flow-types.js';
import { durationToMs } from '../typing/durations.js';
import { eventTimeEntries, sourcesLeftOf, sourcesUpstreamOf } from '../typing/event-time-fields.js';
import { pipelineMode } from '../typing/pipeline-facts.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import { rowWindowOf } from '../typing/row-window.js';
import { hasQualifier, type StreamSchema, windowColumnsOf } from '../typing/stream-schema.js';
import { IssueCodes } from './issue-codes.js';
import { listNames } from './did-you-mean.js';
import type { ExpressionChecks } from './expression-checks.js';

export class OperatorChecks {
    private readonly typer: ExpressionTyper;
    private readonly inference: SchemaInference;

    constructor(services: FlowServices, private readonly expressions: ExpressionChecks) {
        this.typer = services.typing.ExpressionTyper;
        this.inference = services.typing.SchemaInference;
    }

    checkFilter(op: FilterOp, accept: ValidationAcceptor): void {
        this.expressions.expectBoolean(op.condition, 'The condition of filter', accept);
    }

    checkMap(op: MapOp, accept: ValidationAcceptor): void {
        if (op.projection) {
            this.checkProjection(op.projection.items, accept);
        }
    }

    checkFlatMap(op: FlatMapOp, accept: ValidationAcceptor): void {
        const type = this.typer.typeOf(op.value);
        if (!isUnknown(type) && type.kind !== 'array') {
            accept('error', `'flatMap' needs an array to emit one record per element, but this is ${formatType(type)} (split(s, pattern) makes an array of a string).`,
                { node: op, property: 'value', data: { code: IssueCodes.FlatMapNotArray } });
        }
    }

    checkKeyBy(op: KeyByOp, accept: ValidationAcceptor): void {
        const input = this.inference.inputSchemaOf(op);
        for (const key of op.keys) {
            // `keyBy <expression> as name`: the name is a column of the aggregate after it, beside the input's fields.
            if (isNamedKey(key) && key.name && input.fields.some((f) => f.name === key.name)) {
                accept('error', `The key name '${key.name}' is already a field of the input: name the key otherwise (e.g. '${key.name}Key'), or key by the field itself.`,
                    { node: key, property: 'name', data: { code: IssueCodes.KeyNameTaken } });
            }
            if (isNamedKey(key) && key.name && op.keys.some((other) => other !== key && isNamedKey(other) && other.name === key.name)) {
                accept('error', `Two keys are named '${key.name}'.`, { node: key, property: 'name', data: { code: IssueCodes.KeyNameTaken } });
            }
        }
        const stream = op.$container;
        const next = stream.operators[stream.operators.indexOf(op) + 1];
        if (next && !isWindowOp(next) && !isAggregateOp(next) && !isReduceOp(next) && !isDistinctOp(next) && !isParallelismOp(next)
            && next.$type !== 'TopOp' && next.$type !== 'KeepOp' && next.$type !== 'OverOp') {
            accept('warning', `'keyBy' has no effect here: '${next.$cstNode?.text.split(/\s/)[0] ?? next.$type}' is not a keyed operator (window, aggregate, reduce, distinct, top, keep or over).`,
                { node: op, data: { code: IssueCodes.KeyByUnused } });
        }
    }

    checkWindow(op: WindowOp, accept: ValidationAcceptor): void {
        const input = this.inference.inputSchemaOf(op);
        const kind = op.kind;
        try {
            if (isSlidingWindow(kind) && durationToMs(kind.slide) > durationToMs(kind.size)) {
                accept('error', `The slide (${kind.slide}) of a sliding window cannot be longer than its size (${kind.size}).`,
                    { node: kind, property: 'slide', data: { code: IssueCodes.InvalidLiteral } });
            }
            // Count and cumulate windows have their own checks (over-checks.ts).
            const sizes = isSessionWindow(kind) ? [kind.gap] : isSlidingWindow(kind) ? [kind.size, kind.slide] : isTumblingWindow(kind) ? [kind.size] : [];
            if (sizes.some((s) => durationToMs(s) === 0)) {
                accept('error', 'A window needs a duration greater than zero.', { node: kind, data: { code: IssueCodes.InvalidLiteral } });
            }
        } catch {
            // Malformed durations are lexer errors already.
        }
        if (op.timeField) {
            const entry = input.fields.find((f) => f.name === op.timeField?.field.$refText);
            if (entry && !isUnknown(entry.type) && entry.type.kind !== 'timestamp') {
                accept('error', `The event-time field of a window must be a timestamp, but '${entry.name}' is ${formatType(entry.type)}.`,
                    { node: op, property: 'timeField', data: { code: IssueCodes.WindowTimeFieldType } });
            }
            if (!input.eventTime) {
                accept('error', `This window runs on event time ('on ${op.timeField.field.$refText}'), but no source upstream declares a watermark: add 'watermark ${op.timeField.field.$refText} - 5s' to the source, or drop 'on ...' for a processing-time window.`,
                    { node: op, property: 'timeField', data: { code: IssueCodes.WindowWithoutWatermark } });
            } else {
                // The combined watermark is the minimum over all inputs: an endless input without
                // watermarks holds it back forever (a bounded one releases it when it ends).
                const stalling = this.upstreamSources(op.$container, op.$container.operators.indexOf(op), new Set())
                    .filter((s) => !s.options.some(isWatermarkOption) && !this.inference.schemaOfStream(s).bounded);
                if (stalling.length > 0) {
                    const names = [...new Set(stalling.map((s) => s.name))];
                    accept('error', `This window runs on event time, but the unbounded source${names.length > 1 ? 's' : ''} ${listNames(names)} upstream declare${names.length > 1 ? '' : 's'} no watermark, so the window would never close: add a 'watermark' to ${names.length > 1 ? 'them' : 'it'}.`,
                        { node: op, property: 'timeField', data: { code: IssueCodes.WindowWithoutWatermark } });
                }
            }
        }
        const stream = op.$container;
        const next = stream.operators.slice(stream.operators.indexOf(op) + 1).find((o) => !isParallelismOp(o));
        if (!next || (!isAggregateOp(next) && !isReduceOp(next))) {
            accept('error', 'A window must be followed by aggregate or reduce, which compute one result per key and window.',
                { node: op, property: 'kind', data: { code: IssueCodes.WindowWithoutAggregate } });
        }
    }

    /** The sources that feed `stream` before its operator number `before`, through other streams, joins and unions. */
    private upstreamSources(stream: Stream, before: number, seen: Set<Stream>): Source[] {
        seen.add(stream);
        const refs = [stream.input, ...stream.operators.slice(0, before).flatMap((o) => isJoinOp(o) ? [o.right] : isUnionOp(o) ? o.others : [])];
        return refs.flatMap((ref) => {
            const target = ref?.stream?.ref;
            if (isSource(target)) {
                return [target];
            }
            return isStream(target) && !seen.has(target) ? this.upstreamSources(target, target.operators.length, seen) : [];
        });
    }

    checkAggregate(op: AggregateOp | ReduceOp, accept: ValidationAcceptor): void {
        this.checkProjection(op.projection?.items ?? [], accept);
        const input = this.inference.inputSchemaOf(op);
        if (isReduceOp(op) && !input.keyBy) {
            accept('error', "'reduce' keeps a running aggregate per key, so it needs a keyed stream: add 'keyBy' before it.",
                { node: op, data: { code: IssueCodes.MissingKeyBy, keys: [] } });
        }
    }

    checkJoin(op: JoinOp, accept: ValidationAcceptor): void {
        if (!op.right || !op.condition) {
            return; // a syntax error, reported by the parser
        }
        const rightName = op.right.stream?.$refText;
        if (rightName && hasQualifier(this.inference.inputSchemaOf(op), rightName)) {
            // Without aliases in the grammar, `orders.id` cannot say which side of a self-join it means.
            accept('error', `'${rightName}' is already an input of this stream, so '${rightName}.<field>' could not tell the two sides apart: join a stream derived from it instead (e.g. stream other = ${rightName} | select { ... }).`,
                { node: op, property: 'right', data: { code: IssueCodes.JoinCondition } });
            return;
        }
        if (op.asOf && op.within) {
            accept('error', `'as of' and 'within' do not go together: a temporal join ('as of') meets the one version of the right row valid at the left record's time, an interval join ('within') every right record within a time range. Drop one of them.`,
                { node: op, property: 'within', data: { code: IssueCodes.TemporalJoinWithin } });
        }
        const pairs = this.joinKeyPairs(op.condition);
        if (!pairs) {
            accept('error', `A join condition must compare fields of both sides with '==', joined by 'and' (e.g. ${op.$container.input?.stream?.$refText ?? 'left'}.id == ${rightName}.id).`,
                { node: op, property: 'condition', data: { code: IssueCodes.JoinCondition } });
            return;
        }
        const left = this.inference.inputSchemaOf(op);
        const right = this.inference.schemaOfStreamRef(op.right);
        for (const [a, b] of pairs) {
            const sideA = this.sideOf(a, left, right, op);
            const sideB = this.sideOf(b, left, right, op);
            if (sideA === sideB && sideA !== 'unknown') {
                accept('error', `Each equality of a join condition must compare a field of the left input with a field of '${op.right.stream.$refText}'; here both are from the ${sideA} side.`,
                    { node: a.$container as Expression, data: { code: IssueCodes.JoinCondition } });
                continue;
            }
            const typeA = this.typer.typeOf(a);
            const typeB = this.typer.typeOf(b);
            if (!isUnknown(typeA) && !isUnknown(typeB) && !isComparable(typeA, typeB)) {
                accept('error', `Join keys must have the same type, but '${a.$cstNode?.text}' is ${formatType(typeA)} and '${b.$cstNode?.text}' is ${formatType(typeB)}.`,
                    { node: a.$container as Expression, data: { code: IssueCodes.JoinKeyTypes } });
            }
        }
        if (op.asOf) {
            this.checkTemporalJoin(op, pairs, left, right, accept);
        }
    }

    /**
     * `join R as of t`: t is the left side's event-time field; R has one (its versions' time);
     * the right-hand side of each equality is a plain field of R (together they are R's key: the
     * rows with equal keys are the versions of one row, Flink's versioned-table primary key).
     */
    private checkTemporalJoin(op: JoinOp, pairs: [Expression, Expression][], left: StreamSchema, right: StreamSchema, accept: ValidationAcceptor): void {
        const rightName = op.right.stream.$refText;
        const asOf = op.asOf!;
        const timeName = asOf.field?.$refText;
        const timeEntry = left.fields.find((f) => f.declaration !== undefined && f.declaration === asOf.field?.ref);
        if (timeEntry && !left.incomplete) {
            const leftSources = sourcesLeftOf(op);
            if (timeEntry.type.kind !== 'timestamp') {
                accept('error', `'as of' takes the left record's event-time field, a timestamp, but '${timeName}' is ${formatType(timeEntry.type)}.`,
                    { node: asOf, data: { code: IssueCodes.TemporalJoinTime } });
            } else if (!eventTimeEntries(left, leftSources).includes(timeEntry)) {
                const watermarked = eventTimeEntries(left, leftSources).map((f) => f.name);
                accept('error', watermarked.length > 0
                    ? `'as of ${timeName}': a temporal join looks the right row up at the left record's event time and emits the record once the watermark has passed it, so '${timeName}' must be the left side's event-time field: use ${listNames(watermarked)}.`
                    : `'as of ${timeName}': a temporal join looks the right row up at the left record's event time and emits the record once the watermark has passed it, but no source of the left side declares a watermark on '${timeName}': add 'watermark ${timeName} - 5s' to it.`,
                { node: asOf, data: { code: IssueCodes.TemporalJoinTime } });
            }
        }
        const rightSources = sourcesUpstreamOf([op.right]);
        if (!right.incomplete && eventTimeEntries(right, rightSources).length === 0) {
            const watermarked = rightSources.filter((s) => s.options.some(isWatermarkOption));
            const example = right.fields.find((f) => f.type.kind === 'timestamp')?.name ?? 'updatedAt';
            const why = watermarked.length === 0
                ? `${rightSources.length > 1 ? 'its sources declare' : `'${rightSources[0]?.name ?? rightName}' declares`} no watermark: add one on the field saying from when each row is valid (e.g. 'watermark ${example}')`
                : `the watermark field of ${listNames(watermarked.map((s) => s.name))} is no longer one of its fields (a projection before the join dropped or computed it): pass it on by name`;
            accept('error', `A temporal join needs the versions of '${rightName}' in event time, each row valid from the time in its watermark field, but ${why}. Or drop 'as of' for a regular join.`,
                { node: op, property: 'right', data: { code: IssueCodes.TemporalJoinVersions } });
        }
        for (const [a, b] of pairs) {
            const sideA = this.sideOf(a, left, right, op);
            const sideB = this.sideOf(b, left, right, op);
            // A computed key is on neither side by name: the other operand's side tells.
            const rightSide = sideA === 'right' ? a : sideB === 'right' ? b : sideA === 'left' ? b : sideB === 'left' ? a : undefined;
            if (rightSide && !isNameRef(rightSide) && !(isMemberAccess(rightSide) && isNameRef(rightSide.receiver))) {
                accept('error', `In a temporal join the right-hand side of each equality must be a field of '${rightName}': those fields are its key, which tells the versions of one row apart. Compute '${rightSide.$cstNode?.text ?? '...'}' in a stream before the join.`,
                    { node: rightSide, data: { code: IssueCodes.TemporalJoinKey } });
            }
        }
    }

    checkUnion(op: UnionOp, accept: ValidationAcceptor): void {
        const input = this.inference.inputSchemaOf(op);
        for (const other of op.others) {
            const schema = this.inference.schemaOfStreamRef(other);
            if (input.incomplete || schema.incomplete) {
                continue; // the fields are unknown because of another error
            }
            const difference = schemaDifference(input, schema);
            if (difference) {
                accept('error', `Cannot union '${other.stream.$refText}': ${difference}. A union needs the same fields with the same types, in the same order.`,
                    { node: other, data: { code: IssueCodes.UnionIncompatible } });
            }
        }
    }

    /**
     * orderBy / limit: on the rows of a windowed aggregate they rank per window (both modes), and
     * the rows must say which window they belong to. Across windows they rank all those rows at the
     * end of the input, which streaming mode can do on bounded input only; any other global
     * ranking needs batch mode (in streaming mode, rows that are not per window may be updates).
     */
    checkOrderOrLimit(op: OrderByOp | LimitOp, accept: ValidationAcceptor): void {
        const word = op.$type === 'OrderByOp' ? 'orderBy' : 'limit';
        const input = this.inference.inputSchemaOf(op);
        if (op.acrossWindows && !input.windowedRows && !input.incomplete) {
            accept('warning', `'across windows' has no effect here: these rows do not stand per window (only the rows of a windowed aggregate do), so '${word}' already ranks all of them.`,
                { node: op, keyword: 'across', data: { code: IssueCodes.AcrossWindowsUnused } });
        }
        const stream = op.$container;
        const previous = stream.operators[stream.operators.indexOf(op) - 1];
        // A ranking right after another one sees the same rows: that one reports their problem.
        const reportedBefore = isOrderByOp(previous) || isLimitOp(previous);
        if (input.windowedRows && !op.acrossWindows) {
            if (!reportedBefore && !rowWindowOf(input, this.inference)) {
                const fix = windowColumnsOf(input).length > 0
                    ? 'A session window has no fixed size, so window.start does not say when it ends: add \'windowEnd: window.end\' to the aggregate before it'
                    : 'Add \'windowEnd: window.end\' (or window.start) to the aggregate before it';
                accept('error', `'${word}' ranks each window on its own, so the rows must say which window they belong to. ${fix}, or write '${word} ... across windows' to rank all windows together.`,
                    { node: op, data: { code: IssueCodes.OrderWithoutWindow } });
            }
            return;
        }
        const pipeline = AstUtils.getContainerOfType(op, (n): n is Pipeline => n.$type === 'Pipeline');
        if (!pipeline || pipelineMode(pipeline, this.inference) !== 'streaming' || reportedBefore) {
            return;
        }
        if (input.windowedRows || input.acrossWindows) {
            if (!input.bounded) {
                accept('error', `'${word} ... across windows' ranks the rows of all windows together, which can only happen at the end of the input, but this input is unbounded: drop 'across windows' to rank each window on its own.`,
                    { node: op, data: { code: IssueCodes.GlobalOrderUnbounded } });
            }
            return;
        }
        accept('error', `In streaming mode '${word}' needs windowed input (it ranks per window): put a window and an aggregate before it, or run the pipeline in batch mode.`,
            { node: op, data: { code: IssueCodes.OrderWithoutWindow } });
    }

    checkParallelismOp(op: ParallelismOp, accept: ValidationAcceptor): void {
        if (op.value < 1) {
            accept('error', 'Parallelism must be at least 1.', { node: op, property: 'value', data: { code: IssueCodes.InvalidParallelism } });
        }
        const stream = op.$container;
        const previous = stream.operators[stream.operators.indexOf(op) - 1];
        if (!previous || isKeyByOp(previous) || isRebalanceOp(previous) || isBroadcastOp(previous) || isParallelismOp(previous) || isWindowOp(previous)) {
            accept('error', "'| parallelism N' sets the parallelism of the operator before it; put it after a map, filter, aggregate, join or similar operator.",
                { node: op, data: { code: IssueCodes.InvalidParallelism } });
        }
    }

    private checkProjection(items: ProjectionItem[], accept: ValidationAcceptor): void {
        const seen = new Set<string>();
        for (const item of items) {
            let name = item.name;
            if (!name) {
                if (isNameRef(item.value)) {
                    name = item.value.ref.$refText;
                } else if (isMemberAccess(item.value)) {
                    name = item.value.member.$refText;
                } else {
                    accept('error', `Give this computed column a name: '<name>: ${item.value.$cstNode?.text ?? '...'}'.`,
                        { node: item, data: { code: IssueCodes.UnnamedColumn } });
                    continue;
                }
            }
            if (seen.has(name)) {
                accept('error', `The column '${name}' appears twice in this projection.`, { node: item, data: { code: IssueCodes.DuplicateColumn } });
            }
            seen.add(name);
        }
    }

    /** `a == b and c == d` as [[a, b], [c, d]], or undefined if the condition has another shape. */
    private joinKeyPairs(condition: Expression): [Expression, Expression][] | undefined {
        if (isBinaryExpr(condition) && condition.operator === 'and') {
            const left = this.joinKeyPairs(condition.left);
            const right = this.joinKeyPairs(condition.right);
            return left && right ? [...left, ...right] : undefined;
        }
        if (isBinaryExpr(condition) && condition.operator === '==') {
            return [[condition.left, condition.right]];
        }
        return undefined;
    }

    private sideOf(expr: Expression, left: StreamSchema, right: StreamSchema, op: JoinOp): 'left' | 'right' | 'unknown' {
        const rightName = op.right.stream.$refText;
        if (isMemberAccess(expr) && isNameRef(expr.receiver) && this.typer.streamNamedBy(expr.receiver)) {
            return expr.receiver.ref.$refText === rightName ? 'right' : 'left';
        }
        if (isNameRef(expr)) {
            const name = expr.ref.$refText;
            if (left.fields.some((f) => f.name === name)) return 'left';
            if (right.fields.some((f) => f.name === name)) return 'right';
        }
        return 'unknown';
    }
}

/** Why two schemas differ, or undefined when they are the same. */
function schemaDifference(a: StreamSchema, b: StreamSchema): string | undefined {
    const namesA = a.fields.map((f) => f.name);
    const namesB = b.fields.map((f) => f.name);
    const missing = namesA.filter((n) => !namesB.includes(n));
    const extra = namesB.filter((n) => !namesA.includes(n));
    if (missing.length > 0 || extra.length > 0) {
        const parts = [];
        if (missing.length) parts.push(`it lacks ${missing.map((n) => `'${n}'`).join(', ')}`);
        if (extra.length) parts.push(`it has ${extra.map((n) => `'${n}'`).join(', ')} in addition`);
        return parts.join(' and ');
    }
    for (let i = 0; i < a.fields.length; i++) {
        if (a.fields[i].name !== b.fields[i].name) {
            return `its fields are in another order (${namesB.join(', ')})`;
        }
        if (!sameType(a.fields[i].type, b.fields[i].type)) {
            return `'${a.fields[i].name}' is ${formatType(b.fields[i].type)} there but ${formatType(a.fields[i].type)} here`;
        }
    }
    return undefined;
}

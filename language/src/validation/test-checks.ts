/**
 * Checks of `test` blocks (docs/testing.md): what is given fits the sources, what is expected
 * fits the streams, every source is given, the timeline of given/then steps makes sense, and the
 * options of an expectation mean something for its stream.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { AstUtils, GrammarUtils, type ValidationAcceptor } from 'langium';
import {
    type ExpectStep, type GivenStep, type Model, type Pipeline, type PipelineTest, type Source, type StreamRef, type ThenStep,
    isExpectStep, isGivenStep, isPipelineTest, isRecordLiteral, isSource, isStream, isStringLiteral, isThenStep, isWatermarkOption
} from '../generated/ast.js';
import type { FlowServices } from '../flow-module.js';
import { pipelineMode, pipelineParallelism, sourcesUsedBy } from '../typing/pipeline-facts.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import { FILE_CONNECTORS, GIVEN_CONNECTORS, thenStepTime } from '../testing/test-facts.js';
import { listNames } from './did-you-mean.js';
import { IssueCodes } from './issue-codes.js';
import type { PipelineChecks } from './pipeline-checks.js';

/** Operators after which records keep the order they came in (at parallelism 1). */
const ORDER_KEEPING = new Set(['FilterOp', 'MapOp', 'FlatMapOp']);

export class TestChecks {
    private readonly inference: SchemaInference;

    constructor(services: FlowServices, private readonly pipelines: PipelineChecks) {
        this.inference = services.typing.SchemaInference;
    }

    /** Test names are unique in a file: they are the tests' ids (file + name). */
    checkTestNames(model: Model, accept: ValidationAcceptor): void {
        const tests = model.elements.filter(isPipelineTest);
        for (const [i, test] of tests.entries()) {
            if (test.name !== undefined && tests.findIndex((t) => t.name === test.name) < i) {
                accept('error', `Another test of this file is named "${test.name}"; test names must be unique in a file.`,
                    { node: test, property: 'name', data: { code: IssueCodes.DuplicateTest } });
            }
        }
    }

    checkTest(test: PipelineTest, accept: ValidationAcceptor): void {
        if (test.name !== undefined && test.name.trim() === '') {
            accept('error', 'A test needs a name saying what it checks, e.g. test "only orders above 10 count" for Spend.',
                { node: test, property: 'name', data: { code: IssueCodes.DuplicateTest } });
        }
        const pipeline = test.pipeline?.ref;
        if (!pipeline) {
            return; // unknown pipeline: a linking error
        }
        if (!test.steps.some(isExpectStep)) {
            accept('warning', `The test "${test.name}" expects nothing, so it cannot fail: add an 'expect <stream> = values(...)'.`,
                { node: test, property: 'name', data: { code: IssueCodes.TestWithoutExpectation } });
        }
        this.checkEverySourceGiven(test, pipeline, accept);
        this.checkTimeline(test, pipeline, accept);
    }

    /** A source the test does not give would read its real input: only inline values and a seeded, counted datagen are repeatable. */
    private checkEverySourceGiven(test: PipelineTest, pipeline: Pipeline, accept: ValidationAcceptor): void {
        const givens = test.steps.filter(isGivenStep);
        if (givens.some((g) => !g.source?.ref)) {
            return; // an unknown given source is the mistake to report (a linking error)
        }
        const given = new Set(givens.map((g) => g.source?.ref));
        const missing = sourcesUsedBy(pipeline).filter((s) => s.name && !given.has(s) && !isRepeatable(s));
        if (missing.length > 0) {
            const names = missing.map((s) => s.name);
            accept('error', `The test does not give ${listNames(names)} of ${pipeline.name}: add 'given ${names[0]} = values(...)' (or a fixture file). `
                + 'Only a values source or a datagen source with a seed and a count may be left out.',
            { node: test, property: 'pipeline', data: { code: IssueCodes.SourceNotGiven, sources: names } });
        }
    }

    /** given → then watermark → expect ... in an order that can happen. */
    private checkTimeline(test: PipelineTest, pipeline: Pipeline, accept: ValidationAcceptor): void {
        const batch = pipelineMode(pipeline, this.inference) === 'batch';
        let ended = false;
        let lastWatermark: number | undefined;
        const lastGivenOf = new Map<Source, GivenStep>();
        let watermarkSinceGiven = new Set<Source>();
        for (const step of test.steps) {
            if (isGivenStep(step)) {
                const source = step.source?.ref;
                if (ended) {
                    accept('error', "No record can arrive after 'then end' (the end of input); move this given before it.",
                        { node: step, data: { code: IssueCodes.TestTimeline } });
                }
                const previous = source ? lastGivenOf.get(source) : undefined;
                if (source && previous && !ended) {
                    const files = FILE_CONNECTORS.has(previous.connector?.kind) || FILE_CONNECTORS.has(step.connector?.kind);
                    if (batch || files) {
                        const why = batch ? `${pipeline.name} is a batch pipeline, so all its input arrives at once` : 'a fixture file is all of a source\'s input';
                        accept('error', `'${source.name}' is given twice; ${why}: put every record in one given.`,
                            { node: step, property: 'source', data: { code: IssueCodes.TestTimeline } });
                    } else if (!watermarkSinceGiven.has(source)) {
                        accept('warning', `'${source.name}' is given again without a 'then watermark' in between: put the records in the first given.`,
                            { node: step, property: 'source', data: { code: IssueCodes.TestTimeline } });
                    }
                }
                if (source) {
                    lastGivenOf.set(source, step);
                    watermarkSinceGiven.delete(source);
                }
            } else if (isThenStep(step)) {
                if (ended) {
                    accept('error', "Nothing happens after 'then end' (the end of input): remove this step or move it before.",
                        { node: step, data: { code: IssueCodes.TestTimeline } });
                }
                if (step.end) {
                    ended = true;
                    continue;
                }
                lastWatermark = this.checkWatermarkStep(step, pipeline, batch, lastWatermark, accept);
                watermarkSinceGiven = new Set(lastGivenOf.keys());
            }
        }
    }

    private checkWatermarkStep(step: ThenStep, pipeline: Pipeline, batch: boolean, previous: number | undefined, accept: ValidationAcceptor): number | undefined {
        const time = thenStepTime(step);
        const property = step.time !== undefined ? 'time' : 'quotedTime';
        if (time === undefined) {
            accept('error', `"${step.time ?? step.quotedTime}" is not an instant; expected ISO 8601, e.g. 2026-01-01T10:00:00Z.`,
                { node: step, property, data: { code: IssueCodes.InvalidLiteral } });
            return previous;
        }
        if (batch) {
            accept('error', `${pipeline.name} is a batch pipeline: it has no watermarks to step through (a batch job sees all its input at once). `
                + "Use 'then watermark' in tests of streaming pipelines.", { node: step, data: { code: IssueCodes.WatermarkInBatchTest } });
            return previous;
        }
        if (!sourcesUsedBy(pipeline).some((s) => s.options.some(isWatermarkOption))) {
            accept('warning', `No source of ${pipeline.name} has event time (a 'watermark' option), so a watermark changes nothing it computes.`,
                { node: step, data: { code: IssueCodes.WatermarkWithoutEventTime } });
        }
        if (previous !== undefined && time <= previous) {
            accept('error', `Watermarks only advance: this one is not after the previous one (${new Date(previous).toISOString()}).`,
                { node: step, property, data: { code: IssueCodes.TestTimeline } });
        }
        return time;
    }

    checkGiven(given: GivenStep, accept: ValidationAcceptor): void {
        const source = given.source?.ref;
        const connector = given.connector;
        if (!source || !connector?.kind) {
            return; // an unknown source (a linking error) or a syntax error
        }
        if (!GIVEN_CONNECTORS.includes(connector.kind)) {
            accept('error', `A given is inline records, values({ ... }), or a fixture file: ${listNames([...FILE_CONNECTORS])}; not '${connector.kind}'.`,
                { node: connector, property: 'kind', data: { code: IssueCodes.GivenConnector } });
            return;
        }
        const schema = this.inference.schemaOfStream(source);
        if (connector.kind === 'values') {
            for (const arg of connector.args) {
                if (!isRecordLiteral(arg.value) || arg.name) {
                    accept('error', `'values(...)' takes record literals, e.g. values({ id: 1, name: "a" }).`, { node: arg, data: { code: IssueCodes.GivenRecord } });
                } else {
                    this.pipelines.checkValuesRecord(arg.value, schema.fields, accept, IssueCodes.GivenRecord, `the schema of the source '${source.name}'`);
                }
            }
            return;
        }
        this.pipelines.checkConnector(connector, 'source', accept);
        this.checkFixtureFile(given, accept);
    }

    /** A fixture file must exist (unlike a source's input, which a pipeline may wait for): the test would fail. */
    private checkFixtureFile(given: GivenStep, accept: ValidationAcceptor): void {
        const first = given.connector.args.find((a) => !a.name);
        const document = AstUtils.getDocument(given);
        if (!first || !isStringLiteral(first.value) || document.uri.scheme !== 'file') {
            return; // no path (reported by the connector checks), or no folder to resolve it in
        }
        const file = path.resolve(path.dirname(document.uri.fsPath), first.value.value);
        if (!existsSync(file) || !statSync(file).isFile()) {
            accept('error', `The fixture file '${first.value.value}' ${existsSync(file) ? 'is not a file' : 'does not exist'} (looked for ${file}).`,
                { node: first.value, data: { code: IssueCodes.MissingInputFile, path: file } });
        }
    }

    checkExpect(expect: ExpectStep, accept: ValidationAcceptor): void {
        const ref = expect.target;
        if (!ref?.stream?.ref) {
            return; // `expect failure`, or an unknown stream (a linking error)
        }
        this.pipelines.checkSideOutput(ref, accept);
        const schema = this.inference.schemaOfStreamRef(ref);
        const what = ref.side === 'deadLetter' ? `the schema of '${ref.stream.ref.name}.deadLetter'`
            : ref.side === 'late' ? `the schema of '${ref.stream.ref.name}.late'` : `the schema of '${ref.stream.ref.name}'`;
        if (expect.rows?.kind) {
            if (expect.rows.kind !== 'values') {
                accept('error', `Expected records are written inline: values({ ... }, ...), not '${expect.rows.kind}(...)'.`,
                    { node: expect.rows, property: 'kind', data: { code: IssueCodes.ExpectedRows } });
                return;
            }
            for (const arg of expect.rows.args) {
                if (!isRecordLiteral(arg.value) || arg.name) {
                    accept('error', `'values(...)' takes record literals, e.g. values({ word: "a", n: 2 }).`, { node: arg, data: { code: IssueCodes.ExpectedRows } });
                } else {
                    this.pipelines.checkValuesRecord(arg.value, schema.fields, accept, IssueCodes.ExpectedRecord, what);
                }
            }
        }
        if (expect.inOrder && !this.hasDefinedOrder(ref)) {
            const [inWord] = GrammarUtils.findNodesForKeyword(expect.$cstNode, 'in');
            const [orderWord] = GrammarUtils.findNodesForKeyword(expect.$cstNode, 'order');
            const range = inWord && orderWord ? { start: inWord.range.start, end: orderWord.range.end } : undefined;
            accept('warning', `The order of '${ref.stream.ref.name}' may change from run to run (parallel subtasks, shuffles by key): `
                + "end the stream with 'orderBy' or compare without 'in order'.",
            { node: expect, property: 'inOrder', ...(range ? { range } : {}), data: { code: IssueCodes.UnorderedComparison } });
        }
        if (expect.tolerance !== undefined && !schema.fields.some((f) => f.type.kind === 'double')) {
            accept('warning', `${capitalised(what)} has no double field, so 'within ${expect.tolerance}' changes nothing: values are compared exactly.`,
                { node: expect, property: 'tolerance', data: { code: IssueCodes.ToleranceWithoutDoubles } });
        }
    }

    /**
     * True when a stream's records come in an order that does not depend on the run: it ends
     * with orderBy (and maybe limit), or only filters and maps records of one source at parallelism 1.
     */
    private hasDefinedOrder(ref: StreamRef, depth = 0): boolean {
        const named = ref.stream.ref;
        if (ref.side || !named || depth > 32) return false; // deeper is a cycle (reported elsewhere)
        if (isSource(named)) return true;
        const kinds = named.operators.map((o) => o.$type);
        const last = kinds.filter((k) => k !== 'ParallelismOp').at(-1);
        if (last === 'OrderByOp' || (last === 'LimitOp' && kinds.includes('OrderByOp'))) return true;
        const pipeline = AstUtils.getContainerOfType(named, (n): n is Pipeline => n.$type === 'Pipeline');
        if (!pipeline || pipelineParallelism(pipeline) !== 1) return false;
        return kinds.every((k) => ORDER_KEEPING.has(k)) && named.input !== undefined && (isStream(named.input.stream?.ref) || isSource(named.input.stream?.ref))
            && this.hasDefinedOrder(named.input, depth + 1);
    }
}

/** A source whose records are the same on every run, and end (inline values, a seeded and counted datagen): it may stay ungiven. */
function isRepeatable(source: Source): boolean {
    const args = source.connector?.args ?? [];
    return source.connector?.kind === 'values'
        || (source.connector?.kind === 'datagen' && args.some((a) => a.name === 'seed') && args.some((a) => a.name === 'count'));
}

function capitalised(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

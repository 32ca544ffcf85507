/**
 * Registers every .flow check with Langium's validation registry. The checks themselves live
 * by concern in expression-checks.ts, operator-checks.ts, pipeline-checks.ts, job-setting-checks.ts
 * (checkpoint and restart settings), source-file-checks.ts, partitioned-sink-checks.ts,
 * flat-file-checks.ts (csv and nested records) and test-checks.ts (test blocks).
 */
import type { ValidationChecks } from 'langium';
import type { FlowAstType } from '../generated/ast.js';
import type { FlowServices } from '../flow-module.js';
import { ExpressionChecks } from './expression-checks.js';
import { OperatorChecks } from './operator-checks.js';
import { JobSettingChecks } from './job-setting-checks.js';
import { PartitionedSinkChecks } from './partitioned-sink-checks.js';
import { PipelineChecks } from './pipeline-checks.js';
import { RankingChecks } from './ranking-checks.js';
import { OverChecks } from './over-checks.js';
import { FlatFileChecks } from './flat-file-checks.js';
import { checkSourceFileExists } from './source-file-checks.js';
import { TestChecks } from './test-checks.js';

export class FlowValidator {
    readonly expressions: ExpressionChecks;
    readonly operators: OperatorChecks;
    readonly pipelines: PipelineChecks;
    readonly jobSettings: JobSettingChecks;
    readonly tests: TestChecks;
    readonly rankings: RankingChecks;
    readonly partitionedSinks: PartitionedSinkChecks;
    readonly overs: OverChecks;
    readonly flatFiles: FlatFileChecks;

    constructor(services: FlowServices) {
        this.expressions = new ExpressionChecks(services);
        this.operators = new OperatorChecks(services, this.expressions);
        this.pipelines = new PipelineChecks(services);
        this.jobSettings = new JobSettingChecks(services);
        this.tests = new TestChecks(services, this.pipelines);
        this.rankings = new RankingChecks(services);
        this.partitionedSinks = new PartitionedSinkChecks(services);
        this.overs = new OverChecks(services);
        this.flatFiles = new FlatFileChecks(services);
    }
}

export function registerValidationChecks(services: FlowServices): void {
    const registry = services.validation.ValidationRegistry;
    const { expressions: e, operators: o, pipelines: p, jobSettings: j, tests: t, rankings: r, overs: v, partitionedSinks: ps, flatFiles: f } = services.validation.FlowValidator;
    const checks: ValidationChecks<FlowAstType> = {
        Model: (n, a) => { p.checkModel(n, a); t.checkTestNames(n, a); },
        PipelineTest: (n, a) => t.checkTest(n, a),
        GivenStep: (n, a) => t.checkGiven(n, a),
        ExpectStep: (n, a) => t.checkExpect(n, a),
        Schema: (n, a) => p.checkSchema(n, a),
        Pipeline: (n, a) => p.checkPipeline(n, a),
        CheckpointSetting: (n, a) => j.checkCheckpoint(n, a),
        ExponentialDelayRestart: (n, a) => j.checkExponentialDelay(n, a),
        FailureRateRestart: (n, a) => j.checkFailureRate(n, a),
        Source: (n, a) => { p.checkSource(n, a); checkSourceFileExists(n, a); f.checkSource(n, a); },
        GeneratedField: (n, a) => p.checkGeneratedField(n, a),
        WatermarkOption: (n, a) => p.checkWatermark(n, a),
        Sink: (n, a) => { p.checkSink(n, a); r.checkSinkInput(n, a); ps.checkPartitions(n, a); f.checkSink(n, a); },
        TopOp: (n, a) => r.checkRanking(n, a),
        KeepOp: (n, a) => r.checkRanking(n, a),
        UpsertOp: (n, a) => r.checkUpsert(n, a),
        OverOp: (n, a) => v.checkOver(n, a),
        CountWindow: (n, a) => v.checkCountWindow(n, a),
        CumulateWindow: (n, a) => v.checkCumulateWindow(n, a),
        Stream: (n, a) => r.checkUpdatingInputs(n, a),
        FilterOp: (n, a) => o.checkFilter(n, a),
        MapOp: (n, a) => o.checkMap(n, a),
        FlatMapOp: (n, a) => o.checkFlatMap(n, a),
        KeyByOp: (n, a) => o.checkKeyBy(n, a),
        WindowOp: (n, a) => o.checkWindow(n, a),
        AggregateOp: (n, a) => o.checkAggregate(n, a),
        ReduceOp: (n, a) => o.checkAggregate(n, a),
        JoinOp: (n, a) => o.checkJoin(n, a),
        UnionOp: (n, a) => o.checkUnion(n, a),
        OrderByOp: (n, a) => o.checkOrderOrLimit(n, a),
        LimitOp: (n, a) => o.checkOrderOrLimit(n, a),
        ParallelismOp: (n, a) => o.checkParallelismOp(n, a),
        BinaryExpr: (n, a) => e.checkBinary(n, a),
        UnaryExpr: (n, a) => e.checkUnary(n, a),
        IfExpr: (n, a) => e.checkIf(n, a),
        CaseBranch: (n, a) => e.checkCaseBranch(n, a),
        CastExpr: (n, a) => e.checkCast(n, a),
        InExpr: (n, a) => e.checkIn(n, a),
        TimestampLiteral: (n, a) => e.checkTimestamp(n, a),
        DecimalType: (n, a) => e.checkDecimalType(n, a),
        DecimalLiteral: (n, a) => e.checkDecimalLiteral(n, a),
        DateLiteral: (n, a) => e.checkDate(n, a),
        IntervalLiteral: (n, a) => e.checkInterval(n, a),
        BetweenExpr: (n, a) => e.checkBetween(n, a),
        NumberLiteral: (n, a) => e.checkNumber(n, a),
        FunctionCall: (n, a) => e.checkFunctionCall(n, a),
        NameRef: (n, a) => e.checkFieldInAggregation(n, a),
        MemberAccess: (n, a) => e.checkFieldInAggregation(n, a),
        WindowProperty: (n, a) => e.checkWindowProperty(n, a)
    };
    registry.register(checks, services.validation.FlowValidator);
}

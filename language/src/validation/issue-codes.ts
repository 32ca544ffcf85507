/**
 * Every diagnostic's stable code, shared by the validator, the quick fixes, the CLI's --json
 * output and docs/language.md.
 */
export const IssueCodes = {
    // Names
    UnknownField: 'unknown-field',
    UnknownStream: 'unknown-stream',
    UnknownSchema: 'unknown-schema',
    UnknownFunction: 'unknown-function',
    UnknownConnector: 'unknown-connector',
    UnknownConnectorOption: 'unknown-connector-option',
    DuplicateName: 'duplicate-name',
    ImportNotFound: 'import-not-found',
    MissingInputFile: 'missing-input-file',
    StreamAsValue: 'stream-as-value',
    // Types
    OperandType: 'operand-type',
    ArgumentType: 'argument-type',
    ArgumentCount: 'argument-count',
    ConditionNotBoolean: 'condition-not-boolean',
    FlatMapNotArray: 'flatmap-not-array',
    InvalidLiteral: 'invalid-literal',
    InvalidDecimalType: 'invalid-decimal-type',
    ConnectorArgument: 'connector-argument',
    GeneratedFieldType: 'generated-field-type',
    MissingSchema: 'missing-schema',
    WatermarkFieldType: 'watermark-field-type',
    // Projections and aggregation
    UnnamedColumn: 'unnamed-column',
    DuplicateColumn: 'duplicate-column',
    AggregateOutsideAggregation: 'aggregate-outside-aggregation',
    NestedAggregate: 'nested-aggregate',
    FieldNotKey: 'field-not-key',
    MissingKeyBy: 'missing-key-by',
    KeyNameTaken: 'key-name-taken',
    IntervalNotValue: 'interval-not-value',
    CsvNestedRecord: 'csv-nested-record',
    KeyByUnused: 'key-by-unused',
    WindowPropertyOutsideWindow: 'window-property-outside-window',
    // Windows and time
    WindowWithoutWatermark: 'window-without-watermark',
    WindowTimeFieldType: 'window-time-field-type',
    WindowWithoutAggregate: 'window-without-aggregate',
    UnknownSideOutput: 'unknown-side-output',
    // Joins and unions
    JoinKeyTypes: 'join-key-types',
    JoinCondition: 'join-condition',
    TemporalJoinTime: 'temporal-join-time',
    TemporalJoinVersions: 'temporal-join-versions',
    TemporalJoinKey: 'temporal-join-key',
    TemporalJoinWithin: 'temporal-join-within',
    UnionIncompatible: 'union-incompatible',
    // Modes and graph shape
    OrderWithoutWindow: 'order-without-window',
    GlobalOrderUnbounded: 'global-order-unbounded',
    AcrossWindowsUnused: 'across-windows-unused',
    // Rankings and updating streams
    TopWithoutRank: 'top-without-rank',
    InvalidTopCount: 'invalid-top-count',
    KeepUntil: 'keep-until',
    // OVER aggregates and count windows
    OverWithoutEventTime: 'over-without-event-time',
    OverColumn: 'over-column',
    InvalidOverBound: 'invalid-over-bound',
    TiesWithoutWindow: 'ties-without-window',
    UpdatingInput: 'updating-input',
    UpdatingFileSink: 'updating-file-sink',
    UpsertUnused: 'upsert-unused',
    PartitionedSink: 'partitioned-sink',
    UnboundedInBatch: 'unbounded-in-batch',
    Cycle: 'cycle',
    InvalidParallelism: 'invalid-parallelism',
    DanglingStream: 'dangling-stream',
    UnusedImport: 'unused-import',
    PipelineWithoutSink: 'pipeline-without-sink',
    // Fault tolerance (the header's `checkpoint` and `restart`, docs/fault-tolerance.md)
    InvalidCheckpointInterval: 'invalid-checkpoint-interval',
    CheckpointInBatch: 'checkpoint-in-batch',
    InvalidRestartStrategy: 'invalid-restart-strategy',
    // Tests (`test` blocks, docs/testing.md)
    UnknownPipeline: 'unknown-pipeline',
    UnknownGivenSource: 'unknown-given-source',
    GivenConnector: 'given-connector',
    GivenRecord: 'given-record',
    SourceNotGiven: 'source-not-given',
    ExpectedRows: 'expected-rows',
    ExpectedRecord: 'expected-record',
    DuplicateTest: 'duplicate-test',
    TestTimeline: 'test-timeline',
    WatermarkInBatchTest: 'watermark-in-batch-test',
    WatermarkWithoutEventTime: 'watermark-without-event-time',
    UnorderedComparison: 'unordered-comparison',
    ToleranceWithoutDoubles: 'tolerance-without-doubles',
    TestWithoutExpectation: 'test-without-expectation'
} as const;

export type IssueCode = typeof IssueCodes[keyof typeof IssueCodes];

/** What a diagnostic carries for the quick fixes. */
export interface FlowDiagnosticData {
    code: string;
    /** Names close to an unknown one, best first (for did-you-mean). */
    suggestions?: string[];
    /** Extra facts a fix needs (the keys to add, the stream to sink, ...). */
    [key: string]: unknown;
}

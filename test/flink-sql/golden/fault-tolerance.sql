-- Pipeline FixedDelay
SET 'execution.runtime-mode' = 'streaming';

SET 'parallelism.default' = '2';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'FixedDelay';

SET 'execution.checkpointing.interval' = '10 s';

SET 'execution.checkpointing.mode' = 'EXACTLY_ONCE';

SET 'restart-strategy.type' = 'fixed-delay';

SET 'restart-strategy.fixed-delay.attempts' = '3';

SET 'restart-strategy.fixed-delay.delay' = '1500 ms';

CREATE TEMPORARY TABLE `ticks_generator` (
  `__index` BIGINT,
  `id` AS (1 + `__index`),
  `bucket` AS MOD((0 + `__index`), 3)
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '100',
  'rows-per-second' = '50',
  'fields.__index.kind' = 'sequence',
  'fields.__index.start' = '0',
  'fields.__index.end' = '99'
);

CREATE TEMPORARY VIEW `ticks` AS
SELECT `id`, `bucket`
FROM `ticks_generator`;

CREATE TEMPORARY VIEW `perBucket_1_reduce` AS
SELECT `bucket` AS `bucket`, COUNT(*) AS `n`
FROM `ticks`
GROUP BY `bucket`;

CREATE TEMPORARY TABLE `sink_0_print` (
  `bucket` BIGINT,
  `n` BIGINT
) WITH (
  'connector' = 'print'
);

INSERT INTO `sink_0_print`
SELECT `bucket`, `n`
FROM `perBucket_1_reduce`;

-- Pipeline ExponentialDelay
SET 'execution.runtime-mode' = 'streaming';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'ExponentialDelay';

SET 'execution.checkpointing.interval' = '60 s';

SET 'execution.checkpointing.mode' = 'AT_LEAST_ONCE';

SET 'restart-strategy.type' = 'exponential-delay';

SET 'restart-strategy.exponential-delay.initial-backoff' = '2 s';

SET 'restart-strategy.exponential-delay.max-backoff' = '60 s';

SET 'restart-strategy.exponential-delay.backoff-multiplier' = '2';

SET 'restart-strategy.exponential-delay.reset-backoff-threshold' = '600 s';

SET 'restart-strategy.exponential-delay.attempts-before-reset-backoff' = '5';

SET 'restart-strategy.exponential-delay.jitter-factor' = '0';

CREATE TEMPORARY TABLE `ticks_generator` (
  `__index` BIGINT,
  `id` AS (1 + `__index`)
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '100',
  'rows-per-second' = '1000000000',
  'fields.__index.kind' = 'sequence',
  'fields.__index.start' = '0',
  'fields.__index.end' = '99'
);

CREATE TEMPORARY VIEW `ticks` AS
SELECT `id`
FROM `ticks_generator`;

CREATE TEMPORARY TABLE `sink_0_jsonl` (
  `id` BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/ticks.jsonl',
  'format' = 'json',
  'sink.parallelism' = '1'
);

INSERT INTO `sink_0_jsonl`
SELECT `id`
FROM `ticks`;

-- Pipeline DefaultRestart
SET 'execution.runtime-mode' = 'streaming';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'DefaultRestart';

SET 'execution.checkpointing.interval' = '500 ms';

SET 'execution.checkpointing.mode' = 'EXACTLY_ONCE';

SET 'restart-strategy.type' = 'fixed-delay';

SET 'restart-strategy.fixed-delay.attempts' = '2147483647';

SET 'restart-strategy.fixed-delay.delay' = '1 s';

CREATE TEMPORARY TABLE `ticks_generator` (
  `__index` BIGINT,
  `id` AS (1 + `__index`)
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '100',
  'rows-per-second' = '1000000000',
  'fields.__index.kind' = 'sequence',
  'fields.__index.start' = '0',
  'fields.__index.end' = '99'
);

CREATE TEMPORARY VIEW `ticks` AS
SELECT `id`
FROM `ticks_generator`;

CREATE TEMPORARY TABLE `sink_0_print` (
  `id` BIGINT
) WITH (
  'connector' = 'print'
);

INSERT INTO `sink_0_print`
SELECT `id`
FROM `ticks`;

-- Pipeline FailureRate
SET 'execution.runtime-mode' = 'batch';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'FailureRate';

SET 'restart-strategy.type' = 'failure-rate';

SET 'restart-strategy.failure-rate.max-failures-per-interval' = '3';

SET 'restart-strategy.failure-rate.failure-rate-interval' = '300 s';

SET 'restart-strategy.failure-rate.delay' = '1 s';

CREATE TEMPORARY TABLE `ticks_generator` (
  `__index` BIGINT,
  `id` AS (1 + `__index`)
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '100',
  'rows-per-second' = '1000000000',
  'fields.__index.kind' = 'sequence',
  'fields.__index.start' = '0',
  'fields.__index.end' = '99'
);

CREATE TEMPORARY VIEW `ticks` AS
SELECT `id`
FROM `ticks_generator`;

CREATE TEMPORARY TABLE `sink_0_jsonl` (
  `id` BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/ticks-batch.jsonl',
  'format' = 'json',
  'sink.parallelism' = '1'
);

INSERT INTO `sink_0_jsonl`
SELECT `id`
FROM `ticks`;

-- Pipeline NoneByDefault
SET 'execution.runtime-mode' = 'streaming';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'NoneByDefault';

SET 'execution.checkpointing.interval' = '1 s';

SET 'restart-strategy.type' = 'none';

CREATE TEMPORARY TABLE `ticks_generator` (
  `__index` BIGINT,
  `id` AS (1 + `__index`)
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '100',
  'rows-per-second' = '1000000000',
  'fields.__index.kind' = 'sequence',
  'fields.__index.start' = '0',
  'fields.__index.end' = '99'
);

CREATE TEMPORARY VIEW `ticks` AS
SELECT `id`
FROM `ticks_generator`;

CREATE TEMPORARY TABLE `sink_0_jsonl` (
  `id` BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/ticks-streaming.jsonl',
  'format' = 'json',
  'sink.parallelism' = '1'
);

INSERT INTO `sink_0_jsonl`
SELECT `id`
FROM `ticks`;


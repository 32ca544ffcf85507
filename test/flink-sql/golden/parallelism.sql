-- Note (flink-operator-parallelism, line 15): filter runs with parallelism 4 locally, but Flink SQL sets no parallelism per operator, so Flink runs it at the job's default parallelism (2). The results are the same; only the number of parallel instances differs.
-- Note (flink-operator-parallelism, line 18): aggregate runs with parallelism 3 locally, but Flink SQL sets no parallelism per operator, so Flink runs it at the job's default parallelism (2). The results are the same; only the number of parallel instances differs.
-- Note (flink-operator-parallelism, line 22): filter runs with parallelism 3 locally, but Flink SQL sets no parallelism per operator, so Flink runs it at the job's default parallelism (2). The results are the same; only the number of parallel instances differs.
-- Note (flink-operator-parallelism, line 26): sink: blackhole runs with parallelism 3 locally, but Flink's blackhole connector has no 'sink.parallelism' option, so Flink runs it at the job's default parallelism (2). The results are the same; only the number of parallel instances differs.

SET 'execution.runtime-mode' = 'batch';

SET 'parallelism.default' = '2';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'Parallelism';

CREATE TEMPORARY TABLE `ticks_generator` (
  `__index` BIGINT,
  `id` AS (1 + `__index`),
  `bucket` AS MOD((0 + `__index`), 5)
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '100',
  'rows-per-second' = '1000000000',
  'fields.__index.kind' = 'sequence',
  'fields.__index.start' = '0',
  'fields.__index.end' = '99'
);

CREATE TEMPORARY VIEW `ticks` AS
SELECT `id`, `bucket`
FROM `ticks_generator`;

CREATE TEMPORARY VIEW `even_0_filter` AS
SELECT `id`, `bucket`
FROM `ticks`
WHERE (MOD(`id`, 2) = 0);

CREATE TEMPORARY VIEW `even_3_aggregate` AS
SELECT `bucket` AS `bucket`, COUNT(*) AS `n`
FROM `even_0_filter`
GROUP BY `bucket`;

CREATE TEMPORARY VIEW `odd_0_filter` AS
SELECT `id`, `bucket`
FROM `ticks`
WHERE (MOD(`id`, 2) = 1);

CREATE TEMPORARY TABLE `sink_0_print` (
  `bucket` BIGINT,
  `n` BIGINT
) WITH (
  'connector' = 'print',
  'sink.parallelism' = '3'
);

CREATE TEMPORARY TABLE `sink_1_blackhole` (
  `id` BIGINT,
  `bucket` BIGINT
) WITH (
  'connector' = 'blackhole'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `sink_0_print`
SELECT `bucket`, `n`
FROM `even_3_aggregate`;
INSERT INTO `sink_1_blackhole`
SELECT `id`, `bucket`
FROM `odd_0_filter`;
END;


SET 'execution.runtime-mode' = 'streaming';

SET 'parallelism.default' = '2';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'Generated';

SET 'execution.checkpointing.interval' = '1 s';

SET 'restart-strategy.type' = 'none';

CREATE TEMPORARY TABLE `ticks_generator` (
  `__index` BIGINT,
  `id` AS (1 + `__index`),
  `bucket` AS MOD((0 + `__index`), 7),
  `ts` AS (TIMESTAMP '2024-01-01 00:00:00.000' + (INTERVAL '1' SECOND * (0 + `__index`))),
  WATERMARK FOR `ts` AS `ts` - INTERVAL '1' SECOND
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '1000',
  'rows-per-second' = '500',
  'fields.__index.kind' = 'sequence',
  'fields.__index.start' = '0',
  'fields.__index.end' = '999'
);

CREATE TEMPORARY VIEW `ticks` AS
SELECT `id`, `bucket`, `ts`
FROM `ticks_generator`;

CREATE TEMPORARY VIEW `perBucket_2_aggregate` AS
SELECT `bucket` AS `bucket`, window_start AS `start`, COUNT(*) AS `n`, COALESCE(SUM(`id`), 0) AS `ids`, window_start, window_end, window_time
FROM TABLE(TUMBLE(TABLE `ticks`, DESCRIPTOR(`ts`), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, window_time, `bucket`;

CREATE TEMPORARY TABLE `sink_0_jsonl` (
  `bucket` BIGINT,
  `start` STRING,
  `n` BIGINT,
  `ids` BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/per-bucket.jsonl',
  'format' = 'json',
  'sink.parallelism' = '1'
);

INSERT INTO `sink_0_jsonl`
SELECT `bucket`, DATE_FORMAT(`start`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `start`, `n`, `ids`
FROM `perBucket_2_aggregate`;


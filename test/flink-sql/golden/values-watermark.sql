-- Reads <repo>/test/flink-sql/golden/.flowline/flink/ValuesWatermark/clicks.jsonl: the 3 rows of the values source clicks (written before the script is submitted)

SET 'execution.runtime-mode' = 'streaming';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'ValuesWatermark';

CREATE TEMPORARY TABLE `clicks_file` (
  `user` INT,
  `score` DOUBLE,
  `ts` STRING,
  `ts__rowtime` AS CASE WHEN TRIM(`ts`) = '' THEN NULL WHEN REGEXP(TRIM(`ts`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`ts`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE CAST(REGEXP_REPLACE(REPLACE(TRIM(`ts`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END,
  WATERMARK FOR `ts__rowtime` AS `ts__rowtime` - INTERVAL '1' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/.flowline/flink/ValuesWatermark/clicks.jsonl',
  'format' = 'json',
  'scan.watermark.idle-timeout' = '5000 ms'
);

CREATE TEMPORARY VIEW `clicks` AS
SELECT `user` AS `user`, `score` AS `score`, `ts__rowtime` AS `ts`
FROM `clicks_file`;

CREATE TEMPORARY VIEW `perMinute_1_aggregate` AS
SELECT COUNT(*) AS `clicks`, MAX(`score`) AS `best`, window_end AS `end`, window_start, window_end, window_time
FROM TABLE(TUMBLE(TABLE `clicks`, DESCRIPTOR(`ts`), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, window_time;

CREATE TEMPORARY TABLE `sink_0_print` (
  `clicks` BIGINT,
  `best` DOUBLE,
  `end` TIMESTAMP(3)
) WITH (
  'connector' = 'print',
  'sink.parallelism' = '1'
);

INSERT INTO `sink_0_print`
SELECT `clicks`, `best`, `end`
FROM `perMinute_1_aggregate`;


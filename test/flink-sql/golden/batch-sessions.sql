-- Reads <repo>/test/flink-sql/golden/.flowline/flink/BatchSessions/clicks.jsonl: the 2 rows of the values source clicks (written before the script is submitted)

SET 'execution.runtime-mode' = 'batch';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'BatchSessions';

CREATE TEMPORARY TABLE `clicks_file` (
  `user` INT,
  `ts` STRING,
  `ts__rowtime` AS CASE WHEN TRIM(`ts`) = '' THEN NULL WHEN REGEXP(TRIM(`ts`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`ts`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE CAST(REGEXP_REPLACE(REPLACE(TRIM(`ts`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END,
  WATERMARK FOR `ts__rowtime` AS `ts__rowtime` - INTERVAL '1' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/.flowline/flink/BatchSessions/clicks.jsonl',
  'format' = 'json'
);

CREATE TEMPORARY VIEW `clicks` AS
SELECT `user` AS `user`, `ts__rowtime` AS `ts`
FROM `clicks_file`;

CREATE TEMPORARY VIEW `sessions_2_aggregate_session_starts` AS
SELECT `user`, `ts`, CASE WHEN `ts` <= LAG(`ts`) OVER (PARTITION BY `user` ORDER BY `ts`) + INTERVAL '5' SECOND THEN 0 ELSE 1 END AS __new_session
FROM `clicks`
WHERE `ts` IS NOT NULL;

CREATE TEMPORARY VIEW `sessions_2_aggregate_sessions` AS
SELECT `user`, `ts`, SUM(__new_session) OVER (PARTITION BY `user` ORDER BY `ts` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __session
FROM `sessions_2_aggregate_session_starts`;

CREATE TEMPORARY VIEW `sessions_2_aggregate` AS
SELECT `user` AS `user`, COUNT(*) AS `clicks`, window_start AS `start`, window_end AS `end`, window_start, window_end, window_time
FROM (SELECT `user`, `ts`, MIN(`ts`) OVER (PARTITION BY `user`, __session) AS window_start, MAX(`ts`) OVER (PARTITION BY `user`, __session) + INTERVAL '5' SECOND AS window_end, MAX(`ts`) OVER (PARTITION BY `user`, __session) + INTERVAL '5' SECOND - INTERVAL '0.001' SECOND AS window_time
FROM `sessions_2_aggregate_sessions`)
GROUP BY window_start, window_end, window_time, `user`;

CREATE TEMPORARY TABLE `sink_0_print` (
  `user` INT,
  `clicks` BIGINT,
  `start` TIMESTAMP(3),
  `end` TIMESTAMP(3)
) WITH (
  'connector' = 'print'
);

INSERT INTO `sink_0_print`
SELECT `user`, `clicks`, `start`, `end`
FROM `sessions_2_aggregate`;


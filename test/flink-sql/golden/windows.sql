SET 'execution.runtime-mode' = 'streaming';

SET 'parallelism.default' = '2';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'Windows';

SET 'execution.checkpointing.interval' = '1 s';

SET 'restart-strategy.type' = 'none';

CREATE TEMPORARY TABLE `clicks_file` (
  `user` STRING,
  `page` STRING,
  `ts` STRING,
  `ts__rowtime` AS CASE WHEN TRIM(`ts`) = '' THEN NULL WHEN REGEXP(TRIM(`ts`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`ts`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE CAST(REGEXP_REPLACE(REPLACE(TRIM(`ts`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END,
  WATERMARK FOR `ts__rowtime` AS `ts__rowtime` - INTERVAL '2' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/data/clicks.csv',
  'format' = 'csv'
);

CREATE TEMPORARY VIEW `clicks` AS
SELECT `user` AS `user`, `page` AS `page`, `ts__rowtime` AS `ts`
FROM `clicks_file`;

CREATE TEMPORARY VIEW `perMinute_2_aggregate` AS
SELECT `page` AS `page`, window_start AS `minute`, COUNT(*) AS `clicks`, window_start, window_end, window_time
FROM TABLE(TUMBLE(TABLE `clicks`, DESCRIPTOR(`ts`), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, window_time, `page`;

CREATE TEMPORARY VIEW `trending_1_aggregate` AS
SELECT window_end AS `windowEnd`, COUNT(*) AS `clicks`, COUNT(DISTINCT `user`) AS `users`, window_start, window_end, window_time
FROM TABLE(HOP(TABLE `clicks`, DESCRIPTOR(`ts`), INTERVAL '10' SECOND, INTERVAL '30' SECOND))
GROUP BY window_start, window_end, window_time;

CREATE TEMPORARY VIEW `sessions_2_aggregate` AS
SELECT `user` AS `user`, window_start AS `start`, window_end AS `end`, COUNT(*) AS `pages`, window_start, window_end, window_time
FROM TABLE(SESSION(TABLE `clicks` PARTITION BY `user`, DESCRIPTOR(`ts`), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, window_time, `user`;

CREATE TEMPORARY VIEW `perSecond_2_aggregate_proctime` AS
SELECT `user`, `page`, `ts`, PROCTIME() AS `__proctime`
FROM `clicks`;

CREATE TEMPORARY VIEW `perSecond_2_aggregate` AS
SELECT `user` AS `user`, COUNT(*) AS `clicks`, window_start, window_end, window_time
FROM TABLE(TUMBLE(TABLE `perSecond_2_aggregate_proctime`, DESCRIPTOR(`__proctime`), INTERVAL '1' SECOND))
GROUP BY window_start, window_end, window_time, `user`;

CREATE TEMPORARY TABLE `sink_0_jsonl` (
  `page` STRING,
  `minute` STRING,
  `clicks` BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/per-minute.jsonl',
  'format' = 'json',
  'sink.parallelism' = '1'
);

CREATE TEMPORARY TABLE `sink_1_print` (
  `windowEnd` TIMESTAMP(3),
  `clicks` BIGINT,
  `users` BIGINT
) WITH (
  'connector' = 'print',
  'sink.parallelism' = '1'
);

CREATE TEMPORARY TABLE `sink_2_csv` (
  `user` STRING,
  `start` STRING,
  `end` STRING,
  `pages` BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/sessions.csv',
  'format' = 'csv',
  'sink.parallelism' = '1'
);

CREATE TEMPORARY TABLE `sink_3_print` (
  `user` STRING,
  `clicks` BIGINT
) WITH (
  'connector' = 'print'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `sink_0_jsonl`
SELECT `page`, DATE_FORMAT(`minute`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `minute`, `clicks`
FROM `perMinute_2_aggregate`;
INSERT INTO `sink_1_print`
SELECT `windowEnd`, `clicks`, `users`
FROM `trending_1_aggregate`;
INSERT INTO `sink_2_csv`
SELECT `user`, DATE_FORMAT(`start`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `start`, DATE_FORMAT(`end`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `end`, `pages`
FROM `sessions_2_aggregate`;
INSERT INTO `sink_3_print`
SELECT `user`, `clicks`
FROM `perSecond_2_aggregate`;
END;


-- Pipeline BatchRanking
SET 'execution.runtime-mode' = 'batch';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'BatchRanking';

CREATE TEMPORARY TABLE `orders_file` (
  `id` STRING,
  `customer` STRING,
  `amount` STRING,
  `ts` STRING
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/data/orders.csv',
  'format' = 'csv',
  'csv.field-delimiter' = ';'
);

CREATE TEMPORARY VIEW `orders` AS
SELECT `id` AS `id`, `customer` AS `customer`, CAST(TRIM(`amount`) AS DOUBLE) AS `amount`, CASE WHEN TRIM(`ts`) = '' THEN NULL WHEN REGEXP(TRIM(`ts`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`ts`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE CAST(REGEXP_REPLACE(REPLACE(TRIM(`ts`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END AS `ts`
FROM `orders_file`
WHERE `id` IS DISTINCT FROM 'id' OR `customer` IS DISTINCT FROM 'customer' OR `amount` IS DISTINCT FROM 'amount' OR `ts` IS DISTINCT FROM 'ts';

CREATE TEMPORARY VIEW `top2_1_limit` AS
SELECT `id`, `customer`, `amount`, `ts`
FROM `orders`
ORDER BY `amount` DESC
LIMIT 2;

CREATE TEMPORARY VIEW `any3_0_limit` AS
SELECT `id`, `customer`, `amount`, `ts`
FROM `orders`
LIMIT 3;

CREATE TEMPORARY VIEW `sorted_0_orderBy` AS
SELECT `id`, `customer`, `amount`, `ts`
FROM `orders`
ORDER BY `amount` DESC, `id` ASC;

CREATE TEMPORARY TABLE `sink_0_csv` (
  `id` STRING,
  `customer` STRING,
  `amount` DOUBLE,
  `ts` STRING
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/sorted.csv',
  'format' = 'csv',
  'sink.parallelism' = '1'
);

CREATE TEMPORARY TABLE `sink_1_print` (
  `id` STRING,
  `customer` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP(3)
) WITH (
  'connector' = 'print',
  'sink.parallelism' = '1'
);

CREATE TEMPORARY TABLE `sink_2_print` (
  `id` STRING,
  `customer` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP(3)
) WITH (
  'connector' = 'print',
  'sink.parallelism' = '1'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `sink_0_csv`
SELECT `id`, `customer`, `amount`, DATE_FORMAT(`ts`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `ts`
FROM `sorted_0_orderBy`;
INSERT INTO `sink_1_print`
SELECT `id`, `customer`, `amount`, `ts`
FROM `top2_1_limit`;
INSERT INTO `sink_2_print`
SELECT `id`, `customer`, `amount`, `ts`
FROM `any3_0_limit`;
END;

-- Pipeline WindowTopN
SET 'execution.runtime-mode' = 'streaming';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'WindowTopN';

SET 'execution.checkpointing.interval' = '1 s';

SET 'restart-strategy.type' = 'none';

CREATE TEMPORARY TABLE `clicks_file` (
  `user` STRING,
  `page` STRING,
  `ts` STRING,
  `ts__rowtime` AS CASE WHEN TRIM(`ts`) = '' THEN NULL WHEN REGEXP(TRIM(`ts`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`ts`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE CAST(REGEXP_REPLACE(REPLACE(TRIM(`ts`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END,
  WATERMARK FOR `ts__rowtime` AS `ts__rowtime` - INTERVAL '1' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/data/clicks.csv',
  'format' = 'csv'
);

CREATE TEMPORARY VIEW `clicks` AS
SELECT `user` AS `user`, `page` AS `page`, `ts__rowtime` AS `ts`
FROM `clicks_file`;

CREATE TEMPORARY VIEW `topPages_2_aggregate` AS
SELECT window_start AS `minute`, `page` AS `page`, COUNT(*) AS `views`, window_start, window_end, window_time
FROM TABLE(TUMBLE(TABLE `clicks`, DESCRIPTOR(`ts`), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, window_time, `page`;

CREATE TEMPORARY VIEW `topPages_4_limit` AS
SELECT `minute`, `page`, `views`, `window_start`, `window_end`, `window_time`
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY `views` DESC, `page` ASC) AS rownum
  FROM `topPages_2_aggregate`
)
WHERE rownum <= 2;

CREATE TEMPORARY TABLE `sink_0_jsonl` (
  `minute` STRING,
  `page` STRING,
  `views` BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/top-pages.jsonl',
  'format' = 'json',
  'sink.parallelism' = '1'
);

INSERT INTO `sink_0_jsonl`
SELECT DATE_FORMAT(`minute`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `minute`, `page`, `views`
FROM `topPages_4_limit`;


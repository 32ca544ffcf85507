-- Pipeline BatchJoins
SET 'execution.runtime-mode' = 'batch';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'BatchJoins';

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

CREATE TEMPORARY TABLE `customers_file` (
  `id` STRING,
  `country` STRING,
  `since` STRING
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/data/customers.jsonl',
  'format' = 'json'
);

CREATE TEMPORARY VIEW `customers` AS
SELECT `id` AS `id`, `country` AS `country`, CASE WHEN TRIM(`since`) = '' THEN NULL WHEN REGEXP(TRIM(`since`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`since`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE CAST(REGEXP_REPLACE(REPLACE(TRIM(`since`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END AS `since`
FROM `customers_file`;

CREATE TEMPORARY VIEW `enriched_0_join` AS
SELECT l.`id`, l.`customer`, l.`amount`, l.`ts`, r.`id` AS `customers_id`, r.`country`, r.`since`
FROM `orders` AS l
JOIN `customers` AS r
ON l.`customer` = r.`id`;

CREATE TEMPORARY VIEW `enriched_1_map` AS
SELECT `id` AS `id`, `country` AS `country`, `amount` AS `amount`
FROM `enriched_0_join`;

CREATE TEMPORARY VIEW `all_0_join_left_keys` AS
SELECT `id`, `customer`, `amount`, `ts`, LOWER(`customer`) AS `__key0`
FROM `orders`;

CREATE TEMPORARY VIEW `all_0_join_right_keys` AS
SELECT `id`, `country`, `since`, LOWER(`id`) AS `__key0`
FROM `customers`;

CREATE TEMPORARY VIEW `all_0_join` AS
SELECT l.`id`, l.`customer`, l.`amount`, l.`ts`, r.`id` AS `customers_id`, r.`country`, r.`since`
FROM `all_0_join_left_keys` AS l
LEFT JOIN `all_0_join_right_keys` AS r
ON l.`__key0` = r.`__key0`;

CREATE TEMPORARY VIEW `all_1_map` AS
SELECT `id` AS `id`, COALESCE(`country`, 'unknown') AS `country`
FROM `all_0_join`;

CREATE TEMPORARY TABLE `sink_0_print` (
  `id` STRING,
  `country` STRING,
  `amount` DOUBLE
) WITH (
  'connector' = 'print'
);

CREATE TEMPORARY TABLE `sink_1_jsonl` (
  `id` STRING,
  `country` STRING
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/all.jsonl',
  'format' = 'json',
  'sink.parallelism' = '1'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `sink_0_print`
SELECT `id`, `country`, `amount`
FROM `enriched_1_map`;
INSERT INTO `sink_1_jsonl`
SELECT `id`, `country`
FROM `all_1_map`;
END;

-- Pipeline IntervalJoin
SET 'execution.runtime-mode' = 'streaming';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'IntervalJoin';

SET 'execution.checkpointing.interval' = '1 s';

SET 'restart-strategy.type' = 'none';

CREATE TEMPORARY TABLE `orders_file` (
  `id` STRING,
  `customer` STRING,
  `amount` STRING,
  `ts` STRING,
  `ts__rowtime` AS CASE WHEN `ts` = 'ts' THEN TIMESTAMP '1970-01-01 00:00:00' ELSE CASE WHEN TRIM(`ts`) = '' THEN NULL WHEN REGEXP(TRIM(`ts`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`ts`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE CAST(REGEXP_REPLACE(REPLACE(TRIM(`ts`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END END,
  WATERMARK FOR `ts__rowtime` AS `ts__rowtime` - INTERVAL '1' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/data/orders.csv',
  'format' = 'csv',
  'csv.field-delimiter' = ';'
);

CREATE TEMPORARY VIEW `orders` AS
SELECT `id` AS `id`, `customer` AS `customer`, CAST(TRIM(`amount`) AS DOUBLE) AS `amount`, `ts__rowtime` AS `ts`
FROM `orders_file`
WHERE `id` IS DISTINCT FROM 'id' OR `customer` IS DISTINCT FROM 'customer' OR `amount` IS DISTINCT FROM 'amount' OR `ts` IS DISTINCT FROM 'ts';

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

CREATE TEMPORARY VIEW `attributed_0_join` AS
SELECT l.`id`, l.`customer`, l.`amount`, l.`ts`, r.`user`, r.`page`, r.`ts` AS `clicks_ts`
FROM `orders` AS l
LEFT JOIN `clicks` AS r
ON l.`customer` = r.`user` AND r.`ts` BETWEEN l.`ts` - INTERVAL '10' SECOND AND l.`ts` + INTERVAL '10' SECOND;

CREATE TEMPORARY VIEW `attributed_1_map` AS
SELECT `id` AS `id`, `amount` AS `amount`, `ts` AS `ts`, `clicks_ts` AS `clickedAt`
FROM `attributed_0_join`;

CREATE TEMPORARY VIEW `perMinute_1_aggregate` AS
SELECT window_start AS `minute`, COUNT(*) AS `orders`, COUNT(`clickedAt`) AS `clicked`, window_start, window_end, window_time
FROM TABLE(TUMBLE(TABLE `attributed_1_map`, DESCRIPTOR(`ts`), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, window_time;

CREATE TEMPORARY TABLE `sink_0_jsonl` (
  `minute` STRING,
  `orders` BIGINT,
  `clicked` BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/attributed.jsonl',
  'format' = 'json',
  'sink.parallelism' = '1'
);

INSERT INTO `sink_0_jsonl`
SELECT DATE_FORMAT(`minute`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `minute`, `orders`, `clicked`
FROM `perMinute_1_aggregate`;


SET 'execution.runtime-mode' = 'streaming';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'TemporalJoins';

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

CREATE TEMPORARY TABLE `customers_file` (
  `id` STRING,
  `country` STRING,
  `since` STRING,
  `since__rowtime` AS CASE WHEN TRIM(`since`) = '' THEN NULL WHEN REGEXP(TRIM(`since`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`since`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE CAST(REGEXP_REPLACE(REPLACE(TRIM(`since`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END,
  WATERMARK FOR `since__rowtime` AS `since__rowtime` - INTERVAL '0 00:00:00.000' DAY(3) TO SECOND(3)
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/data/customers.jsonl',
  'format' = 'json'
);

CREATE TEMPORARY VIEW `customers` AS
SELECT `id` AS `id`, `country` AS `country`, `since__rowtime` AS `since`
FROM `customers_file`;

CREATE TEMPORARY VIEW `known_0_filter` AS
SELECT `id`, `country`, `since`
FROM `customers`
WHERE (`country` <> '');

CREATE TEMPORARY VIEW `known_1_map` AS
SELECT `id` AS `id`, `country` AS `country`, `since` AS `validFrom`
FROM `known_0_filter`;

CREATE TEMPORARY VIEW `withCountry_0_join_left_keys` AS
SELECT `id`, `customer`, `amount`, `ts`, LOWER(`customer`) AS `__key0`
FROM `orders`;

CREATE TEMPORARY VIEW `withCountry_0_join_versions` AS
SELECT `id`, `country`, `validFrom`
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `validFrom` DESC) AS `__version`
  FROM `known_1_map`
)
WHERE `__version` = 1;

CREATE TEMPORARY VIEW `withCountry_0_join` AS
SELECT l.`id`, l.`customer`, l.`amount`, l.`ts`, r.`id` AS `known_id`, r.`country`, r.`validFrom`
FROM `withCountry_0_join_left_keys` AS l
JOIN `withCountry_0_join_versions` FOR SYSTEM_TIME AS OF l.`ts` AS r
ON l.`__key0` = r.`id`;

CREATE TEMPORARY VIEW `withCountry_1_map` AS
SELECT `id` AS `id`, `country` AS `country`, `amount` AS `amount`, `ts` AS `ts`
FROM `withCountry_0_join`;

CREATE TEMPORARY VIEW `perMinute_2_aggregate` AS
SELECT `country` AS `country`, window_start AS `minute`, COALESCE(SUM(`amount`), 0) AS `revenue`, window_start, window_end, window_time
FROM TABLE(TUMBLE(TABLE `withCountry_1_map`, DESCRIPTOR(`ts`), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, window_time, `country`;

CREATE TEMPORARY VIEW `everyOrder_0_join_versions` AS
SELECT `id`, `country`, `since`
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `since` DESC) AS `__version`
  FROM `customers`
)
WHERE `__version` = 1;

CREATE TEMPORARY VIEW `everyOrder_0_join` AS
SELECT l.`id`, l.`customer`, l.`amount`, l.`ts`, r.`id` AS `customers_id`, r.`country`, r.`since`
FROM `orders` AS l
LEFT JOIN `everyOrder_0_join_versions` FOR SYSTEM_TIME AS OF l.`ts` AS r
ON l.`customer` = r.`id`;

CREATE TEMPORARY VIEW `everyOrder_1_map` AS
SELECT `id` AS `id`, COALESCE(`country`, 'unknown') AS `country`, `since` AS `since`
FROM `everyOrder_0_join`;

CREATE TEMPORARY TABLE `sink_0_jsonl` (
  `country` STRING,
  `minute` STRING,
  `revenue` DOUBLE
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/per-minute.jsonl',
  'format' = 'json',
  'sink.parallelism' = '1'
);

CREATE TEMPORARY TABLE `sink_1_print` (
  `id` STRING,
  `country` STRING,
  `since` TIMESTAMP(3)
) WITH (
  'connector' = 'print'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `sink_0_jsonl`
SELECT `country`, DATE_FORMAT(`minute`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `minute`, `revenue`
FROM `perMinute_2_aggregate`;
INSERT INTO `sink_1_print`
SELECT `id`, `country`, `since`
FROM `everyOrder_1_map`;
END;


SET 'execution.runtime-mode' = 'batch';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'SourcesAndSinks';

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

CREATE TEMPORARY TABLE `clicks_file` (
  `user` STRING,
  `page` STRING,
  `ts` STRING
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/data/clicks.csv',
  'format' = 'csv'
);

CREATE TEMPORARY VIEW `clicks` AS
SELECT `user` AS `user`, NULLIF(`page`, '') AS `page`, CASE WHEN TRIM(`ts`) = '' THEN NULL WHEN REGEXP(TRIM(`ts`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`ts`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE CAST(REGEXP_REPLACE(REPLACE(TRIM(`ts`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END AS `ts`
FROM `clicks_file`;

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

CREATE TEMPORARY TABLE `lines_file` (
  `line` STRING
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/data/lines.txt',
  'format' = 'raw'
);

CREATE TEMPORARY VIEW `lines` AS
SELECT REGEXP_REPLACE(`line`, '\r$', '') AS `line`
FROM `lines_file`;

CREATE TEMPORARY VIEW `rates` AS
SELECT CAST(`c0` AS STRING) AS `currency`, CAST(`c1` AS DOUBLE) AS `rate`, CAST(`c2` AS BOOLEAN) AS `fixed` FROM (VALUES
  ('EUR', 1E0, TRUE),
  ('USD', 0.92E0, FALSE)
) AS t(`c0`, `c1`, `c2`);

CREATE TEMPORARY TABLE `sink_0_csv` (
  `id` STRING,
  `customer` STRING,
  `amount` DOUBLE,
  `ts` STRING
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/orders.csv',
  'format' = 'csv',
  'sink.parallelism' = '1'
);

CREATE TEMPORARY TABLE `sink_1_jsonl` (
  `user` STRING,
  `page` STRING,
  `ts` STRING
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/clicks.jsonl',
  'format' = 'json',
  'sink.parallelism' = '1'
);

CREATE TEMPORARY TABLE `sink_2_print` (
  `id` STRING,
  `country` STRING,
  `since` TIMESTAMP(3)
) WITH (
  'connector' = 'print'
);

CREATE TEMPORARY TABLE `sink_3_blackhole` (
  `line` STRING
) WITH (
  'connector' = 'blackhole'
);

CREATE TEMPORARY TABLE `sink_4_csv` (
  `currency` STRING,
  `rate` DOUBLE,
  `fixed` BOOLEAN
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/rates.csv',
  'format' = 'csv',
  'csv.field-delimiter' = '|',
  'sink.parallelism' = '1'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `sink_0_csv`
SELECT `id`, `customer`, `amount`, DATE_FORMAT(`ts`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `ts`
FROM `orders`;
INSERT INTO `sink_1_jsonl`
SELECT `user`, `page`, DATE_FORMAT(`ts`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `ts`
FROM `clicks`;
INSERT INTO `sink_2_print`
SELECT `id`, `country`, `since`
FROM `customers`;
INSERT INTO `sink_3_blackhole`
SELECT `line`
FROM `lines`;
INSERT INTO `sink_4_csv`
SELECT `currency`, `rate`, `fixed`
FROM `rates`;
END;


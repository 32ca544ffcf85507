SET 'execution.runtime-mode' = 'streaming';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'PartitionedOrders';

SET 'execution.checkpointing.interval' = '1 s';

SET 'restart-strategy.type' = 'none';

CREATE TEMPORARY TABLE `orders_file` (
  `id` STRING,
  `customer` STRING,
  `amount` STRING,
  `ts` STRING,
  `ts__rowtime` AS CASE WHEN `ts` = 'ts' THEN TIMESTAMP '1970-01-01 00:00:00' ELSE CASE WHEN TRIM(`ts`) = '' THEN NULL WHEN REGEXP(TRIM(`ts`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`ts`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE CAST(REGEXP_REPLACE(REPLACE(TRIM(`ts`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END END,
  WATERMARK FOR `ts__rowtime` AS `ts__rowtime` - INTERVAL '5' SECOND
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

CREATE TEMPORARY VIEW `byDay_0_map` AS
SELECT `id` AS `id`, `customer` AS `customer`, `amount` AS `amount`, `ts` AS `ts`, DATE_FORMAT(`ts`, 'yyyy-MM-dd') AS `dt`, DATE_FORMAT(`ts`, 'HH:mm') AS `hm`
FROM `orders`;

CREATE TEMPORARY TABLE `sink_0_csv` (
  `id` STRING,
  `customer` STRING,
  `amount` DOUBLE,
  `ts` STRING,
  `dt` STRING,
  `hm` STRING
) PARTITIONED BY (`dt`, `hm`) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/orders',
  'format' = 'csv',
  'sink.parallelism' = '1'
);

INSERT INTO `sink_0_csv`
SELECT `id`, `customer`, `amount`, DATE_FORMAT(`ts`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `ts`, `dt`, `hm`
FROM `byDay_0_map`;


-- Pipeline BatchAggregates
SET 'execution.runtime-mode' = 'batch';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'BatchAggregates';

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

CREATE TEMPORARY VIEW `perCustomer_1_aggregate` AS
SELECT `customer` AS `customer`, COUNT(*) AS `orders`, COALESCE(SUM(`amount`), 0) AS `total`, MAX(`amount`) AS `biggest`, MIN(`ts`) AS `first`
FROM `orders`
GROUP BY `customer`;

CREATE TEMPORARY VIEW `overall_0_aggregate` AS
SELECT COUNT(*) AS `orders`, COUNT(DISTINCT `customer`) AS `customers`, AVG(CAST(`amount` AS DOUBLE)) AS `average`
FROM `orders`
HAVING COUNT(*) > 0;

CREATE TEMPORARY TABLE `sink_0_csv` (
  `customer` STRING,
  `orders` BIGINT,
  `total` DOUBLE,
  `biggest` DOUBLE,
  `first` STRING
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/per-customer.csv',
  'format' = 'csv',
  'sink.parallelism' = '1'
);

CREATE TEMPORARY TABLE `sink_1_print` (
  `orders` BIGINT,
  `customers` BIGINT,
  `average` DOUBLE
) WITH (
  'connector' = 'print',
  'sink.parallelism' = '1'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `sink_0_csv`
SELECT `customer`, `orders`, `total`, `biggest`, DATE_FORMAT(`first`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `first`
FROM `perCustomer_1_aggregate`;
INSERT INTO `sink_1_print`
SELECT `orders`, `customers`, `average`
FROM `overall_0_aggregate`;
END;

-- Pipeline RollingTotals
SET 'execution.runtime-mode' = 'streaming';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'RollingTotals';

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

CREATE TEMPORARY VIEW `running_1_reduce` AS
SELECT `customer` AS `customer`, COUNT(*) AS `orders`, COALESCE(SUM(`amount`), 0) AS `total`
FROM `orders`
GROUP BY `customer`;

CREATE TEMPORARY TABLE `sink_0_print` (
  `customer` STRING,
  `orders` BIGINT,
  `total` DOUBLE
) WITH (
  'connector' = 'print'
);

INSERT INTO `sink_0_print`
SELECT `customer`, `orders`, `total`
FROM `running_1_reduce`;


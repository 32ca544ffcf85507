SET 'execution.runtime-mode' = 'batch';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'OnErrorSkip';

CREATE TEMPORARY TABLE `orders_file` (
  `id` STRING,
  `customer` STRING,
  `amount` STRING,
  `ts` STRING,
  `__flowline_extra_cell` STRING
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/data/orders.csv',
  'format' = 'csv',
  'csv.field-delimiter' = ';',
  'csv.ignore-parse-errors' = 'true'
);

CREATE TEMPORARY VIEW `orders` AS
SELECT CASE WHEN `id` IS NOT NULL THEN `id` END AS `id`, CASE WHEN `customer` IS NOT NULL THEN `customer` END AS `customer`, CASE WHEN `amount` IS NOT NULL AND (REGEXP(TRIM(`amount`), '^([-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?|[-+]?Infinity|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)$')) THEN CAST(TRIM(`amount`) AS DOUBLE) END AS `amount`, CASE WHEN `ts` IS NOT NULL AND ((CASE WHEN TRIM(`ts`) = '' THEN NULL WHEN REGEXP(TRIM(`ts`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`ts`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE TRY_CAST(REGEXP_REPLACE(REPLACE(TRIM(`ts`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END IS NOT NULL OR REGEXP(TRIM(`ts`), '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+([-+][0-9]{2}:?[0-9]{2}|Z)$'))) THEN CASE WHEN TRIM(`ts`) = '' THEN NULL WHEN REGEXP(TRIM(`ts`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`ts`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE CAST(REGEXP_REPLACE(REPLACE(TRIM(`ts`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END END AS `ts`
FROM `orders_file`
WHERE (`id` IS DISTINCT FROM 'id' OR `customer` IS DISTINCT FROM 'customer' OR `amount` IS DISTINCT FROM 'amount' OR `ts` IS DISTINCT FROM 'ts')
  AND `__flowline_extra_cell` IS NULL
  AND (`id` IS NOT NULL)
  AND (`customer` IS NOT NULL)
  AND (`amount` IS NOT NULL AND (REGEXP(TRIM(`amount`), '^([-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?|[-+]?Infinity|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)$')))
  AND (`ts` IS NOT NULL AND ((CASE WHEN TRIM(`ts`) = '' THEN NULL WHEN REGEXP(TRIM(`ts`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`ts`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE TRY_CAST(REGEXP_REPLACE(REPLACE(TRIM(`ts`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END IS NOT NULL OR REGEXP(TRIM(`ts`), '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+([-+][0-9]{2}:?[0-9]{2}|Z)$'))));

CREATE TEMPORARY TABLE `sink_0_print` (
  `id` STRING,
  `customer` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP(3)
) WITH (
  'connector' = 'print'
);

INSERT INTO `sink_0_print`
SELECT `id`, `customer`, `amount`, `ts`
FROM `orders`;


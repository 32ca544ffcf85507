SET 'execution.runtime-mode' = 'batch';

SET 'parallelism.default' = '2';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'RowOperators';

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

CREATE TEMPORARY VIEW `words_0_flatMap` AS
SELECT i.`line`, e.`word`
FROM `lines` AS i
CROSS JOIN UNNEST((CASE WHEN LOWER(`line`) = '' THEN ARRAY[''] WHEN POSITION(CHR(0) IN LOWER(`line`)) > 0 THEN ARRAY[CAST(CAST('split: the text holds U+0000' AS INT) AS STRING)] ELSE SPLIT(REGEXP_REPLACE(REGEXP_REPLACE(LOWER(`line`), ' ', CHR(0)), CHR(0) || '+\z', ''), CHR(0)) END)) AS e(`word`);

CREATE TEMPORARY VIEW `words_1_filter` AS
SELECT `line`, `word`
FROM `words_0_flatMap`
WHERE (`word` <> '');

CREATE TEMPORARY VIEW `words_2_map` AS
SELECT `word` AS `word`, CHAR_LENGTH(`word`) AS `letters`
FROM `words_1_filter`;

CREATE TEMPORARY VIEW `words_3_distinct` AS
SELECT DISTINCT `word`, `letters`
FROM `words_2_map`;

CREATE TEMPORARY VIEW `big_0_filter` AS
SELECT `id`, `customer`, `amount`, `ts`
FROM `orders`
WHERE (`amount` > 10);

CREATE TEMPORARY VIEW `big_1_map` AS
SELECT `customer` AS `who`, `amount` AS `amount`
FROM `big_0_filter`;

CREATE TEMPORARY VIEW `small_0_filter` AS
SELECT `id`, `customer`, `amount`, `ts`
FROM `orders`
WHERE (`amount` <= 10);

CREATE TEMPORARY VIEW `small_1_map` AS
SELECT `customer` AS `who`, (`amount` * 2) AS `amount`
FROM `small_0_filter`;

CREATE TEMPORARY VIEW `both_0_union` AS
SELECT `who`, `amount`
FROM `big_1_map`
UNION ALL
SELECT `who`, `amount`
FROM `small_1_map`;

CREATE TEMPORARY TABLE `sink_0_print` (
  `word` STRING,
  `letters` INT
) WITH (
  'connector' = 'print'
);

CREATE TEMPORARY TABLE `sink_1_jsonl` (
  `who` STRING,
  `amount` DOUBLE
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/both.jsonl',
  'format' = 'json',
  'sink.parallelism' = '1'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `sink_0_print`
SELECT `word`, `letters`
FROM `words_3_distinct`;
INSERT INTO `sink_1_jsonl`
SELECT `who`, `amount`
FROM `both_0_union`;
END;


SET 'execution.runtime-mode' = 'batch';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'LanguageTypes';

CREATE TEMPORARY TABLE `orders_file` (
  `id` STRING,
  `customer` STRING,
  `amount` DOUBLE,
  `ts` STRING,
  `placed` DATE,
  `origin` ROW<`channel` STRING, `device` ROW<`os` STRING, `version` INT>>
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/data/orders.jsonl',
  'format' = 'json'
);

CREATE TEMPORARY VIEW `orders` AS
SELECT `id` AS `id`, `customer` AS `customer`, `amount` AS `amount`, CASE WHEN TRIM(`ts`) = '' THEN NULL WHEN REGEXP(TRIM(`ts`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`ts`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE CAST(REGEXP_REPLACE(REPLACE(TRIM(`ts`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END AS `ts`, `placed` AS `placed`, `origin` AS `origin`
FROM `orders_file`;

CREATE TEMPORARY VIEW `perDay_1_aggregate` AS
SELECT FLOOR(`ts` TO DAY) AS `day`, ((`origin`).`device`).`os` AS `os`, COUNT(*) AS `orders`, COALESCE(SUM(`amount`), 0) AS `total`
FROM `orders`
GROUP BY FLOOR(`ts` TO DAY), ((`origin`).`device`).`os`, LOWER(`customer`);

CREATE TEMPORARY VIEW `moved_0_filter` AS
SELECT `id`, `customer`, `amount`, `ts`, `placed`, `origin`
FROM `orders`
WHERE ((((`origin`).`device`).`version` IS NOT NULL) AND ((`placed` + INTERVAL '1' MONTH) > DATE '2024-01-01'));

CREATE TEMPORARY VIEW `moved_1_map` AS
SELECT `id` AS `id`, (`ts` + INTERVAL '1' MONTH) AS `renews`, (`placed` + INTERVAL '30' DAY) AS `due`, (`ts` - 120 * INTERVAL '1' MONTH) AS `longAgo`, `origin` AS `origin`, (`origin`).`device` AS `device`
FROM `moved_0_filter`;

CREATE TEMPORARY TABLE `sink_0_jsonl` (
  `day` STRING,
  `os` STRING,
  `orders` BIGINT,
  `total` DOUBLE
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/per-day.jsonl',
  'format' = 'json',
  'sink.parallelism' = '1'
);

CREATE TEMPORARY TABLE `sink_1_jsonl` (
  `id` STRING,
  `renews` STRING,
  `due` DATE,
  `longAgo` STRING,
  `origin` ROW<`channel` STRING, `device` ROW<`os` STRING, `version` INT>>,
  `device` ROW<`os` STRING, `version` INT>
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/out/moved.jsonl',
  'format' = 'json',
  'sink.parallelism' = '1'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `sink_0_jsonl`
SELECT DATE_FORMAT(`day`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `day`, `os`, `orders`, `total`
FROM `perDay_1_aggregate`;
INSERT INTO `sink_1_jsonl`
SELECT `id`, DATE_FORMAT(`renews`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `renews`, `due`, DATE_FORMAT(`longAgo`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `longAgo`, `origin`, `device`
FROM `moved_1_map`;
END;


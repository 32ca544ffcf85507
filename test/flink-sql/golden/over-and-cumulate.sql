-- Reads <repo>/test/flink-sql/golden/.flowline/flink/OverAndCumulate/sales.jsonl: the 2 rows of the values source sales (written before the script is submitted)

SET 'execution.runtime-mode' = 'batch';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'OverAndCumulate';

CREATE TEMPORARY TABLE `sales_file` (
  `seller` STRING,
  `price` BIGINT,
  `ts` STRING,
  `ts__rowtime` AS CASE WHEN TRIM(`ts`) = '' THEN NULL WHEN REGEXP(TRIM(`ts`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`ts`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE CAST(REGEXP_REPLACE(REPLACE(TRIM(`ts`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END,
  WATERMARK FOR `ts__rowtime` AS `ts__rowtime` - INTERVAL '5' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/.flowline/flink/OverAndCumulate/sales.jsonl',
  'format' = 'json'
);

CREATE TEMPORARY VIEW `sales` AS
SELECT `seller` AS `seller`, `price` AS `price`, `ts__rowtime` AS `ts`
FROM `sales_file`;

CREATE TEMPORARY VIEW `lastTen_1_over` AS
SELECT `seller`, `price`, `ts`, (AVG(CAST(`price` AS DOUBLE)) OVER (PARTITION BY `seller` ORDER BY `ts` ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)) AS `avgPrice`, (`price` - (MIN(`price`) OVER (PARTITION BY `seller` ORDER BY `ts` ROWS BETWEEN 9 PRECEDING AND CURRENT ROW))) AS `aboveMin`
FROM `sales`;

CREATE TEMPORARY VIEW `lastHour_1_over` AS
SELECT `seller`, `price`, `ts`, (COALESCE(SUM(`price`) OVER (PARTITION BY `seller` ORDER BY `ts` RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW), 0)) AS `total`
FROM `sales`;

CREATE TEMPORARY VIEW `sofar_2_aggregate` AS
SELECT `seller` AS `seller`, COUNT(*) AS `n`, window_end AS `windowEnd`, window_start, window_end, window_time
FROM TABLE(CUMULATE(TABLE `sales`, DESCRIPTOR(`ts`), INTERVAL '10' MINUTE, INTERVAL '1' HOUR))
GROUP BY window_start, window_end, window_time, `seller`;

CREATE TEMPORARY VIEW `hottest_2_aggregate` AS
SELECT `seller` AS `seller`, COUNT(*) AS `num`, window_end AS `windowEnd`, window_start, window_end, window_time
FROM TABLE(HOP(TABLE `sales`, DESCRIPTOR(`ts`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
GROUP BY window_start, window_end, window_time, `seller`;

CREATE TEMPORARY VIEW `hottest_3_top` AS
SELECT `seller`, `num`, `windowEnd`, rownum AS `rank`
FROM (
  SELECT *, RANK() OVER (PARTITION BY window_start, window_end ORDER BY `num` DESC) AS rownum
  FROM `hottest_2_aggregate`
)
WHERE rownum <= 1;

CREATE TEMPORARY TABLE `sink_0_print` (
  `seller` STRING,
  `price` BIGINT,
  `ts` TIMESTAMP(3),
  `avgPrice` DOUBLE,
  `aboveMin` BIGINT
) WITH (
  'connector' = 'print'
);

CREATE TEMPORARY TABLE `sink_1_print` (
  `seller` STRING,
  `price` BIGINT,
  `ts` TIMESTAMP(3),
  `total` BIGINT
) WITH (
  'connector' = 'print'
);

CREATE TEMPORARY TABLE `sink_2_print` (
  `seller` STRING,
  `n` BIGINT,
  `windowEnd` TIMESTAMP(3)
) WITH (
  'connector' = 'print'
);

CREATE TEMPORARY TABLE `sink_3_print` (
  `seller` STRING,
  `num` BIGINT,
  `windowEnd` TIMESTAMP(3),
  `rank` BIGINT
) WITH (
  'connector' = 'print',
  'sink.parallelism' = '1'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `sink_0_print`
SELECT `seller`, `price`, `ts`, `avgPrice`, `aboveMin`
FROM `lastTen_1_over`;
INSERT INTO `sink_1_print`
SELECT `seller`, `price`, `ts`, `total`
FROM `lastHour_1_over`;
INSERT INTO `sink_2_print`
SELECT `seller`, `n`, `windowEnd`
FROM `sofar_2_aggregate`;
INSERT INTO `sink_3_print`
SELECT `seller`, `num`, `windowEnd`, `rank`
FROM `hottest_3_top`;
END;


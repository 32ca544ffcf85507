SET 'execution.runtime-mode' = 'streaming';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'UpdatingAverage';

CREATE TEMPORARY TABLE `bids_file` (
  `auction` BIGINT,
  `category` INT,
  `price` BIGINT,
  `ts` STRING,
  `ts__rowtime` AS CASE WHEN TRIM(`ts`) = '' THEN NULL WHEN REGEXP(TRIM(`ts`), '^-?[0-9]+$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(TRIM(`ts`) AS BIGINT), 3) AS TIMESTAMP(3)) ELSE CAST(REGEXP_REPLACE(REPLACE(TRIM(`ts`), 'T', ' '), 'Z$', '') AS TIMESTAMP(3)) END,
  WATERMARK FOR `ts__rowtime` AS `ts__rowtime` - INTERVAL '4' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'file://<repo>/test/flink-sql/golden/data/bids.jsonl',
  'format' = 'json'
);

CREATE TEMPORARY VIEW `bids` AS
SELECT `auction` AS `auction`, `category` AS `category`, `price` AS `price`, `ts__rowtime` AS `ts`
FROM `bids_file`;

CREATE TEMPORARY VIEW `winning_1_aggregate` AS
SELECT `auction` AS `auction`, `category` AS `category`, MAX(`price`) AS `final`
FROM `bids`
GROUP BY `auction`, `category`;

CREATE TEMPORARY VIEW `result_1_aggregate` AS
SELECT `category` AS `category`, COUNT(*) AS `auctions`, AVG(CAST(`final` AS DOUBLE)) AS `avgFinal`, COALESCE(SUM(`final`), 0) AS `total`
FROM `winning_1_aggregate`
GROUP BY `category`;

CREATE TEMPORARY TABLE `sink_0_print` (
  `category` INT,
  `auctions` BIGINT,
  `avgFinal` DOUBLE,
  `total` BIGINT
) WITH (
  'connector' = 'print'
);

INSERT INTO `sink_0_print`
SELECT `category`, `auctions`, `avgFinal`, `total`
FROM `result_1_aggregate`;


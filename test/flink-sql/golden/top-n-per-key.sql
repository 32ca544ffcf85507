SET 'execution.runtime-mode' = 'streaming';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'TopNPerKey';

CREATE TEMPORARY VIEW `bids` AS
SELECT CAST(`c0` AS BIGINT) AS `auction`, CAST(`c1` AS BIGINT) AS `bidder`, CAST(`c2` AS DOUBLE) AS `price`, CAST(`c3` AS TIMESTAMP(3)) AS `dateTime` FROM (VALUES
  (1, 10, 5E0, TIMESTAMP '2024-01-01 00:00:01.000'),
  (1, 11, 9E0, TIMESTAMP '2024-01-01 00:00:02.000')
) AS t(`c0`, `c1`, `c2`, `c3`);

CREATE TEMPORARY VIEW `best_1_top` AS
SELECT `auction`, `bidder`, `price`, `dateTime`, rownum AS `rank`
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `auction` ORDER BY `price` DESC, `dateTime` ASC) AS rownum
  FROM `bids`
)
WHERE rownum <= 3;

CREATE TEMPORARY VIEW `latest_1_keep` AS
SELECT `auction`, `bidder`, `price`, `dateTime`
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `bidder`, `auction` ORDER BY `dateTime` DESC) AS rownum
  FROM `bids`
)
WHERE rownum <= 1;

CREATE TEMPORARY VIEW `cheapest_0_top` AS
SELECT `auction`, `bidder`, `price`, `dateTime`
FROM (
  SELECT *, ROW_NUMBER() OVER (ORDER BY `price` ASC) AS rownum
  FROM `bids`
)
WHERE rownum <= 1;

CREATE TEMPORARY TABLE `sink_0_print` (
  `auction` BIGINT,
  `bidder` BIGINT,
  `price` DOUBLE,
  `dateTime` TIMESTAMP(3),
  `rank` BIGINT
) WITH (
  'connector' = 'print'
);

CREATE TEMPORARY TABLE `sink_1_print` (
  `auction` BIGINT,
  `bidder` BIGINT,
  `price` DOUBLE,
  `dateTime` TIMESTAMP(3)
) WITH (
  'connector' = 'print'
);

CREATE TEMPORARY TABLE `sink_2_print` (
  `auction` BIGINT,
  `bidder` BIGINT,
  `price` DOUBLE,
  `dateTime` TIMESTAMP(3)
) WITH (
  'connector' = 'print',
  'sink.parallelism' = '1'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `sink_0_print`
SELECT `auction`, `bidder`, `price`, `dateTime`, `rank`
FROM `best_1_top`;
INSERT INTO `sink_1_print`
SELECT `auction`, `bidder`, `price`, `dateTime`
FROM `latest_1_keep`;
INSERT INTO `sink_2_print`
SELECT `auction`, `bidder`, `price`, `dateTime`
FROM `cheapest_0_top`;
END;

